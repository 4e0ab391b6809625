"""Reads of the register that pages, the admin and the API share."""

import datetime

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from assembly.models import Body

from .models import Membership, Person


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


def member_directory(*, memberships: QuerySet[Membership]) -> QuerySet[Person]:
    """Persons with at least one of ``memberships`` (e.g. ``members.filters.MembershipFilter().qs``),
    by name, each with those memberships prefetched as ``listed_memberships``."""
    people = Person.objects.filter(Exists(memberships.filter(person=OuterRef("pk"))))
    listed = memberships.select_related("body", "post", "on_behalf_of").order_by("body__sort_order", "-start_date")
    return people.prefetch_related(Prefetch("memberships", queryset=listed, to_attr="listed_memberships"))


def public_person(*, slug: str) -> Person:
    """A person shown on the public site: one who has been a member of some body.
    Raises Person.DoesNotExist otherwise (candidates and staff-only records stay private)."""
    has_membership = Exists(Membership.objects.filter(person=OuterRef("pk")))
    return Person.objects.select_related("ethnic_group").filter(has_membership).get(slug=slug)
