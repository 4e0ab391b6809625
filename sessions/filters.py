"""Filters of the public list of sessions and meetings (shared with the API).

``help_text`` only describes a parameter in the API schema; the pages show the ``label``.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from assembly.models import Body
from assembly.widgets import QuickSelect

from .models import Meeting


def body_filter(field_name: str = "body") -> django_filters.ModelChoiceFilter:
    """The body whose meetings to show, by its slug (``field_name`` reaches the body)."""
    return django_filters.ModelChoiceFilter(
        label=_("Body"),
        help_text="The slug of the body that met, e.g. `assembly`, `council`, `almaty-assembly`.",
        field_name=field_name,
        queryset=Body.objects.all(),
        to_field_name="slug",
        empty_label=_("All bodies"),
        widget=QuickSelect,
    )


def year_filter(field_name: str = "start_date") -> django_filters.NumberFilter:
    """The year in which the meeting began (``field_name`` reaches its first day)."""
    return django_filters.NumberFilter(
        label=_("Year"),
        help_text="The year in which the meeting began, from 1995.",
        field_name=field_name,
        lookup_expr="year",
        # A whole year the calendar can hold: a larger one would fail in the date lookup.
        min_value=1995,
        max_value=9999,
        decimal_places=0,
    )


class MeetingFilter(django_filters.FilterSet):
    body = body_filter()
    year = year_filter()
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        help_text="A regular or an extraordinary meeting.",
        choices=Meeting.Kind.choices,
        empty_label=_("Any kind"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        help_text="Planned, held or cancelled.",
        choices=Meeting.Status.choices,
        empty_label=_("Any status"),
    )

    class Meta:
        model = Meeting
        fields = ["body", "year", "kind", "status"]
