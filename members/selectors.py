"""Reads of the register that pages, the admin and the API share."""

import datetime

from django.db.models import QuerySet

from assembly.models import Body

from .models import Membership, Person


def body_composition(*, body: Body, date: datetime.date) -> QuerySet[Membership]:
    """The members of ``body`` on ``date``, chairs first, then by name."""
    return (
        Membership.objects.filter(body=body)
        .on(date)
        .with_related()
        .order_by("post__sort_order", "person__surname", "person__given_name", "pk")
    )


def person_memberships(*, person: Person) -> QuerySet[Membership]:
    """All of a person's memberships, newest first."""
    return person.memberships.with_related().select_related("body__region").order_by("-start_date", "pk")
