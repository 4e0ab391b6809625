"""Every door a change comes through leaves a history row with its actor and its time: the
admin (add, change, delete; the import; the attendance page), the portal, the API with a
token, the services called with a user, the bulk writes and the management commands."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, update_last_login
from django.core.management import call_command
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from assembly import audit
from assembly.models import LegalAct
from members.demo import DemoPlan
from members.models import Membership, Person
from regional.models import Nomination, NominationDocument, RegionalOfficeUser
from sessions import services as session_services
from sessions.models import Attendance, Candidate, Meeting
from tests.audit.helpers import admin_url, assert_recorded, client_of, rows_of
from tests.factories import (
    CandidateFactory,
    ElectionFactory,
    LegalActFactory,
    MeetingFactory,
    NominationFactory,
    PersonFactory,
    advance_nomination,
    api_client,
    memberships_of,
    national_body,
    next_iin,
    post_of,
    upload,
)
from tests.members.test_admin import PERSON_HEADERS, confirm, csv_file, form_data, membership_form, preview

pytestmark = pytest.mark.django_db

COMMAND_REASON = re.compile(r"^manage\.py (?P<command>[a-z_]+) \(.+\)$")


@pytest.fixture
def since():
    return timezone.now()


# The admin ----------------------------------------------------------------------------------------


def test_admin_add_change_and_delete_of_a_person(editor, since):
    client = client_of(editor)
    data = form_data(client.get(admin_url("members_person_add")))
    data |= {"surname": "Аудитов", "given_name": "Ержан", "gender": "male"}
    assert client.post(admin_url("members_person_add"), data).status_code == 302
    person = Person.objects.get(surname="Аудитов")

    data = form_data(client.get(admin_url("members_person_change", person.pk))) | {"phone": "+7 701 111 22 33"}
    assert client.post(admin_url("members_person_change", person.pk), data).status_code == 302
    assert client.post(admin_url("members_person_delete", person.pk), {"post": "yes"}).status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()

    rows = rows_of(Person, person.pk)
    assert_recorded(rows, user=editor, actions="+~-", since=since)
    assert rows[1].phone == "+7 701 111 22 33"


def test_admin_add_change_and_delete_of_a_membership(editor, since):
    client = client_of(editor)
    council = national_body("council")
    person = PersonFactory()
    form = membership_form(person, council, post_of(council))
    assert client.post(admin_url("members_membership_add"), form).status_code == 302
    membership = Membership.objects.get(person=person)

    url = admin_url("members_membership_change", membership.pk)
    assert client.post(url, form_data(client.get(url)) | {"note": "Түзетілді"}).status_code == 302
    assert client.post(admin_url("members_membership_delete", membership.pk), {"post": "yes"}).status_code == 302

    assert_recorded(rows_of(Membership, membership.pk), user=editor, actions="+~-", since=since)


def test_admin_import_of_a_csv_file_is_credited_to_the_importing_user(editor, since):
    client = client_of(editor)
    rows = [["Импортова", "Әсел", "", "female", next_iin(datetime.date(1990, 1, 2), "female"), "02.01.1990", "", ""]]
    response = preview(client, "person", csv_file(PERSON_HEADERS, *rows))
    assert not Person.history.exists()  # the preview's rows were rolled back with it
    assert confirm(client, "person", response).status_code == 302

    person = Person.objects.get(surname="Импортова")
    assert_recorded(rows_of(Person, person.pk), user=editor, actions="+", since=since)


def test_the_attendance_page_records_each_row_with_the_editor(editor, since):
    council = national_body("council")
    members = memberships_of(council, 3)
    meeting = MeetingFactory(body=council, start_date=datetime.date(2024, 3, 1))
    url = admin_url("assembly_sessions_meeting_attendance", meeting.pk)

    response = client_of(editor).post(url, {"_all_present": "1", f"status-{members[0].pk}": "excused"})

    assert response.status_code == 302
    for row in meeting.attendance.all():
        assert_recorded(rows_of(Attendance, row.pk), user=editor, actions="+", since=since)


# The portal and the API ------------------------------------------------------------------------------


def test_a_portal_step_is_credited_to_the_office_user(office, since):
    nomination = NominationFactory(created_by=office)
    url = f"/en/portal/{nomination.pk}/steps/submit/"

    response = client_of(office).post(url, {"submit-version": nomination.version})

    assert response.status_code == 302
    assert_recorded(rows_of(Nomination, nomination.pk), user=office, actions="+~", since=since)
    (document,) = nomination.documents.all()
    assert_recorded(rows_of(NominationDocument, document.pk), user=office, actions="+", since=since)


def test_api_writes_with_a_token_are_credited_to_the_token_s_user(office, editor, since):
    # The user the middleware hands to simple-history, for every history row of the requests.
    request_users = []

    def seen(sender, **kwargs):
        request_users.append(getattr(getattr(HistoricalRecords.context, "request", None), "user", None))

    pre_create_historical_record.connect(seen)
    try:
        client = api_client(office)
        draft = {
            "track": "national",
            "surname": "Токенова",
            "given_name": "Айгерім",
            "gender": "female",
            "birth_date": "1985-06-07",
            "iin": next_iin(datetime.date(1985, 6, 7), "female"),
            "basis": "rotation",
            "decision_number": "R-1",
            "decision_date": "2024-02-01",
        }
        response = client.post("/api/v1/nominations/", draft, format="json")
        assert response.status_code == 201, response.content
        nomination = Nomination.objects.get(pk=response.json()["id"])
        documents = f"/api/v1/nominations/{nomination.pk}/documents/"
        assert client.post(documents, {"kind": "decision", "file": upload()}, format="multipart").status_code == 201
        submit = f"/api/v1/nominations/{nomination.pk}/submit/"
        assert client.post(submit, {"version": nomination.version}, format="json").status_code == 200
    finally:
        pre_create_historical_record.disconnect(seen)

    assert_recorded(rows_of(Nomination, nomination.pk), user=office, actions="+~", since=since)
    (document,) = nomination.documents.all()
    assert_recorded(rows_of(NominationDocument, document.pk), user=office, actions="+", since=since)
    # DRF put the token's user on the request the middleware holds: any write of an API view
    # is credited to it, whether or not a service names the user.
    assert request_users and {user.pk for user in request_users} == {office.pk}


def test_an_approval_through_the_api_credits_the_appointment_to_the_secretariat(office, editor, since):
    nomination = advance_nomination(NominationFactory(created_by=office), "sent_to_president", secretariat=editor)
    today = timezone.localdate().isoformat()
    step = {"action": "approve", "version": nomination.version, "decree_number": "API-1", "decree_date": today}

    response = api_client(editor).post(f"/api/v1/nominations/{nomination.pk}/transition/", step, format="json")

    assert response.status_code == 200, response.content
    nomination.refresh_from_db()
    assert_recorded(rows_of(Membership, nomination.membership_id), user=editor, actions="+", since=since)
    assert_recorded(rows_of(Person, nomination.person_id), user=editor, actions="+", since=since)
    assert_recorded(rows_of(LegalAct, nomination.decree_id), user=editor, actions="+", since=since)


# The services outside a request ------------------------------------------------------------------------


def test_an_approval_appointing_through_the_register_is_credited_to_its_user_whoever_calls(office, editor, since):
    """No request here: the nomination services name the user to the register's services."""
    nomination = advance_nomination(NominationFactory(created_by=office), "approved", secretariat=editor)

    assert nomination.membership is not None
    assert_recorded(rows_of(Membership, nomination.membership_id), user=editor, actions="+", since=since)
    assert_recorded(rows_of(Person, nomination.person_id), user=editor, actions="+", since=since)
    assert_recorded(rows_of(LegalAct, nomination.decree_id), user=editor, actions="+", since=since)
    steps = rows_of(Nomination, nomination.pk)
    assert {row.history_user for row in steps} == {office, editor}


