"""Filters of the register (django-filter), shared by the public pages and the API. A page
leaves an invalid value out and explains it; the API answers it with a 400 naming the
parameter. Either way never a server error."""

import copy
import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly.models import Body, Post
from assembly.selectors import ethnic_group_counts, national_assembly
from assembly.widgets import QuickSelect
from regional.models import Region

from .models import Association, EthnicGroup, Membership, Person, held_on
from .selectors import public_persons


def in_region(region: Region) -> Q:
    """A membership "in" ``region``: of one of its bodies, or on behalf of one of its associations."""
    return Q(body__region=region) | Q(on_behalf_of__region=region)


class StrictBooleanField(forms.Field):
    """``true`` or ``false`` (or 1, 0); anything else is an error, where a form's boolean
    would quietly read it as "not given"."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().lower()
        if text in {"true", "1"}:
            return True
        if text in {"false", "0"}:
            return False
        raise ValidationError(_("Use true or false."), code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class IsoDateFilter(django_filters.DateFilter):
    """A date written YYYY-MM-DD only: the API reads the same in every language."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(*args, **kwargs)


class MembershipFilter(django_filters.FilterSet):
    """Memberships current on a date (today unless ``on`` is given), or all of them with
    ``past``, narrowed by body, region, association, basis and a name in any script."""

    q = django_filters.CharFilter(label=_("Full name"), method="filter_name")
    body = django_filters.ModelChoiceFilter(
        label=_("Body"),
        queryset=Body.objects.all(),
        to_field_name="slug",
        empty_label=_("All bodies"),
        widget=QuickSelect,
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="slug",
        method="filter_region",
        empty_label=_("All regions"),
        widget=QuickSelect,
    )
    association = django_filters.ModelChoiceFilter(
        label=_("Association"),
        field_name="on_behalf_of",
        queryset=Association.objects.all(),
        to_field_name="slug",
        empty_label=_("All associations"),
        widget=QuickSelect,
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
        return super().filter_queryset(self.held(queryset, self.form.cleaned_data))

    def offer_national_and_regional_choices(self) -> None:
        """List in the form the national bodies and republican associations and, once a region
        is chosen, that region's (all of them would be hundreds of options at national scale).
        Only the lists shrink: any body or association is still accepted, and the chosen one is
        always listed."""
        self.form.is_valid()
        data = getattr(self.form, "cleaned_data", {})
        region = data.get("region")
        lists = {
            "body": (Body.objects.all(), Q(region__isnull=True) | Q(region=region)),
            "association": (
                Association.objects.all(),
                Q(level=Association.Level.REPUBLICAN) | Q(region=region),
            ),
        }
        for name, (queryset, offered) in lists.items():
            chosen = data.get(name)
            if chosen is not None:
                offered |= Q(pk=chosen.pk)
            shown = copy.copy(self.form.fields[name])
            shown.widget = copy.copy(shown.widget)
            shown.queryset = queryset.filter(offered)
            self.form.fields[name].widget.choices = shown.choices

    def held(self, queryset: QuerySet[Membership], data: dict) -> QuerySet[Membership]:
        """The memberships the other filters narrow: those held on ``on`` (today by default),
        or all of them with ``past``."""
        if data.get("past"):
            return queryset
        return queryset.on(data.get("on") or timezone.localdate())

    def filter_name(self, queryset, name, value: str):
        return queryset.filter(person__in=Person.objects.search(value).values("pk"))

    def filter_region(self, queryset, name, value: Region):
        return queryset.filter(in_region(value))

    def filter_noop(self, queryset, name, value):
        # ``on`` and ``past`` choose the base set in held().
        return queryset


class PublicMembershipFilter(MembershipFilter):
    """The API's memberships: the whole record, past and future included, unless ``on`` or
    ``current`` asks for the memberships held on one day."""

    past = None
    on = IsoDateFilter(
        method="filter_noop",
        help_text="A date (YYYY-MM-DD): only the memberships held on that day, both ends inclusive.",
    )
    current = StrictBooleanFilter(
        method="filter_noop",
        help_text="true: only the memberships held today; false: only those not held today (ended or not begun).",
    )
    person = django_filters.ModelChoiceFilter(
        queryset=public_persons(), to_field_name="slug", help_text="The person's slug."
    )
    role = django_filters.ChoiceFilter(field_name="post__role", choices=Post.Role.choices, help_text="The post's role.")

    class Meta:
        model = Membership
        fields = ["q", "body", "region", "association", "basis", "person", "role", "on", "current"]

    def held(self, queryset: QuerySet[Membership], data: dict) -> QuerySet[Membership]:
        if data.get("on"):
            queryset = queryset.on(data["on"])
        if data.get("current") is True:
            queryset = queryset.current()
        elif data.get("current") is False:
            queryset = queryset.exclude(held_on(timezone.localdate()))
        return queryset


class PersonFilter(django_filters.FilterSet):
    """Public persons by a name in any script, and by the body, region or association of
    their memberships: a person matches when one membership matches all of those given."""

    q = django_filters.CharFilter(
        method="filter_name",
        help_text="A name or part of one, in Kazakh Cyrillic, Russian spelling or Latin script.",
    )
    body = django_filters.ModelChoiceFilter(
        queryset=Body.objects.all(),
        to_field_name="slug",
        method="filter_by_membership",
        help_text="The slug of a body the person is or was a member of.",
    )
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(),
        to_field_name="slug",
        method="filter_by_membership",
        help_text="The slug of a region: of a body, or of an association, the person is or was a member for.",
    )
    association = django_filters.ModelChoiceFilter(
        queryset=Association.objects.all(),
        to_field_name="slug",
        method="filter_by_membership",
        help_text="The slug of an association the person represents or represented.",
    )

    class Meta:
        model = Person
        fields = ["q", "body", "region", "association"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        conditions = []
        if data.get("body"):
            conditions.append(Q(body=data["body"]))
        if data.get("region"):
            conditions.append(in_region(data["region"]))
        if data.get("association"):
            conditions.append(Q(on_behalf_of=data["association"]))
        if conditions:
            queryset = queryset.filter(Exists(Membership.objects.filter(*conditions, person=OuterRef("pk"))))
        return queryset

    def filter_name(self, queryset, name, value: str):
        return queryset.search(value)

    def filter_by_membership(self, queryset, name, value: Body | Region | Association):
        # Applied together, to one membership, in filter_queryset.
        return queryset


class AssociationFilter(django_filters.FilterSet):
    """The public directory of associations."""

    q = django_filters.CharFilter(label=_("Name"), method="filter_name")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Association.Kind.choices, empty_label=_("Any kind"))
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Association.Level.choices, empty_label=_("Any level"))
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="slug",
        empty_label=_("All regions"),
        widget=QuickSelect,
    )
    ethnic_group = django_filters.ModelChoiceFilter(
        label=_("Ethnic group"),
        queryset=EthnicGroup.objects.all(),
        to_field_name="slug",
        empty_label=_("All ethnic groups"),
        widget=QuickSelect,
    )

    class Meta:
        model = Association
        fields = ["q", "kind", "level", "region", "ethnic_group"]

    def filter_name(self, queryset, name, value):
        return queryset.filter(Q(name_kk__icontains=value) | Q(name_ru__icontains=value) | Q(name_en__icontains=value))


class EthnicGroupCountFilter(django_filters.FilterSet):
    """Which count of members the ethnic groups carry: of which body, on which date."""

    body = django_filters.ModelChoiceFilter(
        queryset=Body.objects.all(),
        to_field_name="slug",
        method="filter_count_body",
        help_text="The slug of the body whose members are counted; the national Assembly by default.",
    )
    on = IsoDateFilter(method="filter_count_date", help_text="The date of the count (YYYY-MM-DD); today by default.")

    class Meta:
        model = EthnicGroup
        fields = ["body", "on"]

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        return ethnic_group_counts(
            groups=queryset,
            body=data.get("body") or national_assembly(),
            date=data.get("on") or timezone.localdate(),
        )

    # Both choose the count in filter_queryset; the hints give the parameters' types.
    def filter_count_body(self, queryset, name, value: Body):
        return queryset

    def filter_count_date(self, queryset, name, value: datetime.date):
        return queryset
