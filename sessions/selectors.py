"""Reads of meetings that pages, the admin, exports and the API share."""

from django.db.models import QuerySet

from members.models import Membership

from .models import Meeting


def entitled_memberships(meeting: Meeting) -> QuerySet[Membership]:
    """The memberships entitled to attend: current in the body on the meeting's first day."""
    return Membership.objects.filter(body_id=meeting.body_id).on(meeting.start_date)


def attendance_sheet(meeting: Meeting) -> list[tuple[Membership, str]]:
    """Each entitled membership with its recorded status ('' when not yet recorded), by name."""
    statuses = dict(meeting.attendance.values_list("membership_id", "status"))
    memberships = (
        entitled_memberships(meeting)
        .select_related("person", "post", "on_behalf_of")
        .order_by("person__surname", "person__given_name", "pk")
    )
    return [(membership, statuses.get(membership.pk, "")) for membership in memberships]
