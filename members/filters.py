"""Filters over memberships (django-filter), shared by the public member directory and
the API. Invalid values are left out and explained, never a server error."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly.models import Body
from regional.models import Region

from .models import Association, EthnicGroup, Membership, Person


class MembershipFilter(django_filters.FilterSet):
    """Memberships current on a date (today unless ``on`` is given), or all of them with
    ``past``, narrowed by body, region, association, basis and a name in any script."""

    q = django_filters.CharFilter(label=_("Full name"), method="filter_name")
    body = django_filters.ModelChoiceFilter(
        label=_("Body"), queryset=Body.objects.all(), to_field_name="slug", empty_label=_("All bodies")
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="slug",
        method="filter_region",
        empty_label=_("All regions"),
    )
    association = django_filters.ModelChoiceFilter(
        label=_("Association"),
        field_name="on_behalf_of",
        queryset=Association.objects.all(),
        to_field_name="slug",
        empty_label=_("All associations"),
    )
    basis = django_filters.ChoiceFilter(label=_("Basis"), choices=Membership.Basis.choices, empty_label=_("Any basis"))
    on = django_filters.DateFilter(label=_("On date"), method="filter_noop")
    past = django_filters.BooleanFilter(
        label=_("Include past members"), widget=forms.CheckboxInput, method="filter_noop"
    )

    class Meta:
        model = Membership
        fields = ["q", "body", "region", "association", "basis", "on", "past"]

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        if not data.get("past"):
            queryset = queryset.on(data.get("on") or timezone.localdate())
        return super().filter_queryset(queryset)

    def filter_name(self, queryset, name, value):
        return queryset.filter(person__in=Person.objects.search(value).values("pk"))

    def filter_region(self, queryset, name, value):
        return queryset.filter(Q(body__region=value) | Q(on_behalf_of__region=value))

    def filter_noop(self, queryset, name, value):
        # ``on`` and ``past`` choose the base set in filter_queryset.
        return queryset


class AssociationFilter(django_filters.FilterSet):
    """The public directory of associations."""

    q = django_filters.CharFilter(label=_("Name"), method="filter_name")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Association.Kind.choices, empty_label=_("Any kind"))
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Association.Level.choices, empty_label=_("Any level"))
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), queryset=Region.objects.all(), to_field_name="slug", empty_label=_("All regions")
    )
    ethnic_group = django_filters.ModelChoiceFilter(
        label=_("Ethnic group"),
        queryset=EthnicGroup.objects.all(),
        to_field_name="slug",
        empty_label=_("All ethnic groups"),
    )

    class Meta:
        model = Association
        fields = ["q", "kind", "level", "region", "ethnic_group"]

    def filter_name(self, queryset, name, value):
        return queryset.filter(Q(name_kk__icontains=value) | Q(name_ru__icontains=value) | Q(name_en__icontains=value))
