import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from sessions.models import Attendance, Candidate, Decision, Election, Meeting, MeetingRules, roman
from tests.factories import (
    BodyFactory,
    CandidateFactory,
    ElectionFactory,
    MeetingFactory,
    MembershipFactory,
    national_body,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("number", "numeral"),
    [
        (1, "I"),
        (4, "IV"),
        (9, "IX"),
        (14, "XIV"),
        (34, "XXXIV"),
        (40, "XL"),
        (90, "XC"),
        (400, "CD"),
        (1994, "MCMXCIV"),
    ],
)
def test_roman_numerals(number, numeral):
    assert roman(number) == numeral


def test_a_session_is_titled_with_its_roman_number():
    session = Meeting.objects.get(body=national_body("assembly"), number=34)

    with translation.override("en"):
        assert session.is_session
        assert session.number_display == "XXXIV"
        assert session.title == "XXXIV session — Assembly of the People of Kazakhstan"
        assert str(session) == session.title


def test_a_session_without_a_number():
    session = MeetingFactory(body=national_body("almaty-assembly"), number=None)

    with translation.override("en"):
        assert session.number_display == ""
        assert session.title == "Session — Assembly of the People of Kazakhstan of Almaty"


def test_a_council_meeting_is_titled_with_its_arabic_number():
    meeting = MeetingFactory(body=national_body("council"), number=14)

    with translation.override("en"):
        assert not meeting.is_session
        assert meeting.number_display == "14"
        assert meeting.title == "Meeting No. 14 — Council of the Assembly of the People of Kazakhstan"


def test_a_meeting_without_a_number_is_titled_with_its_date():
    meeting = MeetingFactory(body=national_body("council"), number=None, start_date=datetime.date(2024, 3, 1))

    with translation.override("en"):
        assert meeting.title == "Meeting of 01.03.2024 — Council of the Assembly of the People of Kazakhstan"


def test_last_date_of_a_one_day_and_a_two_day_meeting():
    one_day = MeetingFactory(start_date=datetime.date(2024, 3, 1))
    two_days = MeetingFactory(start_date=datetime.date(2024, 3, 1), end_date=datetime.date(2024, 3, 2))

    assert one_day.last_date == datetime.date(2024, 3, 1)
    assert two_days.last_date == datetime.date(2024, 3, 2)


def test_upcoming_and_held_meetings():
    council = national_body("council")
    held = MeetingFactory(body=council, start_date=datetime.date(2024, 3, 1))
    later = MeetingFactory(body=council, status="planned", start_date=datetime.date(2024, 9, 1))
    sooner = MeetingFactory(body=council, status="planned", start_date=datetime.date(2024, 6, 1))
    MeetingFactory(body=council, status="cancelled", start_date=datetime.date(2024, 7, 1))

    assert list(Meeting.objects.filter(body=council).upcoming(datetime.date(2024, 3, 2))) == [sooner, later]
    assert list(Meeting.objects.filter(body=council).held()) == [held]


# Every constraint, both ways: full_clean() names it, a raw create() hits the database.


def _refused_by_validation(instance, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    assert message in error.value.messages


def _refused_by_database(model, **fields) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**fields)


def _meeting_fields(**fields) -> dict:
    return {"body": national_body("council"), "number": 7, "start_date": datetime.date(2024, 3, 1), **fields}


def test_meeting_number_is_unique_per_body():
    MeetingFactory(**_meeting_fields())

    with translation.override("en"):
        _refused_by_validation(Meeting(**_meeting_fields()), "This body already has a meeting with this number.")
    _refused_by_database(Meeting, **_meeting_fields())


def test_two_bodies_may_share_a_number_and_numbers_may_be_empty():
    MeetingFactory(**_meeting_fields())
    other_body = Meeting(**_meeting_fields(body=national_body("almaty-council")))
    other_body.full_clean()
    other_body.save()

    for _ in range(2):
        unnumbered = Meeting(**_meeting_fields(number=None))
        unnumbered.full_clean()
        unnumbered.save()

    assert Meeting.objects.filter(number=7).count() == 2
    assert Meeting.objects.filter(body=national_body("council"), number=None).count() == 2