def test_bulk_updates_of_the_votes_keep_a_history_row_per_candidate(editor, since):
    election = ElectionFactory(ballots_issued=10, ballots_cast=10)
    candidates = [CandidateFactory(election=election) for _ in range(2)]

    with audit.acting(user=editor, reason="votes entered"):
        session_services.election_set_votes(election=election, votes={candidates[0].pk: 5, candidates[1].pk: 3})

    for candidate in candidates:
        rows = rows_of(Candidate, candidate.pk)
        assert [row.history_user for row in rows[1:]] == [editor, editor]  # the votes, then who was elected
        assert {row.history_change_reason for row in rows[1:]} == {"votes entered"}
    assert [row.votes for row in rows_of(Candidate, candidates[0].pk)][1:] == [5, 5]


def test_a_user_the_row_names_itself_comes_before_the_context_s(editor, viewer):
    act = LegalActFactory.build()
    act._history_user = viewer
    with audit.acting(user=editor, reason="why"):
        act.save()
        other = LegalActFactory()
    assert rows_of(LegalAct, act.pk)[0].history_user == viewer
    assert rows_of(LegalAct, act.pk)[0].history_change_reason == "why"
    assert rows_of(LegalAct, other.pk)[0].history_user == editor


# Management commands ---------------------------------------------------------------------------------


