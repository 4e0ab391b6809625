"""Reads of meetings that pages, the admin, exports and the API share."""

from django.db.models import Count, Prefetch, QuerySet

from members.models import Membership

from .models import AgendaItem, Attendance, Candidate, Election, Meeting


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


def meeting_file(meeting: Meeting) -> dict:
    """Everything the public page of a meeting shows, in a constant number of queries:
    the agenda as a tree, public documents, decisions, elections with candidates, and
    attendance figures (counts only, of the members entitled, as the quorum counts them)."""
    items = list(meeting.agenda.all())
    children = agenda_children(items)
    for item in items:
        item.subitems = children.get(item.pk, [])
    entitled = entitled_memberships(meeting)
    counts = dict(
        meeting.attendance.filter(membership__in=entitled)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    elections = list(
        meeting.elections.prefetch_related(
            Prefetch("candidates", queryset=Candidate.objects.select_related("person").order_by("-votes", "pk"))
        ).order_by("pk")
    )
    for election in elections:
        election.result_summary = election_result_summary(election)
    return {
        "agenda": children.get(None, []),
        "documents": list(meeting.documents.filter(is_public=True).order_by("kind", "pk")),
        "decisions": list(meeting.decisions.order_by("pk")),
        "elections": elections,
        "attendance": {
            # Only once attendance is recorded; before that every entitled member would show as absent.
            "recorded": sum(counts.values()),
            "entitled": entitled.count() if counts else 0,
            "attended": sum(counts.get(status, 0) for status in Attendance.ATTENDED),
            "by_status": [(Attendance.Status(status).label, counts.get(status, 0)) for status in Attendance.Status],
        },
    }
