import datetime

import pytest

from members.models import Membership
from sessions import services
from sessions.models import Attendance
from sessions.selectors import attendance_sheet, entitled_memberships
from tests.factories import LegalActFactory, MeetingFactory, MembershipFactory, PersonFactory, national_body

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 3, 1)


def _member(surname: str, start: datetime.date, end: datetime.date | None = None, body=None) -> Membership:
    extra = {}
    if end is not None:
        extra = {"end_date": end, "end_reason": Membership.EndReason.ROTATION, "ended_by": LegalActFactory()}
    return MembershipFactory(
        person=PersonFactory(surname=surname), body=body or national_body("council"), start_date=start, **extra
    )


def test_entitled_memberships_are_those_current_on_the_first_day_of_the_meeting():
    day_before, day_after = DAY - datetime.timedelta(days=1), DAY + datetime.timedelta(days=1)
    long_standing = _member("Әбілов", datetime.date(2020, 1, 1))
    joined_that_day = _member("Бекова", DAY)
    last_day_that_day = _member("Жанова", datetime.date(2020, 1, 1), DAY)
    _member("Дәулетов", datetime.date(2020, 1, 1), day_before)
    _member("Ерланов", day_after)
    _member("Иманов", datetime.date(2020, 1, 1), body=national_body("assembly"))
    meeting = MeetingFactory(body=national_body("council"), start_date=DAY, end_date=day_after)

    assert set(entitled_memberships(meeting)) == {long_standing, joined_that_day, last_day_that_day}


def test_attendance_sheet_lists_every_entitled_member_by_name_with_the_status_recorded(django_assert_num_queries):
    council = national_body("council")
    zhanova = _member("Жанова", datetime.date(2020, 1, 1))
    imanov = _member("Иманов", datetime.date(2020, 1, 1))
    bekova = _member("Бекова", datetime.date(2020, 1, 1))
    _member("Ерланов", DAY + datetime.timedelta(days=1))
    meeting = MeetingFactory(body=council, start_date=DAY)
    services.attendance_set(meeting=meeting, statuses={bekova.pk: Attendance.Status.EXCUSED})

    with django_assert_num_queries(2):
        sheet = attendance_sheet(meeting)
        labels = [(membership.person.surname, membership.post.label) for membership, _ in sheet]

    assert [(membership, status) for membership, status in sheet] == [(bekova, "excused"), (zhanova, ""), (imanov, "")]
    assert labels[0] == ("Бекова", bekova.post.label)
