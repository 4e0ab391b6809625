import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from members.models import Membership
from sessions import services
from sessions.models import Attendance, Candidate, Decision, Election, Majority, Meeting, MeetingRules
from tests.factories import (
    BodyFactory,
    CandidateFactory,
    ElectionFactory,
    LegalActFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    PostFactory,
    memberships_of,
    national_body,
)

pytestmark = pytest.mark.django_db

MEETING_DAY = datetime.date(2024, 3, 1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _district():
    """A body below the region level, with the default meeting rules."""
    return PostFactory(body=BodyFactory()).body


def _meeting(body, **fields) -> Meeting:
    return MeetingFactory(body=body, start_date=MEETING_DAY, **fields)


def _attend(meeting: Meeting, memberships: list[Membership], present: int, absent_status: str = "absent") -> None:
    """The first ``present`` members attended, the rest did not."""
    services.attendance_mark_all_present(meeting=meeting)
    services.attendance_set(meeting=meeting, statuses={m.pk: absent_status for m in memberships[present:]})


def _fresh(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_related("body").get(pk=meeting.pk)


# Quorum.


def test_council_quorum_of_84_members_is_met_with_56_and_missed_with_55():
    council = national_body("council")
    members = memberships_of(council, 84)
    meeting = _meeting(council)

    _attend(meeting, members, present=56)
    quorum = services.meeting_quorum(meeting)
    assert (quorum.entitled, quorum.present, quorum.required, quorum.met) == (84, 56, 56, True)

    services.attendance_set(meeting=meeting, statuses={members[55].pk: Attendance.Status.EXCUSED})
    quorum = services.meeting_quorum(meeting)
    assert (quorum.present, quorum.required, quorum.met) == (55, 56, False)


@pytest.mark.parametrize(("present", "met"), [(3, True), (2, True), (1, False), (0, False)])
def test_council_quorum_is_at_least_two_thirds_of_all_members(present, met):
    council = national_body("council")
    members = memberships_of(council, 3)
    meeting = _meeting(council)
    _attend(meeting, members, present=present)

    quorum = services.meeting_quorum(meeting)

    assert quorum.required == 2
    assert quorum.met is met
    assert "2/3" in quorum.rule


@pytest.mark.parametrize(("present", "met"), [(3, True), (2, False)])
def test_two_thirds_of_a_number_not_divisible_by_three_is_rounded_up(present, met):
    council = national_body("council")
    members = memberships_of(council, 4)
    meeting = _meeting(council)
    _attend(meeting, members, present=present)

    quorum = services.meeting_quorum(meeting)

    assert (quorum.required, quorum.met) == (3, met)


def test_regional_council_has_the_two_thirds_rule_too():
    council = national_body("almaty-council")
    members = memberships_of(council, 3)
    meeting = _meeting(council)
    _attend(meeting, members, present=2)

    assert services.meeting_quorum(meeting).met


@pytest.mark.parametrize(("present", "met"), [(4, True), (3, True), (2, False)])
def test_default_quorum_is_more_than_half_of_all_members(present, met):
    assembly = national_body("assembly")
    assert not MeetingRules.objects.filter(body=assembly).exists()
    members = memberships_of(assembly, 4)
    meeting = _meeting(assembly)
    _attend(meeting, members, present=present)

    quorum = services.meeting_quorum(meeting)

    assert quorum.required == 3
    assert quorum.met is met


def test_a_bodys_own_rules_change_the_quorum_without_code():
    district = _district()
    members = memberships_of(district, 4)
    meeting = _meeting(district)
    _attend(meeting, members, present=2)
    assert not services.meeting_quorum(_fresh(meeting)).met

    MeetingRules.objects.create(
        body=district, quorum_comparison=MeetingRules.Comparison.AT_LEAST, quorum_numerator=1, quorum_denominator=2
    )

    quorum = services.meeting_quorum(_fresh(meeting))
    assert (quorum.required, quorum.met) == (2, True)
    assert quorum.rule == "at least 1/2 of all members"


def test_a_meeting_of_a_body_without_members_has_no_quorum():
    meeting = _meeting(_district())

    quorum = services.meeting_quorum(meeting)

    assert (quorum.entitled, quorum.present, quorum.met) == (0, 0, False)


def test_left_early_counts_as_attended():
    council = national_body("council")
    members = memberships_of(council, 3)
    meeting = _meeting(council)
    _attend(meeting, members, present=1)
    services.attendance_set(meeting=meeting, statuses={members[1].pk: Attendance.Status.LEFT_EARLY})

    quorum = services.meeting_quorum(meeting)

    assert (quorum.present, quorum.met) == (2, True)


def test_an_attendance_row_of_a_membership_no_longer_entitled_is_not_counted():
    council = national_body("council")
    members = memberships_of(council, 3)
    meeting = _meeting(council)
    services.attendance_mark_all_present(meeting=meeting)
    # The register is corrected afterwards: this member in fact joined later.
    Membership.objects.filter(pk=members[0].pk).update(start_date=MEETING_DAY + datetime.timedelta(days=30))

    quorum = services.meeting_quorum(meeting)

    assert (quorum.entitled, quorum.present) == (2, 2)


# Who is entitled.


def _member_of(body, start_date, end_date=None) -> Membership:
    if end_date is None:
        return MembershipFactory(body=body, start_date=start_date)
    return MembershipFactory(
        body=body,
        start_date=start_date,
        end_date=end_date,
        end_reason=Membership.EndReason.OWN_INITIATIVE,
        ended_by=LegalActFactory(),
    )


def test_a_member_who_joined_the_day_after_the_meeting_is_not_entitled():
    council = national_body("council")
    on_time = _member_of(council, datetime.date(2020, 1, 1))
    joined_later = _member_of(council, MEETING_DAY + datetime.timedelta(days=1))
    meeting = _meeting(council)

    added = services.attendance_mark_all_present(meeting=meeting)

    assert added == 1
    assert list(meeting.attendance.values_list("membership_id", flat=True)) == [on_time.pk]
    with pytest.raises(ValidationError) as error:
        services.attendance_set(meeting=meeting, statuses={joined_later.pk: Attendance.Status.PRESENT})
    message = error.value.messages[0]
    assert "Not a member of this body on 01.03.2024" in message
    assert joined_later.person.full_name in message
    assert not meeting.attendance.filter(membership=joined_later).exists()


def test_membership_ending_the_day_before_is_not_entitled_ending_on_the_day_is():
    council = national_body("council")
    ended_before = _member_of(council, datetime.date(2020, 1, 1), MEETING_DAY - datetime.timedelta(days=1))
    ends_that_day = _member_of(council, datetime.date(2020, 1, 1), MEETING_DAY)
    meeting = _meeting(council)

    services.attendance_mark_all_present(meeting=meeting)

    assert set(meeting.attendance.values_list("membership_id", flat=True)) == {ends_that_day.pk}
    with pytest.raises(ValidationError):
        services.attendance_set(meeting=meeting, statuses={ended_before.pk: Attendance.Status.ABSENT})


def test_members_of_another_body_are_not_entitled():
    council = national_body("council")
    outsider = MembershipFactory(body=national_body("assembly"))
    meeting = _meeting(council)

    with pytest.raises(ValidationError):
        services.attendance_set(meeting=meeting, statuses={outsider.pk: Attendance.Status.PRESENT})


def test_entitlement_is_decided_on_the_first_day_of_a_meeting_of_several_days():
    council = national_body("council")
    _member_of(council, datetime.date(2020, 1, 1))
    second_day_joiner = _member_of(council, MEETING_DAY + datetime.timedelta(days=1))
    meeting = _meeting(council, end_date=MEETING_DAY + datetime.timedelta(days=1))

    services.attendance_mark_all_present(meeting=meeting)

    assert not meeting.attendance.filter(membership=second_day_joiner).exists()
    assert services.meeting_quorum(meeting).entitled == 1


# Entering attendance.


def test_mark_all_present_keeps_the_exceptions_already_entered_and_is_idempotent():
    council = national_body("council")
    members = memberships_of(council, 4)
    meeting = _meeting(council)
    services.attendance_set(
        meeting=meeting,
        statuses={members[0].pk: Attendance.Status.EXCUSED, members[1].pk: Attendance.Status.LEFT_EARLY},
    )

    assert services.attendance_mark_all_present(meeting=meeting) == 2
    assert services.attendance_mark_all_present(meeting=meeting) == 0

    statuses = dict(meeting.attendance.values_list("membership_id", "status"))
    assert statuses == {
        members[0].pk: "excused",
        members[1].pk: "left_early",
        members[2].pk: "present",
        members[3].pk: "present",
    }


def test_attendance_set_changes_recorded_statuses():
    council = national_body("council")
    members = memberships_of(council, 2)
    meeting = _meeting(council)
    services.attendance_mark_all_present(meeting=meeting)

    services.attendance_set(meeting=meeting, statuses={members[0].pk: Attendance.Status.ABSENT})

    assert meeting.attendance.get(membership=members[0]).status == "absent"
    assert meeting.attendance.get(membership=members[1]).status == "present"
    assert meeting.attendance.count() == 2


def test_attendance_set_rejects_an_unknown_status_and_saves_nothing():
    council = national_body("council")
    members = memberships_of(council, 2)
    meeting = _meeting(council)

    with pytest.raises(ValidationError) as error:
        services.attendance_set(meeting=meeting, statuses={members[0].pk: "present", members[1].pk: "asleep"})

    assert "Unknown attendance status: asleep" in error.value.messages[0]
    assert not meeting.attendance.exists()


# Majorities.


@pytest.mark.parametrize(
    ("majority", "entitled", "present", "needed"),
    [
        (Majority.SIMPLE_PRESENT, 12, 10, 6),
        (Majority.SIMPLE_PRESENT, 12, 9, 5),
        (Majority.TWO_THIRDS_PRESENT, 12, 9, 6),
        (Majority.TWO_THIRDS_PRESENT, 84, 56, 38),
        (Majority.TWO_THIRDS_PRESENT, 12, 10, 7),
        (Majority.MAJORITY_ALL, 10, 8, 6),
        (Majority.MAJORITY_ALL, 9, 8, 5),
        (Majority.TWO_THIRDS_ALL, 10, 8, 7),
        (Majority.TWO_THIRDS_ALL, 84, 60, 56),
    ],
)
def test_votes_needed(majority, entitled, present, needed):
    assert services.votes_needed(majority, entitled=entitled, present=present) == needed


def test_votes_needed_rejects_an_unknown_rule():
    with pytest.raises(ValidationError):
        services.votes_needed("unanimity", entitled=10, present=10)


def _decide(meeting, majority, votes_for, votes_against=0, votes_abstained=0) -> Decision:
    return services.decision_record(
        decision=Decision(
            meeting=meeting,
            text_kk="Шешім",
            required_majority=majority,
            votes_for=votes_for,
            votes_against=votes_against,
            votes_abstained=votes_abstained,
        )
    )


@pytest.fixture
def ten_present():
    """A meeting of a body with the default rules: 10 members, all present."""
    district = _district()
    members = memberships_of(district, 10)
    meeting = _meeting(district)
    _attend(meeting, members, present=10)
    return meeting


@pytest.mark.parametrize(("votes_for", "result"), [(6, "adopted"), (5, "rejected")])
def test_simple_majority_of_those_present(ten_present, votes_for, result):
    decision = _decide(ten_present, Majority.SIMPLE_PRESENT, votes_for, votes_against=10 - votes_for)

    assert (decision.members_present, decision.votes_needed, decision.result) == (10, 6, result)
    assert Decision.objects.get(pk=decision.pk).result == result


@pytest.mark.parametrize(("votes_for", "result"), [(6, "adopted"), (5, "rejected")])
def test_two_thirds_of_those_present(votes_for, result):
    council = national_body("council")
    members = memberships_of(council, 9)
    meeting = _meeting(council)
    _attend(meeting, members, present=9)

    decision = _decide(meeting, Majority.TWO_THIRDS_PRESENT, votes_for, votes_abstained=9 - votes_for)

    assert (decision.members_entitled, decision.members_present) == (9, 9)
    assert (decision.votes_needed, decision.result) == (6, result)


@pytest.fixture
def eight_of_ten_present():
    district = _district()
    members = memberships_of(district, 10)
    meeting = _meeting(district)
    _attend(meeting, members, present=8)
    return meeting


@pytest.mark.parametrize(("votes_for", "result"), [(6, "adopted"), (5, "rejected")])
def test_majority_of_all_members(eight_of_ten_present, votes_for, result):
    decision = _decide(eight_of_ten_present, Majority.MAJORITY_ALL, votes_for)

    assert (decision.members_entitled, decision.members_present) == (10, 8)
    assert (decision.votes_needed, decision.result) == (6, result)


@pytest.mark.parametrize(("votes_for", "result"), [(7, "adopted"), (6, "rejected")])
def test_two_thirds_of_all_members(eight_of_ten_present, votes_for, result):
    decision = _decide(eight_of_ten_present, Majority.TWO_THIRDS_ALL, votes_for, votes_against=1)

    assert (decision.votes_needed, decision.result) == (7, result)


def test_a_corrected_decision_is_computed_again(ten_present):
    decision = _decide(ten_present, Majority.SIMPLE_PRESENT, 5)
    assert decision.result == "rejected"

    decision.votes_for = 7
    services.decision_record(decision=decision)

    assert Decision.objects.get(pk=decision.pk).result == "adopted"
    assert Decision.objects.count() == 1


def test_a_decision_without_quorum_is_refused_and_nothing_saved():
    council = national_body("council")
    members = memberships_of(council, 3)
    meeting = _meeting(council)
    _attend(meeting, members, present=1)

    with pytest.raises(ValidationError) as error:
        _decide(meeting, Majority.SIMPLE_PRESENT, 1)

    message = error.value.messages[0]
    assert "The meeting has no quorum: 1 of 3 members present, 2 needed" in message
    assert not Decision.objects.exists()


def test_a_decision_before_attendance_is_entered_is_refused():
    council = national_body("council")
    memberships_of(council, 3)
    meeting = _meeting(council)

    with pytest.raises(ValidationError):
        _decide(meeting, Majority.SIMPLE_PRESENT, 2)
    assert not Decision.objects.exists()


def test_more_votes_than_members_present_are_refused(eight_of_ten_present):
    with pytest.raises(ValidationError) as error:
        _decide(eight_of_ten_present, Majority.SIMPLE_PRESENT, 6, votes_against=2, votes_abstained=1)

    assert error.value.messages == ["9 votes recorded, but only 8 members were present."]
    assert not Decision.objects.exists()


# Elections.


def _session(number=23, date=datetime.date(2016, 3, 21)) -> Meeting:
    return Meeting.objects.get(body=national_body("assembly"), number=number, start_date=date)


def _election(meeting, *, kind, seats, rule, cast, invalid=0, issued=None) -> Election:
    return ElectionFactory(
        meeting=meeting,
        kind=kind,
        seats=seats,
        rule=rule,
        ballots_issued=cast if issued is None else issued,
        ballots_cast=cast,
        ballots_invalid=invalid,
    )


def _candidates(election, votes, nominated_by=None) -> list[Candidate]:
    return [CandidateFactory(election=election, votes=v, nominated_by_body=nominated_by) for v in votes]


def _elected_votes(election) -> list[int]:
    return sorted((c.votes for c in election.candidates.filter(elected=True)), reverse=True)


@pytest.fixture
def mazhilis():
    return _election(
        _session(), kind=Election.Kind.MAZHILIS, seats=9, rule=Election.Rule.ABSOLUTE_MAJORITY, cast=100, issued=102
    )


def test_mazhilis_needs_more_than_half_of_the_ballots_cast(mazhilis):
    _candidates(mazhilis, [95, 90, 88, 80, 75, 70, 66, 60, 51, 50], nominated_by=national_body("council"))

    election = services.election_compute(election=mazhilis)

    assert _elected_votes(election) == [95, 90, 88, 80, 75, 70, 66, 60, 51]
    assert not election.candidates.get(votes=50).elected
    assert (election.seats_filled, election.seats_unfilled, election.tie) == (9, 0, False)
    assert election.result_note == "9 of 9 seats filled."


def test_exactly_half_of_the_ballots_is_not_enough_and_the_seat_stays_unfilled(mazhilis):
    # Invalid ballots still count: the members who cast them took part.
    mazhilis.ballots_invalid = 10
    mazhilis.save()
    _candidates(mazhilis, [90, 90, 90, 90, 90, 90, 90, 90, 50], nominated_by=national_body("council"))

    election = services.election_compute(election=mazhilis)

    assert (election.seats_filled, election.seats_unfilled, election.tie) == (8, 1, False)
    assert election.result_note == "8 of 9 seats filled. 1 seat remains unfilled."


def test_fewer_eligible_candidates_than_seats_leave_seats_unfilled(mazhilis):
    _candidates(mazhilis, [80, 70, 60, 55, 52, 49, 30, None], nominated_by=national_body("council"))

    election = services.election_compute(election=mazhilis)

    assert _elected_votes(election) == [80, 70, 60, 55, 52]
    assert (election.seats_filled, election.seats_unfilled, election.tie) == (5, 4, False)
    assert "4 seats remain unfilled." in election.result_note


def test_a_tie_for_the_last_seat_elects_none_of_the_tied_and_says_so():
    election = _election(
        _meeting(_district()), kind=Election.Kind.OTHER, seats=3, rule=Election.Rule.ABSOLUTE_MAJORITY, cast=100
    )
    _candidates(election, [80, 70, 60, 60, 20])

    election = services.election_compute(election=election)

    assert _elected_votes(election) == [80, 70]
    assert (election.seats_filled, election.seats_unfilled, election.tie) == (2, 1, True)
    assert election.result_note == (
        "2 of 3 seats filled. Candidates tied for the last seat(s); the tied candidates are not elected. "
        "1 seat remains unfilled."
    )
    stored = Election.objects.get(pk=election.pk)
    assert (stored.seats_filled, stored.tie) == (2, True)


def test_tied_candidates_who_all_fit_are_all_elected():
    election = _election(
        _meeting(_district()), kind=Election.Kind.OTHER, seats=3, rule=Election.Rule.PLURALITY, cast=100
    )
    _candidates(election, [80, 60, 60, 40])

    election = services.election_compute(election=election)

    assert _elected_votes(election) == [80, 60, 60]
    assert (election.seats_filled, election.tie) == (3, False)


def test_a_tie_just_below_the_last_seat_is_not_a_tie_for_it():
    election = _election(
        _meeting(_district()), kind=Election.Kind.OTHER, seats=2, rule=Election.Rule.PLURALITY, cast=100
    )
    _candidates(election, [60, 50, 30, 30])

    election = services.election_compute(election=election)

    assert (election.seats_filled, election.tie) == (2, False)


def test_senate_proposals_by_plurality_at_a_council_meeting():
    council = national_body("council")
    meeting = MeetingFactory(body=council, start_date=datetime.date(2023, 1, 13))
    election = _election(meeting, kind=Election.Kind.SENATE_PROPOSAL, seats=5, rule=Election.Rule.PLURALITY, cast=60)
    _candidates(election, [58, 12, 40, 33, 47, 25, 9, 0])

    election = services.election_compute(election=election)

    assert _elected_votes(election) == [58, 47, 40, 33, 25]
    assert (election.seats_filled, election.tie) == (5, False)


def test_plurality_elects_no_one_without_votes():
    election = _election(
        _meeting(_district()), kind=Election.Kind.OTHER, seats=3, rule=Election.Rule.PLURALITY, cast=10
    )
    _candidates(election, [7, 0, None])

    election = services.election_compute(election=election)

    assert _elected_votes(election) == [7]
    assert election.seats_unfilled == 2


def test_recomputing_an_election_clears_the_earlier_result():
    election = _election(
        _meeting(_district()), kind=Election.Kind.OTHER, seats=1, rule=Election.Rule.ABSOLUTE_MAJORITY, cast=10
    )
    first, second = _candidates(election, [8, 2])
    services.election_compute(election=election)

    services.election_set_votes(election=election, votes={first.pk: 3, second.pk: 7})

    assert list(election.candidates.filter(elected=True)) == [Candidate.objects.get(pk=second.pk)]


@pytest.mark.parametrize("slug", ["council", "almaty-assembly"])
def test_mazhilis_election_outside_a_session_of_the_assembly_is_refused(slug):
    election = _election(
        _meeting(national_body(slug)), kind=Election.Kind.MAZHILIS, seats=9, rule=Election.Rule.ABSOLUTE_MAJORITY,
        cast=60,
    )  # fmt: skip
    _candidates(election, [50], nominated_by=national_body("council"))

    with pytest.raises(ValidationError) as error:
        services.election_compute(election=election)

    assert error.value.messages == ["Deputies of the Mazhilis are elected at a session of the Assembly."]
    assert not election.candidates.filter(elected=True).exists()


@pytest.mark.parametrize("nominated_by", [None, "assembly", "almaty-council"])
def test_mazhilis_candidates_are_nominated_by_the_council_only(mazhilis, nominated_by):
    _candidates(mazhilis, [80], nominated_by=national_body("council"))
    _candidates(mazhilis, [70], nominated_by=nominated_by and national_body(nominated_by))

    with pytest.raises(ValidationError) as error:
        services.election_compute(election=mazhilis)

    assert error.value.messages == ["Only the Council nominates candidates for the Mazhilis."]
    assert Election.objects.get(pk=mazhilis.pk).seats_filled == 0


def test_mazhilis_is_not_elected_by_plurality(mazhilis):
    mazhilis.rule = Election.Rule.PLURALITY
    _candidates(mazhilis, [80], nominated_by=national_body("council"))

    with pytest.raises(ValidationError):
        services.election_compute(election=mazhilis)

    assert Election.objects.get(pk=mazhilis.pk).rule == Election.Rule.ABSOLUTE_MAJORITY


@pytest.mark.parametrize("slug", ["assembly", "almaty-council"])
def test_senate_proposals_elsewhere_than_at_the_council_are_refused(slug):
    election = _election(
        _meeting(national_body(slug)), kind=Election.Kind.SENATE_PROPOSAL, seats=5, rule=Election.Rule.PLURALITY,
        cast=60,
    )  # fmt: skip

    with pytest.raises(ValidationError) as error:
        services.election_compute(election=election)

    assert error.value.messages == ["Proposals for the Senate are made by the Council."]


def test_a_candidate_with_more_votes_than_valid_ballots_is_refused():
    election = _election(
        _meeting(_district()), kind=Election.Kind.OTHER, seats=2, rule=Election.Rule.PLURALITY, cast=100, invalid=5
    )
    over, fine = _candidates(election, [None, None])

    services.election_set_votes(election=election, votes={over.pk: 95, fine.pk: 90})
    with pytest.raises(ValidationError) as error:
        services.election_set_votes(election=election, votes={over.pk: 96})

    message = error.value.messages[0]
    assert "more votes than there are valid ballots (95)" in message
    assert over.person.full_name in message
    assert Candidate.objects.get(pk=over.pk).votes == 95


def test_more_votes_in_total_than_the_ballots_allow_are_refused():
    election = _election(
        _meeting(_district()), kind=Election.Kind.OTHER, seats=2, rule=Election.Rule.PLURALITY, cast=10
    )
    _candidates(election, [10, 10, 1])

    with pytest.raises(ValidationError) as error:
        services.election_compute(election=election)

    assert error.value.messages == ["More votes in total than the valid ballots allow."]


def test_inconsistent_ballots_are_refused():
    election = _election(
        _meeting(_district()), kind=Election.Kind.OTHER, seats=1, rule=Election.Rule.PLURALITY, cast=10, issued=10
    )
    election.ballots_cast = 11

    with pytest.raises(ValidationError):
        services.election_compute(election=election)

    assert Election.objects.get(pk=election.pk).ballots_cast == 10


def test_election_set_votes_stores_the_votes_and_computes_the_result():
    election = _election(
        _meeting(_district()), kind=Election.Kind.OTHER, seats=2, rule=Election.Rule.ABSOLUTE_MAJORITY, cast=20
    )
    a, b, c = _candidates(election, [None, None, None])

    result = services.election_set_votes(election=election, votes={a.pk: 15, b.pk: 11, c.pk: 10})

    assert dict(election.candidates.values_list("pk", "votes")) == {a.pk: 15, b.pk: 11, c.pk: 10}
    assert set(election.candidates.filter(elected=True).values_list("pk", flat=True)) == {a.pk, b.pk}
    assert Election.objects.get(pk=election.pk).seats_filled == result.seats_filled == 2


def test_election_set_votes_refuses_a_candidate_of_another_election():
    election = _election(
        _meeting(_district()), kind=Election.Kind.OTHER, seats=1, rule=Election.Rule.PLURALITY, cast=20
    )
    (own,) = _candidates(election, [None])
    stranger = CandidateFactory(person=PersonFactory())

    with pytest.raises(ValidationError):
        services.election_set_votes(election=election, votes={own.pk: 5, stranger.pk: 5})

    assert Candidate.objects.get(pk=own.pk).votes is None


def test_election_set_votes_refuses_negative_votes():
    election = _election(
        _meeting(_district()), kind=Election.Kind.OTHER, seats=1, rule=Election.Rule.PLURALITY, cast=20
    )
    (candidate,) = _candidates(election, [None])

    with pytest.raises(ValidationError) as error:
        services.election_set_votes(election=election, votes={candidate.pk: -1})

    assert error.value.messages == ["Votes cannot be negative."]
