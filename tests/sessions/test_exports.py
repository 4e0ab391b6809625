"""The attendance sheet of a meeting as CSV and PDF (``sessions.exports``) and the admin
views that serve them."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import translation

from members.models import Membership
from sessions import exports, services
from tests.factories import AssociationFactory, MeetingFactory, MembershipFactory, memberships_of, national_body

pytestmark = pytest.mark.django_db

MEETING_DAY = datetime.date(2024, 3, 1)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def council():
    """The Council's meeting with four members entitled (one for an association), one who
    joined the day after the meeting, and the attendance recorded."""
    body = national_body("council")
    members = memberships_of(body, 3)
    members.append(
        MembershipFactory(body=body, basis=Membership.Basis.ETHNOCULTURAL, on_behalf_of=AssociationFactory())
    )
    late = MembershipFactory(body=body, start_date=MEETING_DAY + datetime.timedelta(days=1))
    meeting = MeetingFactory(body=body, start_date=MEETING_DAY, venue_kk="Астана")
    services.attendance_mark_all_present(meeting=meeting)
    services.attendance_set(meeting=meeting, statuses={members[0].pk: "excused", members[1].pk: "left_early"})
    return {"meeting": meeting, "members": members, "late": late}


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the byte order mark Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_csv_has_a_header_and_one_row_per_entitled_member(council):
    header, *rows = read_csv(exports.attendance_csv(council["meeting"]))
    assert header == ["No.", "Name", "Post", "Basis", "Represents", "Status", "Signature"]
    assert len(rows) == 4
    by_name = {row[1]: row for row in rows}
    assert council["late"].person.display_name not in by_name
    members = council["members"]
    assert by_name[members[0].person.display_name][5] == "excused"
    assert by_name[members[1].person.display_name][5] == "left early"
    assert by_name[members[2].person.display_name][5] == "present"
    eca_member = by_name[members[3].person.display_name]
    assert eca_member[3:5] == ["ethnocultural association", members[3].on_behalf_of.name]
    assert eca_member[2] == members[3].post.label
    assert [row[0] for row in rows] == ["1", "2", "3", "4"]
    assert {row[6] for row in rows} == {""}  # left for the signature


def test_csv_writes_a_formula_like_value_as_text(council):
    association = council["members"][3].on_behalf_of
    association.name_en = "=HYPERLINK(1)"
    association.save()
    _header, *rows = read_csv(exports.attendance_csv(council["meeting"]))
    assert "'=HYPERLINK(1)" in [row[4] for row in rows]


def test_csv_of_a_meeting_nobody_is_entitled_to_is_the_header_only():
    meeting = MeetingFactory(body=national_body("council"), start_date=MEETING_DAY)
    assert len(read_csv(exports.attendance_csv(meeting))) == 1


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", data))


def test_pdf_is_a_pdf_with_the_unicode_font_embedded(council):
    data = exports.attendance_pdf(council["meeting"])
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert b"DejaVuSans" in data  # Cyrillic needs the TTF font, not a core PDF font
    assert b"/Title" in data
    assert pdf_pages(data) == 1


def test_pdf_grows_by_pages_with_the_members():
    body = national_body("council")
    memberships_of(body, 60)
    meeting = MeetingFactory(body=body, start_date=MEETING_DAY)
    assert pdf_pages(exports.attendance_pdf(meeting)) >= 2


def test_the_quorum_summary_states_the_figures(council):
    quorum = services.meeting_quorum(council["meeting"])
    assert exports.quorum_summary(quorum) == (
        "Members entitled: 4; present: 3; needed for a quorum: 3 (at least 2/3 of all members) — quorum met."
    )


# The admin views ---------------------------------------------------------------------------


def export_url(meeting, kind: str) -> str:
    return reverse(f"admin:assembly_sessions_meeting_attendance_{kind}", args=[meeting.pk])


@pytest.fixture
def viewer_client(django_user_model):
    user = django_user_model.objects.create_user("viewer", password="pass-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name="Secretariat viewer"))
    client = Client()
    client.force_login(user)
    return client


def test_csv_view_serves_the_file_with_its_name(viewer_client, council):
    meeting = council["meeting"]
    response = viewer_client.get(export_url(meeting, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="attendance-council-2024-03-01.csv"'
    assert len(read_csv(response.content)) == 5


def test_pdf_view_serves_the_file_with_its_name(viewer_client, council):
    response = viewer_client.get(export_url(council["meeting"], "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="attendance-council-2024-03-01.pdf"'
    assert response.content.startswith(b"%PDF-")


def test_exports_need_the_view_permission_on_meetings(django_user_model, council):
    client = Client()
    client.force_login(django_user_model.objects.create_user("clerk", password="pass-for-tests", is_staff=True))
    for kind in ("csv", "pdf"):
        assert client.get(export_url(council["meeting"], kind)).status_code == 403
    client.logout()
    assert client.get(export_url(council["meeting"], "csv")).status_code == 302  # to the login page
