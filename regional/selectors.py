"""Reads about regions that pages and the API share."""

import dataclasses
import datetime

from django.db.models import Count, DurationField, ExpressionWrapper, F, Prefetch, QuerySet, Value
from django.utils import timezone

from assembly.models import Body, Post
from members.models import Membership, held_on

from . import roles
from .models import Nomination, NominationDocument, NominationEvent, NominationQuerySet, Notification, Region


def regional_assemblies(*, date: datetime.date) -> QuerySet[Body]:
    """The assembly of each region (not the district ones below it), with its number of
    members on ``date`` as ``member_count``."""
    current = held_on(date, prefix="memberships__")
    return (
        Body.objects.filter(kind=Body.Kind.ASSEMBLY, region__isnull=False, parent__region__isnull=True)
        .select_related("region")
        .annotate(member_count=Count("memberships", filter=current))
    )


def chairs_on(*, bodies, date: datetime.date) -> dict[int, Membership]:
    """The chairman of each of ``bodies`` on ``date``, by body id."""
    chairs = Membership.objects.on(date).filter(post__role=Post.Role.CHAIRMAN, body__in=bodies)
    return {membership.body_id: membership for membership in chairs.select_related("person", "post")}


def region_overview(*, date: datetime.date) -> list[dict]:
    """Every region existing on ``date`` with its assembly, member count and chairman (three queries)."""
    assemblies = {body.region_id: body for body in regional_assemblies(date=date)}
    chairs = chairs_on(bodies=list(assemblies.values()), date=date)
    rows = []
    for region in Region.objects.on(date):
        assembly = assemblies.get(region.pk)
        rows.append({"region": region, "assembly": assembly, "chair": chairs.get(assembly.pk) if assembly else None})
    return rows


def region_representatives(*, region: Region, date: datetime.date) -> QuerySet[Membership]:
    """Members of the national Assembly on ``date`` who represent the region's associations."""
    return (
        Membership.objects.on(date)
        .filter(body__region__isnull=True, body__kind=Body.Kind.ASSEMBLY, on_behalf_of__region=region)
        .select_related("person", "post", "on_behalf_of")
        .order_by("person__sort_name", "pk")
    )


# Nominations ---------------------------------------------------------------------------------


def nominations_visible_to(*, user) -> NominationQuerySet:
    """The nominations ``user`` may see: all of them for the Secretariat, their region's for a
    regional office user, none for anyone else."""
    if roles.is_secretariat(user):
        return Nomination.objects.all()
    region_id = roles.office_region_id(user)
    if region_id is not None:
        return Nomination.objects.filter(region_id=region_id)
    return Nomination.objects.none()


def nomination_list(*, user) -> NominationQuerySet:
    """The visible nominations with what a list shows (region, body, association), newest
    change first."""
    return nominations_visible_to(user=user).with_related()


def nomination_history(*, nomination: Nomination) -> QuerySet[NominationEvent]:
    """Every step of a nomination, oldest first, with who took it and its documents."""
    return (
        nomination.events.select_related("actor")
        .prefetch_related(Prefetch("documents", queryset=NominationDocument.objects.select_related("uploaded_by")))
        .order_by("at", "pk")
    )


def nomination_documents_visible_to(*, user) -> QuerySet[NominationDocument]:
    """The documents of the nominations ``user`` may see (for a download view)."""
    return NominationDocument.objects.filter(nomination__in=nominations_visible_to(user=user)).select_related(
        "nomination"
    )


@dataclasses.dataclass
class DashboardRow:
    region: Region
    counts: dict[str, int]  # by status, every status present
    total: int


@dataclasses.dataclass
class NominationDashboard:
    """Nominations by region and status, and the open ones by how long they have waited in
    their current step (``waiting``, a timedelta on each), longest first."""

    statuses: list[tuple[str, str]]
    rows: list[DashboardRow]
    totals: dict[str, int]
    waiting: list[Nomination]


def nomination_dashboard(*, user, now: datetime.datetime | None = None) -> NominationDashboard:
    """The dashboard of the nominations ``user`` may see (three queries besides the roles)."""
    now = now or timezone.now()
    visible = nominations_visible_to(user=user)
    counts = {
        (row["region"], row["status"]): row["count"]
        for row in visible.order_by().values("region", "status").annotate(count=Count("pk"))
    }
    if roles.is_secretariat(user):
        regions = Region.objects.all()
    else:
        regions = Region.objects.filter(pk=roles.office_region_id(user))
    statuses = list(Nomination.Status.choices)
    rows = []
    for region in regions:
        by_status = {status: counts.get((region.pk, status), 0) for status, _label in statuses}
        rows.append(DashboardRow(region=region, counts=by_status, total=sum(by_status.values())))
    totals = {status: sum(row.counts[status] for row in rows) for status, _label in statuses}
    waiting = list(
        visible.open()
        .with_related()
        .annotate(waiting=ExpressionWrapper(Value(now) - F("status_changed_at"), output_field=DurationField()))
        .order_by("status_changed_at", "pk")
    )
    return NominationDashboard(statuses=statuses, rows=rows, totals=totals, waiting=waiting)


def notifications_of(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """A user's notifications, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    notifications = Notification.objects.filter(user=user).select_related("nomination")
    return notifications.filter(read_at__isnull=True) if unread_only else notifications
