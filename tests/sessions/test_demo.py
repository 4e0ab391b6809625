import datetime
import io
import random

import pytest
from django.db import transaction
from django.test import TestCase
from django.utils import translation

from assembly.models import Body
from members.models import Membership
from sessions import services
from sessions.demo import build_demo_meetings
from sessions.models import Attendance, Decision, Election, Majority, Meeting
from tests.factories import memberships_of, national_body

TODAY = datetime.date(2026, 11, 21)
SINCE = datetime.date(2015, 1, 1)


def _small_register() -> None:
    """The Council, a few members of the Assembly, two regional assemblies large enough for
    their elections and a regional council; every other body has no members."""
    memberships_of(national_body("council"), 16, start_date=SINCE)
    memberships_of(national_body("assembly"), 10, start_date=SINCE)
    memberships_of(national_body("almaty-assembly"), 26, start_date=SINCE)
    memberships_of(national_body("astana-assembly"), 26, start_date=SINCE)
    memberships_of(national_body("almaty-council"), 4, start_date=SINCE)


def _new_meetings():
    return Meeting.objects.exclude(body__slug="assembly")


class DemoMeetingsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        _small_register()
        cls.stdout = io.StringIO()
        with translation.override("en"):
            cls.counts = build_demo_meetings(rng=random.Random(7), today=TODAY, stdout=cls.stdout)

    def test_meetings_for_the_council_and_every_regional_assembly_and_council(self):
        bodies = Body.objects.filter(meetings__in=_new_meetings()).distinct()

        assert set(bodies.values_list("kind", flat=True)) == {"assembly", "council"}
        assert bodies.filter(region__isnull=True).get().slug == "council"
        assert bodies.count() == 41
        assert self.counts["meetings"] == _new_meetings().count()
        assert not _new_meetings().filter(convened_by__isnull=True).exists()
        assert self.stdout.getvalue().startswith("Demo meetings: ")

    def test_held_in_the_past_planned_in_the_future_and_one_cancelled(self):
        assert not _new_meetings().filter(status="held", start_date__gt=TODAY).exists()
        assert not _new_meetings().filter(status="planned", start_date__lte=TODAY).exists()
        assert _new_meetings().filter(status="planned", start_date__year=TODAY.year + 1).count() == 41
        cancelled = _new_meetings().get(status="cancelled")
        assert cancelled.number is None
        assert not cancelled.attendance.exists()
        assert self.counts["meetings_cancelled"] == 1
        assert not Attendance.objects.filter(meeting__status="planned").exists()

    def test_meetings_are_numbered_per_body_in_order_of_date(self):
        for body in Body.objects.filter(meetings__in=_new_meetings()).distinct():
            numbers = list(body.meetings.exclude(number=None).order_by("start_date").values_list("number", flat=True))
            assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))

    def test_agendas_are_nested_and_in_three_languages(self):
        for meeting in _new_meetings()[:5]:
            items = list(meeting.agenda.all())
            top = [item.order for item in items if item.parent_id is None]
            assert sorted(top) == list(range(1, len(top) + 1))
            assert any(item.parent_id for item in items)
            assert all(item.title_kk and item.title_ru and item.title_en for item in items)

    def test_attendance_is_of_entitled_members_only_and_shows_every_status(self):
        rows = Attendance.objects.select_related("meeting", "membership")

        assert all(
            row.membership.body_id == row.meeting.body_id and row.membership.is_current_on(row.meeting.start_date)
            for row in rows
        )
        assert set(rows.values_list("status", flat=True)) == set(Attendance.Status.values)
        for meeting in _new_meetings().filter(status="held", body__slug="council"):
            entitled = Membership.objects.filter(body=meeting.body).on(meeting.start_date).count()
            assert meeting.attendance.count() == entitled == 16
        assert self.counts["attendance"] == rows.count()

    def test_a_session_and_a_council_meeting_without_quorum_and_so_without_decisions(self):
        held = _new_meetings().filter(status="held", attendance__isnull=False).distinct()
        without_quorum = [meeting for meeting in held if not services.meeting_quorum(meeting).met]

        assert len(without_quorum) == self.counts["meetings_without_quorum"]
        assert {meeting.body.kind for meeting in without_quorum} == {"assembly", "council"}
        for meeting in without_quorum:
            assert not meeting.decisions.exists()
            assert "Кворум болмады" in meeting.note

    def test_decisions_under_every_majority_rule_with_both_results(self):
        decisions = Decision.objects.select_related("meeting")

        assert set(decisions.values_list("required_majority", "result")) == {
            (majority, result) for majority in Majority.values for result in Decision.Result.values
        }
        for decision in decisions:
            quorum = services.meeting_quorum(decision.meeting)
            assert quorum.met
            assert (decision.members_entitled, decision.members_present) == (quorum.entitled, quorum.present)
            needed = services.votes_needed(decision.required_majority, entitled=quorum.entitled, present=quorum.present)
            assert decision.votes_needed == needed
            assert (decision.result == "adopted") == (decision.votes_for >= needed)
            assert decision.agenda_item.meeting_id == decision.meeting_id
        assert self.counts["decisions"] == decisions.count()

    def test_mazhilis_deputies_elected_at_the_known_sessions(self):
        for number, day in [(23, datetime.date(2016, 3, 21)), (28, datetime.date(2021, 1, 11))]:
            election = Election.objects.get(meeting__body__slug="assembly", meeting__number=number)

            assert (election.kind, election.meeting.start_date) == ("mazhilis", day)
            assert (election.seats, election.rule, election.secret_ballot) == (9, "absolute_majority", True)
            assert (election.seats_filled, election.tie) == (9, False)
            candidates = list(election.candidates.select_related("nominated_by_body"))
            assert len(candidates) == 9
            assert all(c.elected and c.votes * 2 > election.ballots_cast for c in candidates)
            assert {c.nominated_by_body.slug for c in candidates} == {"council"}
            assert all(c.nominating_act_id for c in candidates)
            assert election.agenda_item.kind == "election"
            assert election.meeting.attendance.count() == 10

    def test_senate_proposals_at_the_council_in_january_2023(self):
        election = Election.objects.get(kind="senate_proposal")

        assert (election.meeting.body.slug, election.meeting.start_date) == ("council", datetime.date(2023, 1, 13))
        assert (election.seats, election.rule, election.seats_filled, election.tie) == (5, "plurality", 5, False)
        assert election.ballots_issued == services.meeting_quorum(election.meeting).present
        candidates = list(election.candidates.select_related("nominated_by_body"))
        assert len(candidates) == 7
        assert all(c.nominated_by_body.kind == "assembly" and c.nominated_by_body.region_id for c in candidates)
        elected = sorted((c.votes for c in candidates if c.elected), reverse=True)
        assert elected == sorted((c.votes for c in candidates), reverse=True)[:5]

    def test_regional_elections_show_a_tie_and_an_unfilled_seat(self):
        regional = Election.objects.filter(kind="other", meeting__body__region__isnull=False)

        tie = regional.get(tie=True)
        assert (tie.seats, tie.seats_filled, tie.seats_unfilled) == (3, 2, 1)
        tied = [c.votes for c in tie.candidates.filter(elected=False) if c.votes * 2 > tie.ballots_cast]
        assert len(tied) == 2
        assert len(set(tied)) == 1
        unfilled = regional.get(tie=False)
        assert (unfilled.seats_filled, unfilled.seats_unfilled) == (2, 1)
        assert self.counts["elections"] == Election.objects.count() == 5

    def test_a_second_run_adds_nothing(self):
        meetings, elections = Meeting.objects.count(), Election.objects.count()

        again = build_demo_meetings(rng=random.Random(7), today=TODAY)

        assert again.get("meetings", 0) == again.get("elections", 0) == 0
        assert (Meeting.objects.count(), Election.objects.count()) == (meetings, elections)


def _snapshot() -> list:
    meetings = Meeting.objects.order_by("body__slug", "start_date").values_list(
        "body__slug", "number", "start_date", "status", "kind", "convened_by__number"
    )
    decisions = Decision.objects.order_by("meeting__body__slug", "meeting__start_date", "number").values_list(
        "number", "required_majority", "votes_for", "votes_against", "votes_abstained", "result"
    )
    attendance = Attendance.objects.order_by("meeting__body__slug", "meeting__start_date", "membership__person__slug")
    candidates = Election.objects.order_by("meeting__start_date", "pk").values_list(
        "kind", "ballots_cast", "candidates__person__slug", "candidates__votes"
    )
    return [
        list(meetings),
        list(decisions),
        list(attendance.values_list("membership__person__slug", "status")),
        sorted(candidates),
    ]


@pytest.mark.django_db
def test_the_demo_is_the_same_for_the_same_seed():
    _small_register()

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        build_demo_meetings(rng=random.Random(11), today=TODAY)
        first = _snapshot()
        raise Rollback
    build_demo_meetings(rng=random.Random(11), today=TODAY)

    assert _snapshot() == first
