"""The staff admin of sessions and meetings: every page opens for the staff who may see
it, writes go through ``sessions.services`` (a refusal is a form error and nothing is
saved), the per-meeting attendance and vote pages, and pinned query counts."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assembly.models import Body
from sessions import selectors, services
from sessions.models import AgendaItem, Attendance, Candidate, Decision, Election, Meeting
from tests.factories import (
    AgendaItemFactory,
    CandidateFactory,
    DecisionFactory,
    DocumentFactory,
    ElectionFactory,
    MeetingFactory,
    MembershipFactory,
    memberships_of,
    national_body,
)

pytestmark = pytest.mark.django_db

MEETING_DAY = datetime.date(2024, 3, 1)


def admin_url(name: str, *args, query: str = "") -> str:
    # English: the assertions below read the page's own texts.
    with translation.override("en"):
        url = reverse(f"admin:assembly_sessions_{name}", args=args)
    return f"{url}?{query}" if query else url


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def staff_in_group(django_user_model, group: str, username: str):
    user = django_user_model.objects.create_user(username, password="pass-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def admin_client_(django_user_model):
    return logged_in(django_user_model.objects.create_superuser("chief", "chief@example.kz", "pass-for-tests"))


@pytest.fixture
def viewer_client(django_user_model):
    return logged_in(staff_in_group(django_user_model, "Secretariat viewer", "viewer"))


@pytest.fixture
def editor_client(django_user_model):
    return logged_in(staff_in_group(django_user_model, "Secretariat editor", "editor"))


@pytest.fixture
def council():
    """The Council (quorum: at least 2/3 of all members) with six members on the meeting's
    date and one who joined the day after the meeting."""
    body = national_body("council")
    members = memberships_of(body, 6)
    late = MembershipFactory(body=body, start_date=MEETING_DAY + datetime.timedelta(days=1))
    return {
        "body": body,
        "members": members,
        "late": late,
        "meeting": MeetingFactory(body=body, start_date=MEETING_DAY),
    }


def attend(meeting: Meeting, members: list, present: int) -> None:
    """The first ``present`` members attended, the others were absent."""
    services.attendance_mark_all_present(meeting=meeting)
    services.attendance_set(meeting=meeting, statuses={m.pk: Attendance.Status.ABSENT for m in members[present:]})


def queries_of(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# Every page opens ---------------------------------------------------------------------------


@pytest.fixture
def meeting_file(council):
    meeting = council["meeting"]
    attend(meeting, council["members"], present=6)
    item = AgendaItemFactory(meeting=meeting)
    election = ElectionFactory(meeting=meeting)
    CandidateFactory(election=election)
    return {
        "meeting": meeting,
        "meetingrules": council["body"].meeting_rules,
        "decision": DecisionFactory(meeting=meeting, agenda_item=item, votes_for=5),
        "document": DocumentFactory(meeting=meeting),
        "election": election,
    }


MODELS = ["meeting", "meetingrules", "decision", "document", "election"]


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("who", ["superuser", "viewer"])
def test_changelist_change_form_and_history_open(meeting_file, model, who, admin_client_, viewer_client):
    client = admin_client_ if who == "superuser" else viewer_client
    pk = meeting_file[model].pk
    for url in (
        admin_url(f"{model}_changelist"),
        admin_url(f"{model}_change", pk),
        admin_url(f"{model}_history", pk),
    ):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    change_form = client.get(admin_url(f"{model}_change", pk)).content.decode()
    assert ('name="_save"' in change_form) is (who == "superuser")


@pytest.mark.parametrize("model", MODELS)
def test_add_form_opens_for_the_editor_and_not_for_the_viewer(model, editor_client, viewer_client):
    assert editor_client.get(admin_url(f"{model}_add")).status_code == 200
    assert viewer_client.get(admin_url(f"{model}_add")).status_code == 403


def test_meeting_pages_need_the_view_permission(council, django_user_model):
    meeting = council["meeting"]
    client = logged_in(django_user_model.objects.create_user("clerk", password="pass-for-tests", is_staff=True))
    for name in ("attendance", "votes", "attendance_csv", "attendance_pdf"):
        assert client.get(admin_url(f"meeting_{name}", meeting.pk)).status_code == 403, name


# The meeting changelist and change page --------------------------------------------------------


def changelist(client, query: str = "") -> list[Meeting]:
    response = client.get(admin_url("meeting_changelist", query=query))
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_sessions_are_listed_with_roman_numerals(admin_client_):
    content = admin_client_.get(admin_url("meeting_changelist", query="body__kind__exact=assembly")).content.decode()
    assert "XXXIV session" in content
    assert "XXXIV" in content


def test_meeting_filters_and_search(admin_client_, council):
    regional_body = Body.objects.filter(region__isnull=False, kind=Body.Kind.COUNCIL).first()
    regional = MeetingFactory(body=regional_body, start_date=datetime.date(2023, 5, 5), theme_kk="Жастар саясаты")
    council_meeting = council["meeting"]

    assert set(changelist(admin_client_, "region=regional")) == {regional}
    assert set(changelist(admin_client_, f"region={regional_body.region_id}")) == {regional}
    assert council_meeting in changelist(admin_client_, "region=national")
    assert regional not in changelist(admin_client_, "region=national")
    in_2023 = changelist(admin_client_, "year=2023")
    assert regional in in_2023
    assert {meeting.start_date.year for meeting in in_2023} == {2023}
    assert set(changelist(admin_client_, "body__kind__exact=council")) == {regional, council_meeting}
    assert changelist(admin_client_, "q=жастар") == [regional]
    assert changelist(admin_client_, "kind__exact=extraordinary&year=2024") == []
    # A malformed value is the admin's "incorrect lookup" redirect, not a server error.
    assert admin_client_.get(admin_url("meeting_changelist", query="region=x")).url.endswith("?e=1")


def test_meeting_changelist_queries_are_pinned_and_do_not_grow_with_rows(admin_client_, django_assert_num_queries):
    url = admin_url("meeting_changelist")
    body = national_body("council")
    MeetingFactory(body=body)
    few = queries_of(admin_client_, url)
    MeetingFactory.create_batch(10, body=body)
    with django_assert_num_queries(few):
        admin_client_.get(url)
    # The session and the user; the regions and the years of the filters; two counts; the rows;
    # the date hierarchy (its range and its years).
    assert few == 9


def test_meeting_change_page_links_to_its_own_pages(admin_client_, council):
    meeting = council["meeting"]
    content = admin_client_.get(admin_url("meeting_change", meeting.pk)).content.decode()
    for name in ("attendance", "votes", "attendance_csv", "attendance_pdf"):
        assert admin_url(f"meeting_{name}", meeting.pk) in content
    assert admin_url("election_add", query=f"meeting={meeting.pk}") in content


def test_agenda_is_shown_in_outline_order(admin_client_, council):
    meeting = council["meeting"]
    second = AgendaItemFactory(meeting=meeting, order=2, title_kk="Екінші")
    AgendaItemFactory(meeting=meeting, order=1, title_kk="Бірінші")
    AgendaItemFactory(meeting=meeting, order=1, parent=second, title_kk="Екіншінің бөлімі")
    response = admin_client_.get(admin_url("meeting_change", meeting.pk))
    formset = next(f.formset for f in response.context["inline_admin_formsets"] if f.formset.model is AgendaItem)
    assert [(form.instance.outline, form.instance.title_kk) for form in formset.initial_forms] == [
        ("1", "Бірінші"),
        ("2", "Екінші"),
        ("2.1", "Екіншінің бөлімі"),
    ]


def change_form_data(response) -> dict:
    """The POST data of an admin change form as rendered (the form and its inline formsets)."""
    data = {}

    def add(form):
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            if value is None or name == "file":
                continue
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, datetime.date):
                data[bound.html_name] = value.isoformat()
            else:
                data[bound.html_name] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def test_agenda_items_cannot_nest_in_a_circle(admin_client_, council):
    meeting = council["meeting"]
    first = AgendaItemFactory(meeting=meeting, order=1)
    second = AgendaItemFactory(meeting=meeting, order=1, parent=first)
    data = change_form_data(admin_client_.get(admin_url("meeting_change", meeting.pk)))
    prefix = next(k for k, v in data.items() if k.endswith("-id") and v == first.pk).removesuffix("-id")
    data[f"{prefix}-parent"] = second.pk
    response = admin_client_.post(admin_url("meeting_change", meeting.pk), data)
    assert response.status_code == 200
    assert "nested in a circle" in response.content.decode()
    first.refresh_from_db()
    assert first.parent_id is None


def test_the_date_of_a_meeting_cannot_leave_recorded_members_out(admin_client_, council):
    meeting = council["meeting"]
    attend(meeting, council["members"], present=6)
    url = admin_url("meeting_change", meeting.pk)
    data = change_form_data(admin_client_.get(url))
    data["start_date"] = "2019-06-01"  # before anyone's membership began
    response = admin_client_.post(url, data)
    assert response.status_code == 200
    assert "would not be entitled" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.start_date == MEETING_DAY

    data["start_date"] = "2024-03-02"  # all six are still members; the late one has no attendance
    assert admin_client_.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.start_date == datetime.date(2024, 3, 2)


# Decisions through the service -------------------------------------------------------------


def decision_form(meeting: Meeting, **fields) -> dict:
    return {
        "meeting": meeting.pk,
        "text_kk": "Шешім",
        "required_majority": "two_thirds_present",
        "votes_for": 4,
        "votes_against": 1,
        "votes_abstained": 0,
        **fields,
    }


def test_decision_added_in_the_admin_is_recorded_by_the_service(editor_client, council):
    meeting = council["meeting"]
    attend(meeting, council["members"], present=6)
    response = editor_client.post(admin_url("decision_add"), decision_form(meeting))
    assert response.status_code == 302, response.context["adminform"].form.errors
    decision = Decision.objects.get(meeting=meeting)
    assert (decision.result, decision.votes_needed, decision.members_present) == ("adopted", 4, 6)


def test_decision_on_a_meeting_without_quorum_is_a_form_error(editor_client, council):
    meeting = council["meeting"]
    attend(meeting, council["members"], present=3)
    response = editor_client.post(admin_url("decision_add"), decision_form(meeting, votes_for=3))
    assert response.status_code == 200
    assert "no quorum" in response.content.decode()
    assert not Decision.objects.exists()


def test_decision_with_more_votes_than_members_present_is_a_form_error(editor_client, council):
    meeting = council["meeting"]
    attend(meeting, council["members"], present=5)
    response = editor_client.post(admin_url("decision_add"), decision_form(meeting, votes_for=5, votes_against=1))
    assert response.status_code == 200
    assert "only 5 members were present" in response.content.decode()
    assert not Decision.objects.exists()


def test_decision_agenda_item_must_be_of_its_meeting(editor_client, council):
    meeting = council["meeting"]
    attend(meeting, council["members"], present=6)
    other_item = AgendaItemFactory()
    response = editor_client.post(admin_url("decision_add"), decision_form(meeting, agenda_item=other_item.pk))
    assert response.status_code == 200
    assert not Decision.objects.exists()


def inline_prefix(response, model) -> str:
    return next(f.formset.prefix for f in response.context["inline_admin_formsets"] if f.formset.model is model)


def test_decision_inline_goes_through_the_service_and_refuses_without_quorum(admin_client_, council):
    meeting = council["meeting"]
    url = admin_url("meeting_change", meeting.pk)
    response = admin_client_.get(url)
    prefix = inline_prefix(response, Decision)
    data = change_form_data(response)
    data |= {
        f"{prefix}-TOTAL_FORMS": 1,
        f"{prefix}-0-text_kk": "Шешім",
        f"{prefix}-0-required_majority": "simple_present",
        f"{prefix}-0-votes_for": 4,
        f"{prefix}-0-votes_against": 0,
        f"{prefix}-0-votes_abstained": 0,
        "venue_kk": "Астана",
    }
    response = admin_client_.post(url, data)
    assert response.status_code == 200
    assert "no quorum" in response.content.decode()
    assert not Decision.objects.exists()
    meeting.refresh_from_db()
    assert meeting.venue_kk != "Астана"

    attend(meeting, council["members"], present=5)
    assert admin_client_.post(url, data).status_code == 302
    decision = Decision.objects.get(meeting=meeting)
    assert (decision.result, decision.members_present, decision.votes_needed) == ("adopted", 5, 3)


# Elections through the service -------------------------------------------------------------


def test_election_saved_in_the_admin_computes_who_is_elected(admin_client_, council):
    election = ElectionFactory(meeting=council["meeting"], seats=1, ballots_issued=6, ballots_cast=6)
    winner = CandidateFactory(election=election, votes=4)
    loser = CandidateFactory(election=election, votes=2)
    url = admin_url("election_change", election.pk)
    assert admin_client_.post(url, change_form_data(admin_client_.get(url))).status_code == 302
    assert Candidate.objects.get(pk=winner.pk).elected
    assert not Candidate.objects.get(pk=loser.pk).elected
    assert Election.objects.get(pk=election.pk).seats_filled == 1


def test_election_the_service_refuses_is_a_form_error_and_nothing_is_saved(admin_client_, council):
    election = ElectionFactory(meeting=council["meeting"], title_kk="Ескі")
    url = admin_url("election_change", election.pk)
    data = change_form_data(admin_client_.get(url))
    data |= {"kind": "mazhilis", "title_kk": "Жаңа"}  # the Mazhilis is elected at a session, not by the Council
    response = admin_client_.post(url, data)
    assert response.status_code == 200
    assert "elected at a session of the Assembly" in response.content.decode()
    assert Election.objects.get(pk=election.pk).title_kk == "Ескі"


# The attendance page -----------------------------------------------------------------------


def attendance_rows(response) -> dict:
    return {row["membership"].pk: row["value"] for row in response.context["rows"]}


def test_attendance_page_lists_the_entitled_members_only_with_the_quorum(viewer_client, council):
    meeting = council["meeting"]
    response = viewer_client.get(admin_url("meeting_attendance", meeting.pk))
    assert response.status_code == 200
    assert set(attendance_rows(response)) == {m.pk for m in council["members"]}
    assert council["late"].pk not in attendance_rows(response)
    quorum = response.context["quorum"]
    assert (quorum.entitled, quorum.present, quorum.required, quorum.met) == (6, 0, 4, False)
    content = response.content.decode()
    assert "no quorum" in content
    assert "at least 2/3 of all members" in content
    assert 'name="_all_present"' not in content  # the viewer only reads


def test_all_present_records_the_entitled_members_and_keeps_given_statuses(editor_client, council):
    meeting = council["meeting"]
    first = council["members"][0]
    url = admin_url("meeting_attendance", meeting.pk)
    response = editor_client.post(url, {"_all_present": "1", f"status-{first.pk}": "excused"})
    assert response.status_code == 302
    statuses = dict(meeting.attendance.values_list("membership_id", "status"))
    assert set(statuses) == {m.pk for m in council["members"]}
    assert statuses[first.pk] == "excused"
    assert list(statuses.values()).count("present") == 5
    assert council["late"].pk not in statuses

    response = editor_client.get(url)
    assert response.context["quorum"].present == 5
    assert response.context["quorum"].met


def test_changing_the_exceptions_saves_them(editor_client, council):
    meeting = council["meeting"]
    members = council["members"]
    services.attendance_mark_all_present(meeting=meeting)
    url = admin_url("meeting_attendance", meeting.pk)
    data = {f"status-{m.pk}": "present" for m in members}
    data |= {f"status-{members[0].pk}": "absent", f"status-{members[1].pk}": "left_early", "_save": "1"}
    assert editor_client.post(url, data).status_code == 302
    statuses = dict(meeting.attendance.values_list("membership_id", "status"))
    assert statuses[members[0].pk] == "absent"
    assert statuses[members[1].pk] == "left_early"
    response = editor_client.get(url)
    assert response.context["quorum"].present == 5  # leaving early still counts as present
    assert "quorum met" in response.content.decode()


def test_bad_attendance_input_is_an_error_and_nothing_is_lost(editor_client, council):
    meeting = council["meeting"]
    members = council["members"]
    url = admin_url("meeting_attendance", meeting.pk)
    data = {f"status-{members[0].pk}": "absent", f"status-{members[1].pk}": "asleep", "_save": "1"}
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert not meeting.attendance.exists()
    assert attendance_rows(response)[members[0].pk] == "absent"  # the input is still on the page
    assert response.context["form"].errors


def test_the_viewer_cannot_post_attendance(viewer_client, council):
    meeting = council["meeting"]
    response = viewer_client.post(admin_url("meeting_attendance", meeting.pk), {"_all_present": "1"})
    assert response.status_code == 403
    assert not meeting.attendance.exists()


def test_attendance_page_queries_are_pinned_and_do_not_grow_with_members(
    admin_client_, council, django_assert_num_queries
):
    meeting = council["meeting"]
    services.attendance_mark_all_present(meeting=meeting)
    url = admin_url("meeting_attendance", meeting.pk)
    few = queries_of(admin_client_, url)
    memberships_of(council["body"], 20)
    services.attendance_mark_all_present(meeting=meeting)
    with django_assert_num_queries(few):
        response = admin_client_.get(url)
    assert len(response.context["rows"]) == 26
    # The session and the user; the meeting; the sheet (statuses, members); the quorum (rules, entitled, present).
    assert few == 8


def test_saving_attendance_queries_do_not_grow_with_members(admin_client_, council):
    meeting = council["meeting"]
    url = admin_url("meeting_attendance", meeting.pk)

    def save_all_absent() -> int:
        members = [m.pk for m, _status in selectors.attendance_sheet(meeting)]
        data = {f"status-{pk}": "absent" for pk in members} | {"_save": "1"}
        with CaptureQueriesContext(connection) as queries:
            assert admin_client_.post(url, data).status_code == 302
        return len(queries)

    services.attendance_mark_all_present(meeting=meeting)
    few = save_all_absent()
    memberships_of(council["body"], 20)
    services.attendance_mark_all_present(meeting=meeting)
    assert save_all_absent() == few


# The votes page ----------------------------------------------------------------------------


def votes_data(response) -> dict:
    """The vote page's POST data as rendered."""
    data = {"_save": "1"}
    for block in ("decisions", "elections"):
        for _obj, form in response.context[block]:
            for name in form.fields:
                value = form[name].value()
                if value is not None:
                    data[form[name].html_name] = value
    return data


