import csv
import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission

from assembly.models import Body
from sessions.models import Majority, Meeting, MeetingRules

pytestmark = pytest.mark.django_db

REFERENCE = settings.BASE_DIR / "tests" / "data" / "reference" / "assembly_sessions.csv"
MODELS = ["meetingrules", "meeting", "agendaitem", "document", "attendance", "decision", "election", "candidate"]


def _reference_rows() -> list[dict]:
    with REFERENCE.open(encoding="utf-8") as source:
        return list(csv.DictReader(source))


def test_the_known_sessions_are_loaded_with_their_numbers_kinds_and_dates():
    rows = _reference_rows()
    expected = {
        int(row["number"]): (
            row["kind"],
            datetime.date.fromisoformat(row["start_date"]),
            datetime.date.fromisoformat(row["end_date"]),
        )
        for row in rows
    }
    loaded = {
        meeting.number: (meeting.kind, meeting.start_date, meeting.last_date)
        for meeting in Meeting.objects.filter(body__slug="assembly")
    }

    assert len(rows) == 13
    assert loaded == expected
    assert set(Meeting.objects.filter(body__slug="assembly").values_list("status", flat=True)) == {"held"}


def test_a_known_session_keeps_its_themes_and_convening_act():
    session = Meeting.objects.select_related("convened_by").get(body__slug="assembly", number=28)
    assert session.convened_by.number == "439"
    assert session.convened_by.date == datetime.date(2020, 10, 21)

    session = Meeting.objects.get(body__slug="assembly", number=32)
    assert session.theme_kk == "«Әділетті Қазақстан: бірлік, тұрақтылық, даму»"
    assert session.theme_ru == "«Справедливый Казахстан: единство, стабильность, развитие»"
    assert session.end_date == datetime.date(2023, 4, 27)


def test_every_council_has_the_two_thirds_rules():
    councils = Body.objects.filter(kind=Body.Kind.COUNCIL)
    rules = MeetingRules.objects.filter(body__kind=Body.Kind.COUNCIL)

    assert councils.count() == 21
    assert councils.filter(region__isnull=True).count() == 1
    assert {r.body_id for r in rules} == set(councils.values_list("pk", flat=True))
    assert {(r.quorum_comparison, r.quorum_numerator, r.quorum_denominator, r.default_majority) for r in rules} == {
        (MeetingRules.Comparison.AT_LEAST, 2, 3, Majority.TWO_THIRDS_PRESENT)
    }
    assert not MeetingRules.objects.exclude(body__kind=Body.Kind.COUNCIL).exists()


def _codenames(group_name: str) -> set[str]:
    permissions = Permission.objects.filter(group__name=group_name, content_type__app_label="assembly_sessions")
    return set(permissions.values_list("codename", flat=True))


def test_the_secretariat_editors_may_keep_every_meeting_record():
    expected = {f"{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")}

    assert _codenames("Secretariat editor") == expected


def test_the_secretariat_viewers_may_only_view_meeting_records():
    assert _codenames("Secretariat viewer") == {f"view_{model}" for model in MODELS}
    # The register permissions granted earlier are still there.
    assert Group.objects.get(name="Secretariat viewer").permissions.filter(codename="view_membership").exists()
