"""Filters of the public endpoints of the sessions: the public list's (``sessions.filters``),
a range of dates, and the same questions asked of agenda items, decisions and elections.
``help_text`` describes each parameter in the API schema."""

import django_filters

from ..filters import MeetingFilter, body_filter, year_filter
from ..models import AgendaItem, Decision, Election
from ..selectors import public_meetings


class MeetingApiFilter(MeetingFilter):
    start_date_from = django_filters.DateFilter(
        field_name="start_date", lookup_expr="gte", help_text="Meetings that began on or after this date (YYYY-MM-DD)."
    )
    start_date_to = django_filters.DateFilter(
        field_name="start_date", lookup_expr="lte", help_text="Meetings that began on or before this date (YYYY-MM-DD)."
    )

    class Meta(MeetingFilter.Meta):
        fields = [*MeetingFilter.Meta.fields, "start_date_from", "start_date_to"]


class MeetingRecordFilter(django_filters.FilterSet):
    """What agenda items, decisions and elections are looked up by: their meeting, its body
    and its year."""

    meeting = django_filters.ModelChoiceFilter(help_text="The id of the meeting.", queryset=public_meetings())
    body = body_filter("meeting__body")
    year = year_filter("meeting__start_date")


class AgendaItemFilter(MeetingRecordFilter):
    kind = django_filters.ChoiceFilter(choices=AgendaItem.Kind.choices, help_text="The kind of item.")

    class Meta:
        model = AgendaItem
        fields = ["meeting", "body", "year", "kind"]


class DecisionFilter(MeetingRecordFilter):
    result = django_filters.ChoiceFilter(choices=Decision.Result.choices, help_text="Adopted or rejected.")

    class Meta:
        model = Decision
        fields = ["meeting", "body", "year", "result"]


class ElectionFilter(MeetingRecordFilter):
    kind = django_filters.ChoiceFilter(choices=Election.Kind.choices, help_text="What the election is for.")

    class Meta:
        model = Election
        fields = ["meeting", "body", "year", "kind"]