def test_votes_on_a_meeting_without_quorum_are_refused_and_nothing_is_saved(admin_client_, council):
    meeting = council["meeting"]
    attend(meeting, council["members"], present=6)
    decision = DecisionFactory(meeting=meeting, votes_for=4)
    attend(meeting, council["members"], present=2)  # corrected attendance: no quorum any more
    url = admin_url("meeting_votes", meeting.pk)
    data = votes_data(admin_client_.get(url)) | {f"decision-{decision.pk}-votes_for": 1}
    response = admin_client_.post(url, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "The meeting has no quorum" in content
    assert "Nothing was saved" in content
    assert Decision.objects.get(pk=decision.pk).votes_for == 4


def test_votes_with_quorum_store_the_computed_result(admin_client_, council):
    meeting = council["meeting"]
    attend(meeting, council["members"], present=6)
    decision = DecisionFactory(meeting=meeting, votes_for=6, required_majority="two_thirds_present")
    url = admin_url("meeting_votes", meeting.pk)
    data = votes_data(admin_client_.get(url))
    data |= {
        f"decision-{decision.pk}-votes_for": 3,
        f"decision-{decision.pk}-votes_against": 3,
        f"decision-{decision.pk}-votes_abstained": 0,
    }
    assert admin_client_.post(url, data).status_code == 302
    decision.refresh_from_db()
    assert (decision.votes_for, decision.votes_needed, decision.result) == (3, 4, "rejected")
    content = admin_client_.get(url).content.decode()
    assert "Rejected" in content
    assert "3 for, 4 needed (6 of 6 members present)" in content


def test_too_many_votes_are_refused_and_no_other_block_is_saved(admin_client_, council):
    meeting = council["meeting"]
    attend(meeting, council["members"], present=5)
    good = DecisionFactory(meeting=meeting, votes_for=5)
    bad = DecisionFactory(meeting=meeting, votes_for=5)
    url = admin_url("meeting_votes", meeting.pk)
    data = votes_data(admin_client_.get(url))
    data |= {f"decision-{good.pk}-votes_for": 4, f"decision-{bad.pk}-votes_against": 3}
    response = admin_client_.post(url, data)
    assert response.status_code == 200
    assert "8 votes recorded, but only 5 members were present" in response.content.decode()
    assert Decision.objects.get(pk=good.pk).votes_for == 5
    assert Decision.objects.get(pk=bad.pk).votes_against == 0


def election_with_candidates(meeting: Meeting, seats: int, count: int) -> tuple[Election, list[Candidate]]:
    election = ElectionFactory(meeting=meeting, seats=seats, rule="plurality")
    return election, [CandidateFactory(election=election) for _ in range(count)]


def test_election_votes_show_who_is_elected(admin_client_, council):
    election, (first, second) = election_with_candidates(council["meeting"], seats=1, count=2)
    url = admin_url("meeting_votes", council["meeting"].pk)
    data = votes_data(admin_client_.get(url))
    prefix = f"election-{election.pk}"
    data |= {
        f"{prefix}-ballots_issued": 6,
        f"{prefix}-ballots_cast": 6,
        f"{prefix}-ballots_invalid": 0,
        f"{prefix}-candidate-{first.pk}": 4,
        f"{prefix}-candidate-{second.pk}": 2,
    }
    assert admin_client_.post(url, data).status_code == 302
    assert Candidate.objects.get(pk=first.pk).elected
    assert not Candidate.objects.get(pk=second.pk).elected
    content = admin_client_.get(url).content.decode()
    assert "1 of 1 seat filled." in content


def test_election_tie_is_shown_and_nobody_tied_is_elected(admin_client_, council):
    election, (first, second) = election_with_candidates(council["meeting"], seats=1, count=2)
    url = admin_url("meeting_votes", council["meeting"].pk)
    prefix = f"election-{election.pk}"
    data = votes_data(admin_client_.get(url)) | {
        f"{prefix}-ballots_issued": 6,
        f"{prefix}-ballots_cast": 6,
        f"{prefix}-candidate-{first.pk}": 3,
        f"{prefix}-candidate-{second.pk}": 3,
    }
    assert admin_client_.post(url, data).status_code == 302
    assert not Candidate.objects.filter(election=election, elected=True).exists()
    content = admin_client_.get(url).content.decode()
    assert "Tie for the last seat." in content
    assert "1 seat remains unfilled." in content


def test_election_with_more_votes_than_ballots_is_refused(admin_client_, council):
    election, (first, _second) = election_with_candidates(council["meeting"], seats=1, count=2)
    url = admin_url("meeting_votes", council["meeting"].pk)
    prefix = f"election-{election.pk}"
    data = votes_data(admin_client_.get(url)) | {
        f"{prefix}-ballots_issued": 6,
        f"{prefix}-ballots_cast": 6,
        f"{prefix}-ballots_invalid": 2,
        f"{prefix}-candidate-{first.pk}": 5,
    }
    response = admin_client_.post(url, data)
    assert response.status_code == 200
    assert "more votes than there are valid ballots" in response.content.decode()
    election.refresh_from_db()
    assert (election.ballots_cast, Candidate.objects.get(pk=first.pk).votes) == (0, None)


def test_the_viewer_reads_the_votes_page_and_cannot_post(viewer_client, council):
    meeting = council["meeting"]
    election_with_candidates(meeting, seats=1, count=2)
    url = admin_url("meeting_votes", meeting.pk)
    response = viewer_client.get(url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert viewer_client.post(url, {"_save": "1"}).status_code == 403


def test_votes_page_queries_do_not_grow_with_decisions_and_candidates(admin_client_, council):
    meeting = council["meeting"]
    attend(meeting, council["members"], present=6)
    DecisionFactory(meeting=meeting)
    election_with_candidates(meeting, seats=1, count=2)
    url = admin_url("meeting_votes", meeting.pk)
    few = queries_of(admin_client_, url)
    DecisionFactory.create_batch(4, meeting=meeting)
    election_with_candidates(meeting, seats=2, count=5)
    assert queries_of(admin_client_, url) == few


def test_election_added_with_its_candidates_is_computed(admin_client_, council):
    meeting = council["meeting"]
    first, second = (m.person for m in council["members"][:2])
    data = {
        "meeting": meeting.pk,
        "kind": "other",
        "title_kk": "Төрағаның орынбасары",
        "seats": 1,
        "rule": "absolute_majority",
        "secret_ballot": "on",
        "ballots_issued": 6,
        "ballots_cast": 6,
        "ballots_invalid": 0,
        "candidates-TOTAL_FORMS": 2,
        "candidates-INITIAL_FORMS": 0,
        "candidates-0-person": first.pk,
        "candidates-0-votes": 4,
        "candidates-1-person": second.pk,
        "candidates-1-votes": 2,
    }
    response = admin_client_.post(admin_url("election_add", query=f"meeting={meeting.pk}"), data)
    assert response.status_code == 302, response.context["errors"]
    election = Election.objects.get(meeting=meeting)
    assert [c.person for c in election.candidates.filter(elected=True)] == [first]
    assert election.result_note == "1 of 1 seat filled."


def test_meeting_autocomplete_finds_a_session_by_its_theme(viewer_client):
    with translation.override("en"):
        url = reverse("admin:autocomplete")
    query = {"app_label": "assembly_sessions", "model_name": "decision", "field_name": "meeting", "term": "Бірлік"}
    response = viewer_client.get(url, query)
    assert response.status_code == 200
    assert "XXXIV session — Assembly of the People of Kazakhstan" in [row["text"] for row in response.json()["results"]]


def test_decisions_are_not_recorded_in_the_save_that_moves_the_meeting(admin_client_, council):
    meeting = council["meeting"]
    attend(meeting, council["members"], present=6)
    url = admin_url("meeting_change", meeting.pk)
    response = admin_client_.get(url)
    prefix = inline_prefix(response, Decision)
    data = change_form_data(response) | {
        "start_date": "2024-03-02",  # the late member is entitled then, and has no attendance
        f"{prefix}-TOTAL_FORMS": 1,
        f"{prefix}-0-text_kk": "Шешім",
        f"{prefix}-0-required_majority": "simple_present",
        f"{prefix}-0-votes_for": 4,
        f"{prefix}-0-votes_against": 0,
        f"{prefix}-0-votes_abstained": 0,
    }
    response = admin_client_.post(url, data)
    assert response.status_code == 200
    assert "new body or date first" in response.content.decode()
    assert not Decision.objects.exists()
    meeting.refresh_from_db()
    assert meeting.start_date == MEETING_DAY
