"""Filters of the bodies and posts endpoints."""

import django_filters

from members.filters import StrictBooleanFilter
from regional.models import Region

from ..models import Body, Post


class BodyFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Body.Kind.choices, help_text="The kind of body.")
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), to_field_name="slug", help_text="The slug of a region: its regional bodies."
    )
    national = StrictBooleanFilter(
        field_name="region",
        lookup_expr="isnull",
        help_text="true: only the national bodies; false: only the regional and lower ones.",
    )

    class Meta:
        model = Body
        fields = ["kind", "region", "national"]


class PostFilter(django_filters.FilterSet):
    body = django_filters.ModelChoiceFilter(
        queryset=Body.objects.all(), to_field_name="slug", help_text="The slug of the body the posts belong to."
    )
    role = django_filters.ChoiceFilter(choices=Post.Role.choices, help_text="The role of the post.")

    class Meta:
        model = Post
        fields = ["body", "role"]
