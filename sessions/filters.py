"""Filters of the public list of sessions and meetings (shared with the API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from assembly.models import Body

from .models import Meeting


class MeetingFilter(django_filters.FilterSet):
    body = django_filters.ModelChoiceFilter(
        label=_("Body"), queryset=Body.objects.all(), to_field_name="slug", empty_label=_("All bodies")
    )
    year = django_filters.NumberFilter(
        label=_("Year"),
        field_name="start_date",
        lookup_expr="year",
        # A whole year the calendar can hold: a larger one would fail in the date lookup.
        min_value=1995,
        max_value=9999,
        decimal_places=0,
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Meeting.Kind.choices, empty_label=_("Any kind"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Meeting.Status.choices, empty_label=_("Any status"))

    class Meta:
        model = Meeting
        fields = ["body", "year", "kind", "status"]
