"""The nominations API (/api/v1/nominations/): tokens, the status of every refusal (401,
403, 404, 409, 400 with the message of each field), region scoping on every endpoint, a
national nomination walked from the office's draft to a membership, and pinned queries."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from members.models import Membership
from regional.models import Nomination
from tests.factories import (
    MeetingFactory,
    NominationFactory,
    advance_nomination,
    api_client,
    national_body,
    next_iin,
    regional_office_user,
    secretariat_user,
    upload,
)

pytestmark = pytest.mark.django_db

LIST = "/api/v1/nominations/"


def detail(nomination, step: str = "") -> str:
    return f"/api/v1/nominations/{nomination.pk}/{step + '/' if step else ''}"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.fixture
def office():
    return regional_office_user("75")


@pytest.fixture
def other_office():
    return regional_office_user("11")


@pytest.fixture
def editor():
    return secretariat_user("Secretariat editor")


@pytest.fixture
def nomination(office):
    return NominationFactory(created_by=office, phone="+7 701 000 00 00", email="candidate@example.kz")


def draft_data(**fields) -> dict:
    data = {
        "track": "national",
        "surname": "Сәрсенова",
        "given_name": "Әлия",
        "gender": "female",
        "birth_date": "1985-06-07",
        "iin": next_iin(datetime.date(1985, 6, 7), "female"),
        "basis": "rotation",
        "decision_number": "R-1",
        "decision_date": "2024-02-01",
    }
    return {**data, **fields}


def private_values(nomination: Nomination) -> list[str]:
    return [nomination.iin, nomination.birth_date.isoformat(), nomination.phone, nomination.email]


def snapshot(nomination: Nomination) -> tuple:
    nomination = Nomination.objects.get(pk=nomination.pk)
    return (
        nomination.status,
        nomination.version,
        nomination.surname,
        nomination.events.count(),
        (nomination.documents.count()),
    )


# Authentication --------------------------------------------------------------------------------


def test_an_office_system_obtains_a_token_and_uses_it(office, nomination):
    response = api_client().post(
        "/api/v1/auth/token/", {"username": office.username, "password": "pass-for-tests"}, format="json"
    )
    assert response.status_code == 200
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert [row["id"] for row in client.get(LIST).json()["results"]] == [nomination.pk]


def test_a_wrong_password_gets_no_token(office):
    response = api_client().post("/api/v1/auth/token/", {"username": office.username, "password": "x"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Unable to log in with provided credentials."
    assert "non_field_errors" in body["errors"]


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", LIST), ("post", LIST), ("get", "/api/v1/nominations/1/"), ("post", "/api/v1/nominations/1/submit/")],
)
def test_without_credentials_the_answer_is_401(method, path):
    response = getattr(api_client(), method)(path, {}, format="json")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert response["WWW-Authenticate"] == "Token"


def test_an_unknown_token_is_401(nomination):
    client = api_client()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get(LIST).status_code == 401


def test_a_logged_in_user_may_use_the_session(client, office, nomination):
    client.force_login(office)
    response = client.get(LIST)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["count"] == 1


# Reading, scoped by region -----------------------------------------------------------------------


@pytest.fixture
def both_regions(office, other_office):
    return {
        "75": NominationFactory(created_by=office),
        "11": NominationFactory(created_by=other_office, track="regional"),
    }


def test_each_role_lists_only_its_nominations(office, other_office, editor, both_regions):
    def ids(user, query=""):
        response = api_client(user).get(LIST + query)
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert ids(office) == {both_regions["75"].pk}
    assert ids(other_office) == {both_regions["11"].pk}
    assert ids(editor) == {both_regions["75"].pk, both_regions["11"].pk}
    assert ids(secretariat_user("Secretariat viewer")) == {both_regions["75"].pk, both_regions["11"].pk}
    assert ids(get_user_model().objects.create_user("staff-only", is_staff=True)) == set()
    assert ids(get_user_model().objects.create_user("citizen")) == set()
    # A filter never widens the region's view.
    assert ids(office, "?region=11") == set()
    assert ids(editor, "?region=11") == {both_regions["11"].pk}
    assert ids(editor, "?track=regional") == {both_regions["11"].pk}
    assert ids(editor, "?status=draft&track=national") == {both_regions["75"].pk}
    assert ids(editor, "?status=submitted") == set()


@pytest.mark.parametrize("query", ["?status=nonsense", "?track=district", "?region=99999"])
def test_a_bad_filter_is_400_with_the_field(editor, both_regions, query):
    response = api_client(editor).get(LIST + query)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {query[1:].split("=")[0]}


def test_the_list_is_paginated_in_a_stable_order(office):
    nominations = [NominationFactory(created_by=office) for _ in range(3)]
    body = api_client(office).get(LIST).json()
    assert (body["count"], body["next"], body["previous"]) == (3, None, None)
    assert [row["id"] for row in body["results"]] == [nomination.pk for nomination in reversed(nominations)]


def test_the_region_s_office_retrieves_a_nomination_with_its_private_fields_and_history(office, nomination):
    response = api_client(office).get(detail(nomination))
    assert response.status_code == 200
    body = response.json()
    assert (body["iin"], body["birth_date"], body["phone"], body["email"]) == tuple(private_values(nomination))
    assert (body["region"], body["target_body"], body["status"], body["version"]) == ("75", "assembly", "draft", 1)
    assert [(event["action"], event["actor"]) for event in body["history"]] == [("create", office.username)]
    assert [document["kind"] for document in body["documents"]] == ["decision"]
    assert body["available_actions"] == ["submit", "withdraw"]


def test_the_secretariat_retrieves_any_region_s_nomination(editor, nomination):
    body = api_client(editor).get(detail(nomination)).json()
    assert body["iin"] == nomination.iin
    assert body["available_actions"] == []


@pytest.mark.parametrize("who", ["other_office", "staff_without_group", "nobody"])
def test_another_user_never_finds_the_nomination_or_its_private_fields(other_office, nomination, who):
    user = {
        "other_office": other_office,
        "staff_without_group": get_user_model().objects.create_user("staff-only", is_staff=True),
        "nobody": get_user_model().objects.create_user("citizen"),
    }[who]
    client = api_client(user)
    responses = [client.get(detail(nomination)), client.get(LIST), client.get(f"{LIST}?region=75")]
    assert responses[0].status_code == 404
    # Exactly what an id that does not exist gets: nothing tells the nomination exists.
    assert responses[0].json() == client.get("/api/v1/nominations/999999/").json()
    content = b"".join(response.content for response in responses).decode()
    assert all(value not in content for value in private_values(nomination))
    assert nomination.surname not in content


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nominations/abc/",
        "/api/v1/nominations/999999/",
        "/api/v1/nominations/1.5/",
        "/api/v1/nominations/99999999999999999999999/",
        "/api/v1/nominations/?page=abc",
        "/api/v1/nominations/?page=99",
    ],
)
def test_a_bad_or_unknown_id_is_404(office, path):
    response = api_client(office).get(path)
    assert response.status_code == 404


def test_a_step_on_an_id_out_of_range_is_404(office):
    response = api_client(office).post("/api/v1/nominations/99999999999999999999999/submit/", {"version": 1})
    assert response.status_code == 404


# Writes by another region: 404, nothing changes --------------------------------------------------


@pytest.mark.parametrize(
    ("method", "step", "data", "format_"),
    [
        ("patch", "", {"version": 1, "surname": "Changed"}, "json"),
        ("post", "submit", {"version": 1}, "json"),
        ("post", "withdraw", {"version": 1, "comment": "Reason"}, "json"),
        ("post", "answer", {"version": 1, "comment": "Answer"}, "json"),
        ("post", "transition", {"version": 1, "action": "submit"}, "json"),
        ("post", "documents", {"kind": "consent"}, "multipart"),
    ],
)
def test_another_region_s_office_cannot_touch_the_nomination(other_office, nomination, method, step, data, format_):
    before = snapshot(nomination)
    if format_ == "multipart":
        data = {**data, "file": upload("consent.pdf")}
    response = getattr(api_client(other_office), method)(detail(nomination, step), data, format=format_)
    assert response.status_code == 404
    assert snapshot(nomination) == before
    assert nomination.iin not in response.content.decode()


# Creating and changing a draft -------------------------------------------------------------------


def test_an_office_creates_a_draft(office):
    response = api_client(office).post(LIST, draft_data(phone="+7 777 1", ethnicity_public=True), format="json")
    assert response.status_code == 201
    nomination = Nomination.objects.get()
    body = response.json()
    assert (body["id"], body["status"], body["region"], body["phone"]) == (nomination.pk, "draft", "75", "+7 777 1")
    assert (nomination.region.kato, nomination.created_by, nomination.ethnicity_public) == ("75", office, True)
    assert [event["action"] for event in body["history"]] == ["create"]


def test_a_bad_iin_is_400_with_the_iin_error(office):
    response = api_client(office).post(LIST, draft_data(iin="850607400000"), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "The request has errors: see the message of each field."
    assert list(body["errors"]) == ["iin"]
    assert not Nomination.objects.exists()


def test_a_rule_of_the_services_is_400_with_its_field(office):
    # The date of birth is valid as a date but does not match the IIN: only the services know.
    response = api_client(office).post(LIST, draft_data(birth_date="1985-06-08"), format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"birth_date": ["The date of birth does not match the IIN (07.06.1985)."]}


def test_a_duplicate_open_nomination_is_400_on_the_iin(office, nomination):
    response = api_client(office).post(
        LIST, draft_data(iin=nomination.iin, gender="male", birth_date="1980-02-03"), format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "iin": ["This candidate already has an open nomination to Assembly of the People of Kazakhstan."]
    }


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (draft_data(birth_date="1985-13-45"), "birth_date"),
        (draft_data(decision_date="yesterday"), "decision_date"),
        (draft_data(ethnic_group="abc"), "ethnic_group"),
        (draft_data(nominating_association=99999999), "nominating_association"),
        (draft_data(gender=["female"]), "gender"),
        (draft_data(ethnicity_public="perhaps"), "ethnicity_public"),
        (draft_data(track="district"), "track"),
        (draft_data(ethnic_group=99999999999999999999999), "ethnic_group"),
        (draft_data(surname=None), "surname"),
        (draft_data(phone={"number": 1}), "phone"),
        ({"track": "national"}, "surname"),
    ],
)
def test_bad_input_is_400_with_the_field(office, data, field):
    response = api_client(office).post(LIST, data, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Nomination.objects.exists()


def test_bad_json_is_400_and_another_format_415(office):
    client = api_client(office)
    response = client.post(LIST, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")
    assert client.post(LIST, draft_data(), format="multipart").status_code == 415
    assert client.post(LIST, [1, 2], format="json").status_code == 400


@pytest.mark.parametrize("group", ["Secretariat editor", "Secretariat viewer"])
def test_the_secretariat_cannot_create_a_nomination(group):
    response = api_client(secretariat_user(group)).post(LIST, draft_data(), format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Only a user of a regional office can nominate a candidate."}


def test_an_office_changes_its_draft_from_the_current_version(office, nomination):
    response = api_client(office).patch(detail(nomination), {"version": 1, "surname": "Жаңа"}, format="json")
    assert response.status_code == 200
    assert (response.json()["surname"], response.json()["version"]) == ("Жаңа", 2)
    nomination.refresh_from_db()
    assert (nomination.surname, nomination.version) == ("Жаңа", 2)


def test_a_change_needs_the_version(office, nomination):
    response = api_client(office).patch(detail(nomination), {"surname": "Жаңа"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["version"]


def test_a_stale_change_is_409_and_changes_nothing(office, nomination):
    client = api_client(office)
    assert client.patch(detail(nomination), {"version": 1, "surname": "First"}, format="json").status_code == 200
    before = snapshot(nomination)
    response = client.patch(detail(nomination), {"version": 1, "surname": "Second"}, format="json")
    assert response.status_code == 409
    assert "changed by someone else" in response.json()["detail"]
    assert snapshot(nomination) == before


def test_the_secretariat_cannot_change_a_draft(editor, nomination):
    before = snapshot(nomination)
    response = api_client(editor).patch(detail(nomination), {"version": 1, "surname": "X"}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the regional office of Almaty may change this nomination."}
    assert snapshot(nomination) == before


def test_a_submitted_nomination_cannot_be_changed(office, nomination):
    nomination = advance_nomination(nomination, "submitted")
    response = api_client(office).patch(
        detail(nomination), {"version": nomination.version, "surname": "X"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": ["Only a draft or a returned nomination can be changed; this one is “submitted”."]
    }


def test_put_is_not_allowed(office, nomination):
    assert api_client(office).put(detail(nomination), draft_data(version=1), format="json").status_code == 405


def test_options_describe_the_endpoints(office, nomination):
    client = api_client(office)
    assert client.options(LIST).status_code == 200
    assert client.options(detail(nomination, "transition")).status_code == 200


# Steps ----------------------------------------------------------------------------------------


def test_an_office_submits_and_withdraws(office, nomination):
    client = api_client(office)
    response = client.post(detail(nomination, "submit"), {"version": 1}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["version"]) == ("submitted", 2)
    response = client.post(
        detail(nomination, "withdraw"), {"version": 2, "comment": "Кандидат бас тартты"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert [event["action"] for event in response.json()["history"]] == ["create", "submit", "withdraw"]


def test_a_withdrawal_needs_a_comment(office, nomination):
    response = api_client(office).post(detail(nomination, "withdraw"), {"version": 1}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"comment": ["Give the reason for withdrawing the nomination."]}


def test_a_submission_needs_the_decision(office):
    nomination = NominationFactory(created_by=office, documents=[])
    response = api_client(office).post(detail(nomination, "submit"), {"version": 1}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"documents": ["Attach the nominating decision (a PDF, JPEG or PNG file)."]}
    assert snapshot(nomination)[0] == "draft"


def test_a_stale_step_is_409(office, nomination):
    client = api_client(office)
    client.patch(detail(nomination), {"version": 1, "surname": "Жаңа"}, format="json")
    response = client.post(detail(nomination, "submit"), {"version": 1}, format="json")
    assert response.status_code == 409
    assert snapshot(nomination)[:2] == ("draft", 2)


@pytest.mark.parametrize(
    ("who", "step", "data", "message"),
    [
        ("office", "transition", {"action": "accept"}, "Only an editor of the Secretariat may take this step"),
        ("viewer", "transition", {"action": "return", "comment": "x"}, "Only an editor of the Secretariat may"),
        ("editor", "withdraw", {"comment": "x"}, "Only the regional office of Almaty may take this step"),
        ("editor", "answer", {"comment": "x"}, "Only the regional office of Almaty may take this step"),
    ],
)
def test_a_forbidden_step_is_403_and_changes_nothing(office, editor, nomination, who, step, data, message):
    nomination = advance_nomination(nomination, "returned" if step == "answer" else "submitted", secretariat=editor)
    user = {"office": office, "editor": editor, "viewer": secretariat_user("Secretariat viewer")}[who]
    before = snapshot(nomination)
    response = api_client(user).post(detail(nomination, step), {"version": nomination.version, **data}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"].startswith(message)
    assert snapshot(nomination) == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"action": "nonsense"}, "action"),
        ({"action": "create"}, "action"),
        ({}, "action"),
        ({"action": "recommend", "council_meeting": "abc"}, "council_meeting"),
        ({"action": "approve", "decree_date": "31.02.2024"}, "decree_date"),
        ({"action": "recommend", "council_meeting": 99999999999999999999999}, "council_meeting"),
        ({"action": "accept", "version": "two"}, "version"),
        ({"action": "accept", "version": None}, "version"),
        ({"action": "return", "comment": None}, "comment"),
    ],
)
def test_a_bad_step_is_400_with_the_field(editor, office, nomination, data, field):
    nomination = advance_nomination(nomination, "submitted", secretariat=editor)
    before = snapshot(nomination)
    response = api_client(editor).post(
        detail(nomination, "transition"), {"version": nomination.version, **data}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert snapshot(nomination) == before


def test_a_step_from_the_wrong_status_is_400(editor, nomination):
    response = api_client(editor).post(
        detail(nomination, "transition"), {"version": 1, "action": "accept"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "A nomination that is “draft” cannot take this step (“accept for the Council”)."


# Documents ------------------------------------------------------------------------------------


def test_an_office_uploads_a_document_to_its_draft(office, nomination):
    response = api_client(office).post(
        detail(nomination, "documents"), {"kind": "consent", "file": upload("келісім.pdf")}, format="multipart"
    )
    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["original_name"]) == ("consent", "келісім.pdf")
    assert nomination.documents.count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"kind": "consent", "file": upload("page.pdf", b"<html><script>alert(1)</script>", "application/pdf")},
            "documents",
        ),
        ({"kind": "consent", "file": upload("empty.pdf", b"")}, "file"),
        ({"kind": "nonsense", "file": upload()}, "kind"),
        ({"kind": "consent"}, "file"),
    ],
)
def test_a_bad_upload_is_400(office, nomination, data, field):
    response = api_client(office).post(detail(nomination, "documents"), data, format="multipart")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert nomination.documents.count() == 1


def test_the_secretariat_cannot_upload_to_a_draft(editor, nomination):
    response = api_client(editor).post(
        detail(nomination, "documents"), {"kind": "consent", "file": upload()}, format="multipart"
    )
    assert response.status_code == 403
    assert nomination.documents.count() == 1


# The whole procedure --------------------------------------------------------------------------


def test_a_national_nomination_walks_through_the_api_to_a_membership(office, editor):
    office_api, secretariat = api_client(office), api_client(editor)
    today = timezone.localdate()

    response = office_api.post(LIST, draft_data(), format="json")
    assert response.status_code == 201
    nomination_id, version = response.json()["id"], response.json()["version"]
    path = f"{LIST}{nomination_id}/"

    def step(client, name, **data):
        nonlocal version
        response = client.post(f"{path}{name}/", {"version": version, **data}, format="json")
        assert response.status_code == 200, response.json()
        version = response.json()["version"]
        return response.json()

    response = office_api.post(f"{path}documents/", {"kind": "decision", "file": upload()}, format="multipart")
    assert response.status_code == 201
    assert step(office_api, "submit")["status"] == "submitted"
    assert step(secretariat, "transition", action="return", comment="Шешімнің көшірмесі анық емес")["status"] == (
        "returned"
    )
    assert step(office_api, "answer", comment="Көшірме ауыстырылды")["status"] == "resubmitted"
    assert step(secretariat, "transition", action="accept")["status"] == "accepted"
    council_meeting = MeetingFactory(body=national_body("council"), start_date=today)
    assert step(secretariat, "transition", action="recommend", council_meeting=council_meeting.pk)["status"] == (
        "recommended"
    )
    assert step(secretariat, "transition", action="send_to_president")["status"] == "sent_to_president"
    body = step(secretariat, "transition", action="approve", decree_number="Ж-1", decree_date=today.isoformat())

    assert (body["status"], body["decree"]) == ("approved", {"number": "Ж-1", "date": today.isoformat()})
    assert [event["action"] for event in body["history"]] == [
        "create", "submit", "return", "resubmit", "accept", "recommend", "send_to_president", "approve",
    ]  # fmt: skip
    membership = Membership.objects.current().get(body=national_body("assembly"))
    assert (body["membership"], body["person"]) == (membership.pk, membership.person_id)
    assert membership.person.iin == Nomination.objects.get().iin


# Queries --------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 10])
def test_the_list_has_a_fixed_number_of_queries(office, editor, django_assert_num_queries, count):
    for _ in range(count):
        NominationFactory(created_by=office)
    for user in (office, editor):
        client = api_client(user)
        # The token with its user, the user's roles, the count, the page.
        with django_assert_num_queries(4):
            response = client.get(LIST)
        assert len(response.json()["results"]) == count
