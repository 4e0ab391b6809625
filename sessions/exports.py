"""A meeting's attendance sheet as files: CSV for spreadsheets, PDF to print and sign.

Both list every member entitled on the meeting's date (``selectors.attendance_sheet``),
with the status recorded so far and an empty column for the signature. Texts follow
the active language.
"""

import csv
import io

from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from . import selectors, services
from .models import Attendance, Meeting

FONT = "DejaVuSans"
# Spreadsheet formulas start with these; a cell starting with one is written as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def attendance_header() -> list[str]:
    return [_("No."), _("Name"), _("Post"), _("Basis"), _("Represents"), _("Status"), _("Signature")]


def attendance_rows(meeting: Meeting) -> list[list[str]]:
    """One row per entitled member, by name, in the columns of ``attendance_header``."""
    rows = []
    for number, (membership, status) in enumerate(selectors.attendance_sheet(meeting), start=1):
        rows.append(
            [
                str(number),
                membership.person.display_name,
                membership.post.label,
                membership.get_basis_display(),
                membership.on_behalf_of.name if membership.on_behalf_of else "",
                Attendance.Status(status).label if status else "",
                "",
            ]
        )
    return rows


def attendance_filename(meeting: Meeting, extension: str) -> str:
    return f"attendance-{meeting.body.slug}-{meeting.start_date:%Y-%m-%d}.{extension}"


def meeting_dates(meeting: Meeting) -> str:
    start = date_format(meeting.start_date, "SHORT_DATE_FORMAT")
    if meeting.end_date and meeting.end_date != meeting.start_date:
        return f"{start} – {date_format(meeting.end_date, 'SHORT_DATE_FORMAT')}"
    return start


def quorum_summary(quorum: services.Quorum) -> str:
    verdict = _("quorum met") if quorum.met else _("no quorum")
    return _(
        "Members entitled: %(entitled)s; present: %(present)s; needed for a quorum: %(required)s (%(rule)s) — "
        "%(verdict)s."
    ) % {
        "entitled": quorum.entitled,
        "present": quorum.present,
        "required": quorum.required,
        "rule": quorum.rule,
        "verdict": verdict,
    }


def _csv_cell(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def attendance_csv(meeting: Meeting) -> bytes:
    """The sheet as CSV in UTF-8 with a byte order mark, so that Excel reads the Cyrillic.
    Cells are separated by semicolons, the list separator of Excel in Kazakh and Russian
    locales (with commas it puts each row in a single cell)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(attendance_header())
    writer.writerows([_csv_cell(value) for value in row] for row in attendance_rows(meeting))
    return buffer.getvalue().encode("utf-8-sig")


def _font_path(filename: str) -> str:
    path = finders.find(f"fonts/{filename}")
    if not path:
        raise ImproperlyConfigured(f"The font static/fonts/{filename} is missing.")
    return path


class _SheetPDF(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        # fpdf replaces "{nb}" with the page count when the document is finished.
        self.cell(0, 8, _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}, align="C")


def attendance_pdf(meeting: Meeting) -> bytes:
    """The sheet as an A4 landscape PDF titled with the meeting and its dates, with the quorum."""
    quorum = services.meeting_quorum(meeting)
    pdf = _SheetPDF(orientation="landscape", format="A4")
    pdf.set_title(f"{meeting.title}, {meeting_dates(meeting)}")
    pdf.add_font(FONT, "", _font_path("DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", _font_path("DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()

    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(0, 7, _("Attendance sheet"), new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 7, meeting.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    place = ", ".join(part for part in (meeting_dates(meeting), meeting.venue) if part)
    pdf.multi_cell(0, 6, place, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, quorum_summary(quorum), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    pdf.set_font(FONT, "", 8)
    with pdf.table(
        col_widths=(9, 55, 34, 32, 60, 22, 45),
        text_align=("RIGHT", "LEFT", "LEFT", "LEFT", "LEFT", "LEFT", "LEFT"),
        line_height=5,
    ) as table:
        for values in [attendance_header(), *attendance_rows(meeting)]:
            row = table.row()
            for value in values:
                row.cell(value)
    return bytes(pdf.output())
