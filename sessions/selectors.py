"""Reads of meetings that pages, the admin, exports and the API share."""

from django.db.models import Count, Exists, F, OuterRef, Prefetch, QuerySet

from members.models import Membership
from members.selectors import public_persons

from .models import AgendaItem, Attendance, Candidate, Decision, Document, Election, Meeting


def entitled_memberships(meeting: Meeting) -> QuerySet[Membership]:
    """The memberships entitled to attend: current in the body on the meeting's first day."""
    return Membership.objects.filter(body_id=meeting.body_id).on(meeting.start_date)


def attendance_sheet(meeting: Meeting) -> list[tuple[Membership, str]]:
    """Each entitled membership with its recorded status ('' when not yet recorded), by name."""
    statuses = dict(meeting.attendance.values_list("membership_id", "status"))
    memberships = (
        entitled_memberships(meeting)
        .select_related("person", "post", "on_behalf_of")
        .order_by("person__sort_name", "pk")
    )
    return [(membership, statuses.get(membership.pk, "")) for membership in memberships]


def public_meetings() -> QuerySet[Meeting]:
    """Meetings as the public lists show them, newest first."""
    return Meeting.objects.select_related("body", "body__region", "convened_by").order_by("-start_date", "pk")


def election_result_summary(election: Election) -> str:
    """Who was elected, told in the active language. ``result_note`` keeps the language
    of whoever computed the result, so the public pages tell it again from the stored
    figures, with the same messages as ``sessions.services.election_compute``."""
    return election.result_summary() if election.result_note else ""


def agenda_children(items: list[AgendaItem]) -> dict[int | None, list[AgendaItem]]:
    """The items of one agenda grouped by parent id (None: the top level), each group in order."""
    children: dict[int | None, list[AgendaItem]] = {}
    for item in sorted(items, key=lambda item: (item.order, item.pk)):
        children.setdefault(item.parent_id, []).append(item)
    return children


def public_documents() -> QuerySet[Document]:
    """Documents anyone may read, by kind; the restricted ones are for staff only."""
    return Document.objects.filter(is_public=True).order_by("kind", "pk")


def public_candidates() -> QuerySet[Candidate]:
    """Candidates as the public pages list them, most votes first, each with its person and
    ``person_is_public``: whether the person is public (``members.selectors.public_persons``),
    with a page of their own; the others are named on the meeting's page only."""
    return (
        Candidate.objects.select_related("person")
        .annotate(person_is_public=Exists(public_persons().filter(pk=OuterRef("person_id"))))
        .order_by("-votes", "pk")
    )


def attendance_figures(meeting: Meeting) -> dict:
    """Attendance as the public pages tell it: counts only, of the members entitled (as the
    quorum counts them), by status code in the order of ``Attendance.Status``."""
    entitled = entitled_memberships(meeting)
    counts = dict(
        meeting.attendance.filter(membership__in=entitled)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        # Only once attendance is recorded; before that every entitled member would show as absent.
        "recorded": sum(counts.values()),
        "entitled": entitled.count() if counts else 0,
        "attended": sum(counts.get(status, 0) for status in Attendance.ATTENDED),
        "by_status": {status: counts.get(status, 0) for status in Attendance.Status},
    }


def meeting_file(meeting: Meeting) -> dict:
    """Everything the public page of a meeting shows, in a constant number of queries:
    the agenda as a tree, public documents, decisions, elections with candidates, and
    attendance figures (``attendance_figures``, with the label of each status)."""
    items = list(meeting.agenda.all())
    children = agenda_children(items)
    for item in items:
        item.subitems = children.get(item.pk, [])
    attendance = attendance_figures(meeting)
    elections = list(_with_candidates(meeting.elections.order_by("pk")))
    for election in elections:
        election.result_summary = election_result_summary(election)
    return {
        "agenda": children.get(None, []),
        "documents": list(public_documents().filter(meeting=meeting)),
        "decisions": list(meeting.decisions.order_by("pk")),
        "elections": elections,
        "attendance": {
            **attendance,
            "by_status": [
                (Attendance.Status(status).label, count) for status, count in attendance["by_status"].items()
            ],
        },
    }


# The public API: the same reads as the pages, for many meetings at once.


def agenda_outline(items: list[AgendaItem]) -> list[AgendaItem]:
    """The items of one agenda in reading order: each item followed by its sub-items, at any depth."""
    children = agenda_children(items)
    outline: list[AgendaItem] = []
    # Depth first from the top level; an item whose parent is not on this agenda is never reached.
    pending = list(reversed(children.get(None, [])))
    while pending:
        item = pending.pop()
        outline.append(item)
        pending.extend(reversed(children.get(item.pk, [])))
    return outline


def public_meeting_files() -> QuerySet[Meeting]:
    """``public_meetings`` with what the page of a meeting shows prefetched: the agenda, the
    public documents only (as ``public_documents``), the decisions, and the elections with
    their candidates. The attendance figures are ``attendance_figures``, one meeting at a time."""
    return public_meetings().prefetch_related(
        Prefetch("agenda", queryset=AgendaItem.objects.order_by("order", "pk")),
        Prefetch("documents", queryset=public_documents(), to_attr="public_documents"),
        Prefetch("decisions", queryset=Decision.objects.order_by("pk")),
        Prefetch("elections", queryset=_with_candidates(Election.objects.order_by("pk"))),
    )


def _with_candidates(elections: QuerySet[Election]) -> QuerySet[Election]:
    return elections.prefetch_related(Prefetch("candidates", queryset=public_candidates()))


def _of_public_meetings(queryset: QuerySet) -> QuerySet:
    """The rows of the meetings the public pages show, each with its meeting (and body) and
    the meeting's first day as ``meeting_date``, to order by."""
    return (
        queryset.filter(meeting__in=public_meetings())
        .select_related("meeting__body")
        .annotate(meeting_date=F("meeting__start_date"))
    )


def public_agenda_items() -> QuerySet[AgendaItem]:
    """Agenda items of the public meetings, the newest meeting first; within a meeting the
    top level first, each level in order."""
    return _of_public_meetings(AgendaItem.objects.all()).order_by(
        "-meeting_date", "meeting_id", F("parent_id").asc(nulls_first=True), "order", "pk"
    )


def public_decisions() -> QuerySet[Decision]:
    """Decisions of the public meetings, the newest meeting first; within a meeting in the
    order they were recorded."""
    return _of_public_meetings(Decision.objects.all()).order_by("-meeting_date", "meeting_id", "pk")


def public_elections() -> QuerySet[Election]:
    """Elections of the public meetings with their candidates (``public_candidates``), the
    newest meeting first."""
    return _with_candidates(_of_public_meetings(Election.objects.all())).order_by("-meeting_date", "meeting_id", "pk")