def command_rows(model, pk) -> list:
    rows = rows_of(model, pk)
    assert rows
    for row in rows:
        assert row.history_user is None
        assert COMMAND_REASON.match(row.history_change_reason), row.history_change_reason
    return rows


def test_ensure_demo_staff_records_the_command_as_the_actor(since):
    call_command("ensure_demo_staff", username="audit-demo", password="Qz7-audit-staff-pass")

    user = get_user_model().objects.get(username="audit-demo")
    rows = command_rows(get_user_model(), user.pk)
    assert "".join(row.history_type for row in rows) == "+~"
    assert {COMMAND_REASON.match(row.history_change_reason)["command"] for row in rows} == {"ensure_demo_staff"}
    # The last row holds the roles the account then had.
    assert [membership.group.name for membership in rows[-1].groups.all()] == ["Secretariat editor"]


def test_ensure_demo_office_records_the_command_as_the_actor():
    call_command("ensure_demo_office", username="audit-office", password="Qz7-regional-desk-2026", region="75")

    profile = RegionalOfficeUser.objects.get(user__username="audit-office")
    (row,) = command_rows(RegionalOfficeUser, profile.pk)
    assert COMMAND_REASON.match(row.history_change_reason)["command"] == "ensure_demo_office"
    command_rows(get_user_model(), profile.user_id)


def small_plan(**kwargs) -> DemoPlan:
    """A demo plan of one person appointed by one act, for the command's real bulk writes
    without the national scale."""
    council = national_body("council")
    act = LegalAct(kind=LegalAct.Kind.DECREE, number="DEMO-1", date=datetime.date(2020, 1, 10))
    person = Person(surname="Демоұлы", given_name="Ерлан", gender="male", slug="demouly-erlan")
    membership = Membership(
        person=person, body=council, post=post_of(council), basis=Membership.Basis.PUBLIC_FIGURE,
        start_date=datetime.date(2020, 1, 15), appointed_by=act,
    )  # fmt: skip
    return DemoPlan(associations=[], acts=[act], persons=[person], memberships=[membership])


def small_meetings(**kwargs) -> None:
    """A meeting of the Council with its attendance (a bulk write of the sessions' services)."""
    meeting = MeetingFactory(start_date=datetime.date(2024, 3, 1))
    session_services.attendance_mark_all_present(meeting=meeting)


def test_demo_data_records_every_row_with_the_command_as_the_actor(monkeypatch):
    monkeypatch.setattr("members.demo.plan_demo", small_plan)
    monkeypatch.setattr("members.management.commands.demo_data.build_demo_meetings", small_meetings)

    call_command("demo_data", verbosity=0)

    person = Person.objects.get(slug="demouly-erlan")
    (membership,) = person.memberships.all()
    (attendance,) = Attendance.objects.filter(membership=membership)
    for model, pk in (
        (Person, person.pk),
        (Membership, membership.pk),
        (LegalAct, membership.appointed_by_id),
        (Meeting, attendance.meeting_id),
        (Attendance, attendance.pk),
    ):
        (row,) = command_rows(model, pk)
        assert COMMAND_REASON.match(row.history_change_reason)["command"] == "demo_data"


# The accounts ----------------------------------------------------------------------------------------


def test_a_sign_in_is_no_change_of_the_account_but_a_change_of_roles_is(editor, viewer, since):
    before = len(rows_of(get_user_model(), viewer.pk))
    update_last_login(None, user=viewer)  # what every sign-in does
    assert len(rows_of(get_user_model(), viewer.pk)) == before

    with audit.acting(user=editor):
        viewer.groups.add(Group.objects.get(name="Secretariat editor"))
    latest = rows_of(get_user_model(), viewer.pk)[-1]
    assert (latest.history_type, latest.history_user) == ("~", editor)
    assert {membership.group.name for membership in latest.groups.all()} == {
        "Secretariat viewer",
        "Secretariat editor",
    }
