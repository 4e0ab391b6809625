"""Reads of the register that pages, the admin and the API share."""

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from assembly.models import Body

from .models import Association, Membership, Person, held_on


def body_composition(*, body: Body, date: datetime.date) -> QuerySet[Membership]:
    """The members of ``body`` on ``date``, chairs first, then by name."""
    return (
        Membership.objects.filter(body=body)
        .on(date)
        .with_related()
        .order_by("post__sort_order", "person__sort_name", "pk")
    )


def person_memberships(*, person: Person) -> QuerySet[Membership]:
    """All of a person's memberships, newest first."""
    return person.memberships.with_related().select_related("body__region").order_by("-start_date", "pk")


def member_directory(*, memberships: QuerySet[Membership], name: str = "") -> QuerySet[Person]:
    """Persons with at least one of ``memberships`` (e.g. ``members.filters.MembershipFilter().qs``),
    by name, each with those memberships prefetched as ``listed_memberships``.

    ``name`` (the filter's own name search, if any) narrows the persons themselves as well: there
    the trigram index finds the few who match, where the search inside ``memberships`` would have
    the database walk the whole register in name order looking for them."""
    people = Person.objects.search(name) if name else Person.objects.all()
    people = people.filter(Exists(memberships.filter(person=OuterRef("pk"))))
    listed = memberships.select_related("body", "post", "on_behalf_of").order_by("body__sort_order", "-start_date")
    return people.prefetch_related(Prefetch("memberships", queryset=listed, to_attr="listed_memberships"))


def member_directory_count(*, memberships: QuerySet[Membership]) -> int:
    """The number of persons ``member_directory(memberships=memberships)`` lists: one query on
    the memberships alone (an index holds the persons of those held on a day)."""
    return memberships.aggregate(persons=Count("person", distinct=True))["persons"]


def public_persons() -> QuerySet[Person]:
    """The persons shown on the public site, its API and open data: those who have been a
    member of some body (candidates and staff-only records stay private)."""
    return Person.objects.filter(Exists(Membership.objects.filter(person=OuterRef("pk"))))


def public_person(*, slug: str) -> Person:
    """A person shown on the public site (see ``public_persons``). Raises Person.DoesNotExist otherwise."""
    return public_persons().select_related("ethnic_group").get(slug=slug)


def membership_records() -> QuerySet[Membership]:
    """Every membership, past, current and future, with what its public record shows (the
    person, the body and its region, the post, the association and the acts), in one query."""
    return Membership.objects.with_related().select_related("body__region")


def association_directory() -> QuerySet[Association]:
    """Associations with their region and ethnic group, each with ``current_members``: the
    number of memberships held today on its behalf."""
    current = held_on(timezone.localdate(), prefix="memberships__")
    return Association.objects.select_related("region", "ethnic_group").annotate(
        current_members=Count("memberships", filter=current)
    )
