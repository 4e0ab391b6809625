"""Reads about the Assembly's bodies and composition that pages and the API share."""

import datetime

from django.db.models import Case, Count, IntegerField, Q, QuerySet, When
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from members.models import EthnicGroup, Membership, Person, held_on

from .models import Body, Post

# Groups smaller than this are shown together, so that a count cannot single a person out.
SMALL_GROUP = 3
# The line of those pooled groups, on the composition page and in the open data.
POOLED_GROUPS = gettext_lazy("Other groups (fewer than %(n)s members each)")


def leadership(*, date: datetime.date) -> QuerySet[Membership]:
    """The Assembly's Chairman and Deputy Chairmen and the Head of the Secretariat on ``date``."""
    return (
        Membership.objects.on(date)
        .filter(
            body__region__isnull=True,
            post__role__in=[Post.Role.CHAIRMAN, Post.Role.DEPUTY_CHAIRMAN, Post.Role.HEAD],
            body__kind__in=[Body.Kind.ASSEMBLY, Body.Kind.SECRETARIAT],
        )
        .select_related("person", "post", "body", "on_behalf_of")
        .order_by("body__sort_order", "post__sort_order", "start_date")
    )


def composition_breakdowns(*, body: Body, date: datetime.date) -> dict[str, list[tuple[str, int]]]:
    """Counts of the members of ``body`` on ``date`` by region, basis, gender and ethnic
    group (aggregates only; small ethnic groups pooled). Four queries."""
    members = Membership.objects.filter(body=body).on(date)

    def counted(field: str):
        return members.values(field).annotate(n=Count("pk")).order_by("-n", field)

    region_name = f"on_behalf_of__region__name_{_language()}"
    by_region = [
        (row[region_name] or _("Republic-wide"), row["n"])
        for row in members.values(region_name).annotate(n=Count("pk")).order_by("-n", region_name)
    ]
    by_basis = [(str(Membership.Basis(row["basis"]).label), row["n"]) for row in counted("basis")]
    by_gender = [(str(_gender_label(row["person__gender"])), row["n"]) for row in counted("person__gender")]
    by_group = pooled_ethnic_groups(body=body, date=date)
    return {"region": by_region, "basis": by_basis, "gender": by_gender, "ethnic_group": by_group}


def pooled_ethnic_groups(*, body: Body, date: datetime.date) -> list[tuple[str, int]]:
    """The members of ``body`` on ``date`` by ethnic group, in the active language, largest
    first; groups smaller than SMALL_GROUP are pooled into one line. One query."""
    members = Membership.objects.filter(body=body).on(date)
    group_name = f"person__ethnic_group__name_{_language()}"
    by_group, pooled = [], 0
    for row in members.values(group_name).annotate(n=Count("pk")).order_by("-n", group_name):
        if row[group_name] is None:
            continue
        if row["n"] < SMALL_GROUP:
            pooled += row["n"]
        else:
            by_group.append((row[group_name], row["n"]))
    if pooled:
        by_group.append((POOLED_GROUPS % {"n": SMALL_GROUP}, pooled))
    return by_group


def national_assembly() -> Body | None:
    """The Assembly itself: the national body of the kind "assembly"."""
    return Body.objects.national().filter(kind=Body.Kind.ASSEMBLY).order_by("sort_order", "pk").first()


def ethnic_group_counts(
    *, body: Body | None, date: datetime.date, groups: QuerySet[EthnicGroup] | None = None
) -> QuerySet[EthnicGroup]:
    """The ethnic groups (``groups``, all by default), each with ``members``: how many members
    of ``body`` on ``date`` belong to it, or None when fewer than SMALL_GROUP (the rule of
    composition_breakdowns: a count that small could single a person out). Aggregates only;
    one query."""
    prefix = "persons__memberships__"
    held = Q(**{f"{prefix}body": body}) & held_on(date, prefix=prefix)
    groups = EthnicGroup.objects.all() if groups is None else groups
    return groups.alias(counted=Count("persons__memberships", filter=held)).annotate(
        members=Case(When(counted__gte=SMALL_GROUP, then="counted"), default=None, output_field=IntegerField())
    )


def size_over_years(*, body: Body, first_year: int, last_year: int) -> list[tuple[int, int]]:
    """The number of members of ``body`` on 1 January of each year, in one query."""
    aggregates = {}
    for year in range(first_year, last_year + 1):
        day = datetime.date(year, 1, 1)
        aggregates[f"y{year}"] = Count("pk", filter=held_on(day))
    counts = Membership.objects.filter(body=body).aggregate(**aggregates)
    return [(year, counts[f"y{year}"]) for year in range(first_year, last_year + 1)]


def _language() -> str:
    language = (get_language() or "kk")[:2]
    return language if language in {"kk", "ru", "en"} else "kk"


def _gender_label(value: str) -> str:
    return Person.Gender(value).label if value else _("not recorded")
