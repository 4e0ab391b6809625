"""Reads about regions that pages and the API share."""

import datetime

from django.db.models import Count, Q, QuerySet

from assembly.models import Body, Post
from members.models import Membership

from .models import Region


def regional_assemblies(*, date: datetime.date) -> QuerySet[Body]:
    """The assembly of each region (not the district ones below it), with its number of
    members on ``date`` as ``member_count``."""
    current = Q(memberships__start_date__lte=date) & (
        Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=date)
    )
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