def test_meeting_cannot_end_before_it_starts():
    fields = _meeting_fields(end_date=datetime.date(2024, 2, 29))

    with translation.override("en"):
        _refused_by_validation(Meeting(**fields), "A meeting cannot end before it starts.")
    _refused_by_database(Meeting, **fields)
    Meeting(**_meeting_fields(end_date=datetime.date(2024, 3, 1))).full_clean()


def test_attendance_is_recorded_once_per_member():
    meeting = MeetingFactory()
    membership = MembershipFactory(body=meeting.body)
    Attendance.objects.create(meeting=meeting, membership=membership)

    with translation.override("en"):
        _refused_by_validation(
            Attendance(meeting=meeting, membership=membership), "This member's attendance is already recorded."
        )
    _refused_by_database(Attendance, meeting=meeting, membership=membership, status="absent")


def _decision_fields(**fields) -> dict:
    return {
        "meeting": MeetingFactory(),
        "text_kk": "Шешім",
        "members_entitled": 10,
        "members_present": 8,
        "votes_for": 5,
        "votes_against": 2,
        "votes_abstained": 2,
        "result": "adopted",
        **fields,
    }


def test_decision_votes_are_within_the_members_present():
    with translation.override("en"):
        _refused_by_validation(Decision(**_decision_fields()), "More votes than members present.")
    _refused_by_database(Decision, **_decision_fields())
    Decision(**_decision_fields(votes_abstained=1)).full_clean()


def _election_fields(**fields) -> dict:
    return {
        "meeting": MeetingFactory(),
        "kind": Election.Kind.OTHER,
        "title_kk": "Сайлау",
        "seats": 1,
        "ballots_issued": 10,
        "ballots_cast": 9,
        "ballots_invalid": 1,
        **fields,
    }


def test_election_has_at_least_one_seat():
    with translation.override("en"):
        _refused_by_validation(Election(**_election_fields(seats=0)), "At least one seat.")
    _refused_by_database(Election, **_election_fields(seats=0))
    Election(**_election_fields()).full_clean()


@pytest.mark.parametrize(
    "ballots",
    [
        {"ballots_issued": 10, "ballots_cast": 11, "ballots_invalid": 0},
        {"ballots_issued": 10, "ballots_cast": 5, "ballots_invalid": 6},
    ],
)
def test_election_ballots_are_consistent(ballots):
    message = "Ballots cast cannot exceed ballots issued, nor invalid ballots the ballots cast."
    with translation.override("en"):
        _refused_by_validation(Election(**_election_fields(**ballots)), message)
    _refused_by_database(Election, **_election_fields(**ballots))


def test_a_person_is_a_candidate_once_per_election():
    candidate = CandidateFactory()

    with translation.override("en"):
        _refused_by_validation(
            Candidate(election=candidate.election, person=candidate.person),
            "This person is already a candidate in this election.",
        )
    _refused_by_database(Candidate, election=candidate.election, person=candidate.person)
    Candidate(election=ElectionFactory(), person=candidate.person).full_clean()


@pytest.mark.parametrize(("numerator", "denominator"), [(3, 2), (0, 0)])
def test_meeting_rules_quorum_is_a_fraction_between_zero_and_one(numerator, denominator):
    fields = {"body": BodyFactory(), "quorum_numerator": numerator, "quorum_denominator": denominator}

    with translation.override("en"):
        _refused_by_validation(MeetingRules(**fields), "The quorum is a fraction between 0 and 1.")
    _refused_by_database(MeetingRules, **fields)


def test_meeting_rules_defaults_are_more_than_half():
    rules = MeetingRules(body=BodyFactory())
    rules.full_clean()

    assert (rules.quorum_comparison, rules.quorum_numerator, rules.quorum_denominator) == ("more_than", 1, 2)
    assert rules.default_majority == "simple_present"
