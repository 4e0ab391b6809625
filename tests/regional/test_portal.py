"""The regional office portal: who may enter, every page for every role, region scoping
(another region's nomination, step, edit or file answers 404), the draft form's errors,
uploads checked by content, a whole national nomination walked through the portal, stale
steps, notifications, the dashboard and the list's query count."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from assembly.models import Body
from members.models import Membership
from regional.models import Nomination, NominationDocument, NominationEvent, Notification
from regional.services import nomination_transition
from tests.factories import (
    MeetingFactory,
    NominationFactory,
    advance_nomination,
    image_bytes,
    next_iin,
    region,
    regional_office_user,
    secretariat_user,
    upload,
)

pytestmark = pytest.mark.django_db

S = Nomination.Status


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.fixture
def office_a():
    return regional_office_user("75")


@pytest.fixture
def office_b():
    return regional_office_user("11")


@pytest.fixture
def editor():
    return secretariat_user("Secretariat editor")


@pytest.fixture
def viewer():
    return secretariat_user("Secretariat viewer")


@pytest.fixture
def nomination(office_a):
    return NominationFactory(created_by=office_a)


def client_of(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def url(name: str, *args) -> str:
    return reverse(f"portal:{name}", args=args)


def draft_data(**overrides) -> dict:
    birth_date = datetime.date(1985, 6, 7)
    data = {
        "track": "national",
        "surname": "Сейітов",
        "given_name": "Марат",
        "patronymic": "",
        "iin": next_iin(birth_date, "male"),
        "birth_date": birth_date.isoformat(),
        "gender": "male",
        "basis": "regional_session",
        "decision_number": "12",
        "decision_date": "2024-03-01",
    }
    return {**data, **overrides}


# Who may enter ------------------------------------------------------------------------------


def test_anonymous_is_sent_to_the_portal_login(nomination):
    document = nomination.documents.get()
    for page in (
        url("list"),
        url("create"),
        url("dashboard"),
        url("notifications"),
        url("detail", nomination.pk),
        url("edit", nomination.pk),
        url("document", nomination.pk, document.pk),
    ):
        response = Client().get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(url("login") + "?next="), page


def test_login_leads_to_the_list(office_a):
    client = Client()
    assert client.get(url("login")).status_code == 200
    response = client.post(url("login"), {"username": office_a.username, "password": "pass-for-tests"})
    assert response.status_code == 302
    assert response["Location"] == url("list")


def test_logout_is_a_post(office_a):
    client = client_of(office_a)
    response = client.post(url("logout"))
    assert response.status_code == 302
    assert client.get(url("list")).status_code == 302


@pytest.mark.parametrize("is_staff", [False, True])
def test_others_get_a_clear_403(django_user_model, is_staff):
    user = django_user_model.objects.create_user("clerk", password="x", is_staff=is_staff)
    response = client_of(user).get(url("list"))
    assert response.status_code == 403
    assert "for the users of the regional offices and of the Secretariat only" in response.content.decode()


# Every page for every role ------------------------------------------------------------------

# (page, office A, office B, editor, viewer): the expected status of a GET.
PAGES = [
    ("list", 200, 200, 200, 200),
    ("create", 200, 200, 403, 403),
    ("dashboard", 403, 403, 200, 200),
    ("notifications", 200, 200, 200, 200),
    ("detail", 200, 404, 200, 200),
    ("edit", 200, 404, 403, 403),
    ("document", 200, 404, 200, 200),
]


@pytest.mark.parametrize(("page", "a", "b", "editor_status", "viewer_status"), PAGES)
def test_every_page_for_every_role(
    nomination, office_a, office_b, editor, viewer, page, a, b, editor_status, viewer_status
):
    args = {"detail": [nomination.pk], "edit": [nomination.pk]}.get(page, [])
    if page == "document":
        args = [nomination.pk, nomination.documents.get().pk]
    for user, expected in ((office_a, a), (office_b, b), (editor, editor_status), (viewer, viewer_status)):
        response = client_of(user).get(url(page, *args))
        assert response.status_code == expected, (page, user.username)


def test_the_header_shows_the_unread_count(nomination, office_a, editor):
    nomination_transition(nomination=nomination, user=office_a, action="submit", version=nomination.version)
    response = client_of(editor).get(url("list"))
    assert 'data-unread="1"' in response.content.decode()
    response = client_of(office_a).get(url("list"))
    assert "data-unread" not in response.content.decode()


# Region scoping -----------------------------------------------------------------------------


def test_another_region_gets_404_everywhere(nomination, office_b):
    document = nomination.documents.get()
    client = client_of(office_b)
    version = {"version": nomination.version}
    assert client.get(url("detail", nomination.pk)).status_code == 404
    assert client.get(url("edit", nomination.pk)).status_code == 404
    assert client.post(url("edit", nomination.pk), {**draft_data(), **version}).status_code == 404
    assert client.post(url("transition", nomination.pk, "submit"), {"submit-version": 1}).status_code == 404
    assert client.post(url("transition", nomination.pk, "withdraw"), {"withdraw-comment": "x"}).status_code == 404
    assert client.get(url("document", nomination.pk, document.pk)).status_code == 404
    assert client.post(url("document-upload", nomination.pk), {"kind": "other", "file": upload()}).status_code == 404
    assert client.post(url("document-remove", nomination.pk, document.pk)).status_code == 404
    nomination.refresh_from_db()
    assert nomination.status == S.DRAFT
    assert nomination.version == 1
    assert nomination.documents.count() == 1


def test_another_regions_document_and_a_missing_one_look_the_same(nomination, office_a, office_b):
    document = nomination.documents.get()
    other = client_of(office_b).get(url("document", nomination.pk, document.pk))
    missing = client_of(office_a).get(url("document", nomination.pk, document.pk + 1000))
    wrong_nomination = client_of(office_a).get(url("document", nomination.pk + 1000, document.pk))
    assert other.status_code == missing.status_code == wrong_nomination.status_code == 404


def test_the_list_shows_only_the_users_region(nomination, office_b, editor):
    other = NominationFactory(created_by=office_b)
    page = client_of(office_b).get(url("list")).content.decode()
    assert other.surname in page
    assert nomination.surname not in page
    page = client_of(editor).get(url("list")).content.decode()
    assert other.surname in page and nomination.surname in page


def test_the_list_filters(nomination, office_a, office_b, editor):
    other = NominationFactory(created_by=office_b)
    submitted = NominationFactory(created_by=office_a)
    nomination_transition(nomination=submitted, user=office_a, action="submit", version=1)
    page = client_of(office_a).get(url("list"), {"status": "submitted"}).content.decode()
    assert submitted.surname in page and nomination.surname not in page
    page = client_of(editor).get(url("list"), {"region": other.region_id}).content.decode()
    assert other.surname in page and nomination.surname not in page
    # A regional office has no region filter: the parameter changes nothing.
    page = client_of(office_a).get(url("list"), {"region": other.region_id}).content.decode()
    assert nomination.surname in page and other.surname not in page
    assert 'name="region"' not in page


def test_the_list_query_count_does_not_grow(office_a, django_assert_num_queries):
    NominationFactory(created_by=office_a)
    client = client_of(office_a)
    client.get(url("list"))  # the session is loaded once
    with django_assert_num_queries(6):
        # session, user, roles, unread count, count, the page of nominations
        client.get(url("list"))
    for _number in range(4):
        NominationFactory(created_by=office_a)
    with django_assert_num_queries(6):
        response = client.get(url("list"))
    assert len(response.context["nominations"]) == 5


# The draft form -----------------------------------------------------------------------------


def test_create_a_draft_with_its_decision(office_a):
    response = client_of(office_a).post(url("create"), {**draft_data(), "decision_file": upload()})
    nomination = Nomination.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", nomination.pk)
    assert nomination.region == region("75")
    assert nomination.documents.get().kind == NominationDocument.Kind.DECISION


def test_create_with_a_bad_iin_shows_the_error_and_saves_nothing(office_a):
    response = client_of(office_a).post(url("create"), draft_data(iin="123456789012"))
    assert response.status_code == 400
    assert response.context["form"].errors["iin"]
    assert 'id="id_iin_errors"' in response.content.decode()
    assert not Nomination.objects.exists()


def test_create_with_a_birth_date_that_does_not_match_the_iin(office_a):
    response = client_of(office_a).post(url("create"), draft_data(birth_date="1990-01-01"))
    assert "does not match the IIN" in response.context["form"].errors["birth_date"][0]
    assert not Nomination.objects.exists()


def test_create_a_duplicate_is_refused_on_the_iin(nomination, office_a):
    data = draft_data(iin=nomination.iin, birth_date=nomination.birth_date.isoformat())
    response = client_of(office_a).post(url("create"), data)
    assert "already has an open nomination" in response.context["form"].errors["iin"][0]
    assert Nomination.objects.count() == 1


def test_create_with_a_non_pdf_decision_is_refused(office_a):
    fake = upload("decision.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    response = client_of(office_a).post(url("create"), {**draft_data(), "decision_file": fake})
    assert response.status_code == 400
    assert "Only PDF, JPEG or PNG files are accepted" in response.content.decode()
    assert not Nomination.objects.exists()


def test_edit_a_draft(nomination, office_a):
    data = draft_data(surname="Жаңа", version=nomination.version)
    data.pop("track")
    response = client_of(office_a).post(url("edit", nomination.pk), data)
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.surname == "Жаңа"
    assert nomination.version == 2


def test_edit_with_a_stale_version_changes_nothing(nomination, office_a):
    data = draft_data(surname="Жаңа", version=nomination.version)
    data.pop("track")
    client_of(office_a).post(url("edit", nomination.pk), {**data, "surname": "Бірінші"})
    response = client_of(office_a).post(url("edit", nomination.pk), data, follow=True)
    assert "changed by someone else" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.surname == "Бірінші"


# Documents ----------------------------------------------------------------------------------


def test_upload_of_a_non_pdf_by_content_is_refused(nomination, office_a):
    fake = upload("decision.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    response = client_of(office_a).post(url("document-upload", nomination.pk), {"kind": "consent", "file": fake})
    assert response.status_code == 400
    assert "Only PDF, JPEG or PNG files are accepted" in response.content.decode()
    assert nomination.documents.count() == 1


def test_upload_an_image_and_remove_it(nomination, office_a):
    client = client_of(office_a)
    png = upload("consent.png", image_bytes("PNG"), "image/png")
    response = client.post(url("document-upload", nomination.pk), {"kind": "consent", "file": png})
    assert response.status_code == 302
    document = nomination.documents.get(kind="consent")
    assert document.content_type == "image/png"
    client.post(url("document-remove", nomination.pk, document.pk))
    assert not nomination.documents.filter(kind="consent").exists()


def test_download_is_an_attachment_of_the_right_type(nomination, office_a):
    document = nomination.documents.get()
    response = client_of(office_a).get(url("document", nomination.pk, document.pk))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="decision.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_document_whose_file_is_gone_answers_404(nomination, office_a):
    document = nomination.documents.get()
    document.file.storage.delete(document.file.name)
    assert client_of(office_a).get(url("document", nomination.pk, document.pk)).status_code == 404


# Steps --------------------------------------------------------------------------------------


def test_the_detail_shows_only_the_users_steps(nomination, office_a, editor, viewer):
    page = client_of(office_a).get(url("detail", nomination.pk)).content.decode()
    assert url("transition", nomination.pk, "submit") in page
    assert url("transition", nomination.pk, "withdraw") in page
    for user in (editor, viewer):
        assert (
            url("transition", nomination.pk, "submit")
            not in client_of(user).get(url("detail", nomination.pk)).content.decode()
        )


def test_a_stale_step_shows_the_message_and_changes_nothing(nomination, office_a):
    client = client_of(office_a)
    client.post(url("transition", nomination.pk, "submit"), {"submit-version": 1})
    nomination.refresh_from_db()
    assert nomination.status == S.SUBMITTED
    response = client.post(
        url("transition", nomination.pk, "withdraw"), {"withdraw-version": 1, "withdraw-comment": "Ойнады"}, follow=True
    )
    assert "changed by someone else" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == S.SUBMITTED
    assert nomination.version == 2


def test_a_step_without_its_required_comment_shows_the_field_error(nomination, office_a):
    response = client_of(office_a).post(url("transition", nomination.pk, "withdraw"), {"withdraw-version": 1})
    assert response.status_code == 400
    assert 'id="id_withdraw-comment_errors"' in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == S.DRAFT


def test_a_viewer_may_not_take_the_secretariats_step(nomination, office_a, viewer):
    nomination = nomination_transition(nomination=nomination, user=office_a, action="submit", version=1)
    response = client_of(viewer).post(
        url("transition", nomination.pk, "accept"), {"accept-version": nomination.version}
    )
    assert response.status_code == 403
    assert "Only an editor of the Secretariat" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == S.SUBMITTED


def test_an_unknown_step_is_404(nomination, office_a):
    response = client_of(office_a).post(url("transition", nomination.pk, "session_support"), {})
    assert response.status_code == 404


def test_a_national_nomination_through_the_portal_to_a_membership(office_a, editor):
    office, secretariat = client_of(office_a), client_of(editor)

    def step(client, nomination, action, **data):
        nomination.refresh_from_db()
        fields = {f"{action}-{name}": value for name, value in {"version": nomination.version, **data}.items()}
        response = client.post(url("transition", nomination.pk, action), fields)
        assert response.status_code == 302, response.content.decode()
        nomination.refresh_from_db()
        return nomination

    office.post(url("create"), draft_data())
    nomination = Nomination.objects.get()
    nomination = step(office, nomination, "submit", document=upload())
    assert nomination.status == S.SUBMITTED
    nomination = step(secretariat, nomination, "return", comment="Шешімнің көшірмесі анық емес")
    assert nomination.status == S.RETURNED

    # The office answers: edits the draft and resubmits with a clearer decision.
    data = draft_data(surname="Сейітұлы", version=nomination.version)
    data.pop("track")
    assert office.post(url("edit", nomination.pk), data).status_code == 302
    nomination = step(office, nomination, "resubmit", comment="Анық көшірме тіркелді", document=upload("clear.pdf"))
    assert nomination.status == S.RESUBMITTED

    nomination = step(secretariat, nomination, "accept")
    council = Body.objects.get(kind=Body.Kind.COUNCIL, parent=nomination.target_body)
    meeting = MeetingFactory(body=council, start_date=timezone.localdate())
    nomination = step(secretariat, nomination, "recommend", council_meeting=meeting.pk)
    nomination = step(secretariat, nomination, "send_to_president")
    today = timezone.localdate().isoformat()
    nomination = step(secretariat, nomination, "approve", decree_number="777", decree_date=today)

    assert nomination.status == S.APPROVED
    membership = Membership.objects.current().get(person__iin=nomination.iin, body=nomination.target_body)
    assert nomination.membership == membership
    assert membership.person.surname == "Сейітұлы"
    page = office.get(url("detail", nomination.pk)).content.decode()
    assert "Шешімнің көшірмесі анық емес" in page
    assert "clear.pdf" in page
    assert list(nomination.events.values_list("action", flat=True)) == [
        "create", "submit", "return", "resubmit", "accept", "recommend", "send_to_president", "approve"
    ]  # fmt: skip


def test_withdraw(nomination, office_a):
    response = client_of(office_a).post(
        url("transition", nomination.pk, "withdraw"), {"withdraw-version": 1, "withdraw-comment": "Кандидат бас тартты"}
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == S.WITHDRAWN
    assert nomination.events.get(action="withdraw").comment == "Кандидат бас тартты"


# Notifications and the dashboard ------------------------------------------------------------


def test_notifications_mark_read_and_mark_all(nomination, office_a, editor):
    advance_nomination(nomination, S.ACCEPTED, secretariat=editor)
    mine = Notification.objects.filter(user=office_a)
    assert mine.count() == 1  # the office hears of the Secretariat's step, not of its own
    client = client_of(office_a)
    page = client.get(url("notifications")).content.decode()
    assert mine.get().message in page
    client.post(url("notification-read", mine.get().pk))
    assert mine.get().read_at is not None

    editors = Notification.objects.filter(user=editor)
    assert editors.filter(read_at__isnull=True).exists()
    # Someone else's notification is not there to be read.
    assert client.post(url("notification-read", editors.first().pk)).status_code == 404
    client_of(editor).post(url("notifications-read-all"))
    assert not editors.filter(read_at__isnull=True).exists()


def test_the_dashboard_counts_and_waiting(nomination, office_b, editor):
    NominationFactory(created_by=office_b)
    Nomination.objects.filter(pk=nomination.pk).update(status_changed_at=timezone.now() - datetime.timedelta(days=9))
    response = client_of(editor).get(url("dashboard"))
    dashboard = response.context["dashboard"]
    assert dashboard.totals["draft"] == 2
    assert dashboard.waiting[0].pk == nomination.pk
    assert "9 days" in response.content.decode()


# Protection ---------------------------------------------------------------------------------


def test_posts_need_the_csrf_token(nomination, office_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(office_a)
    response = client.post(url("transition", nomination.pk, "submit"), {"submit-version": 1})
    assert response.status_code == 403
    nomination.refresh_from_db()
    assert nomination.status == S.DRAFT


def test_the_event_documents_are_downloadable_from_the_history(nomination, office_a, editor):
    nomination = nomination_transition(
        nomination=nomination,
        user=office_a,
        action="submit",
        version=1,
        documents=[("other", ContentFile(image_bytes("JPEG"), name="photo.jpg"))],
    )
    document = NominationEvent.objects.get(action="submit").documents.get()
    page = client_of(editor).get(url("detail", nomination.pk)).content.decode()
    assert url("document", nomination.pk, document.pk) in page
    response = client_of(editor).get(url("document", nomination.pk, document.pk))
    assert response["Content-Type"] == "image/jpeg"


def test_ensure_demo_office_makes_a_regional_office_user_who_can_use_the_portal(client):
    from django.core.management import CommandError, call_command

    call_command("ensure_demo_office", username="demo-almaty", password="demo-office-2026", region="75")
    # django-axes checks every sign-in against the lockouts, which needs a request.
    assert client.login(request=HttpRequest(), username="demo-almaty", password="demo-office-2026")
    assert client.get(url("list")).status_code == 200
    assert client.get(url("create")).status_code == 200
    with pytest.raises(CommandError, match="KATO"):
        call_command("ensure_demo_office", username="x", password="long-enough-1", region="99")
