"""The staff admin of the register.

Every write goes through ``members.services``: the forms (``members.forms``) try the
service before they accept the data, and ``save_model`` / ``save_formset`` save through
it. Names are searched in any script with ``Person.objects.search``.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats

from assembly.admin import HistoryAdmin, TranslatedHistoryAdmin
from assembly.models import Body, Post
from regional.models import Region

from . import services
from .forms import (
    EndMembershipsForm,
    MembershipAdminForm,
    MembershipInlineForm,
    MembershipInlineFormSet,
    PersonAdminForm,
    add_service_error,
    membership_save,
)
from .models import Association, EthnicGroup, Membership, MembershipQuerySet, Person
from .resources import ImportRefused, MembershipResource, PersonResource

# Filters ---------------------------------------------------------------------------------


class MembershipListFilter(admin.SimpleListFilter):
    """A filter on memberships, for the membership changelist and the person changelist.

    On persons, all such filters of the changelist describe one and the same membership
    (see ``_persons_by_membership``): "body X" with "current" lists the current members of
    X, not everyone who was once in X and is now in anything else.
    """

    @classmethod
    def filter_memberships(cls, memberships: MembershipQuerySet, value: str) -> MembershipQuerySet:
        raise NotImplementedError

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.model_admin = model_admin

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if queryset.model is Membership:
            return self.filter_memberships(queryset, self.value())
        active = {
            spec: request.GET[spec.parameter_name]
            for spec in self.model_admin.get_list_filter(request)
            if isinstance(spec, type)
            and issubclass(spec, MembershipListFilter)
            and request.GET.get(spec.parameter_name)
        }
        if next(iter(active)) is not type(self):
            return queryset  # the first active one applies them all
        return _persons_by_membership(queryset, active)


def _persons_by_membership(persons, active: dict):
    """Persons with a membership that meets every active filter. A past member is one who
    is a member no longer: a past member of the Council was one and is not now."""
    status = active.pop(StatusFilter, None)
    memberships = Membership.objects.filter(person=OuterRef("pk"))
    for spec, value in active.items():
        memberships = spec.filter_memberships(memberships, value)
    if status is None:
        return persons.filter(Exists(memberships))
    persons = persons.filter(Exists(StatusFilter.filter_memberships(memberships, status)))
    if status == StatusFilter.PAST:
        persons = persons.exclude(Exists(memberships.current()))
    return persons


def _key(value: str) -> int:
    if not value.isascii() or not value.isdigit():
        raise IncorrectLookupParameters(value)
    return int(value)


class BodyFilter(MembershipListFilter):
    title = _("body")
    parameter_name = "body"

    def lookups(self, request, model_admin):
        return [(body.pk, body.name) for body in Body.objects.only("pk", "name_kk", "name_ru", "name_en")]

    @classmethod
    def filter_memberships(cls, memberships, value):
        return memberships.filter(body_id=_key(value))


class RegionFilter(MembershipListFilter):
    title = _("region")
    parameter_name = "region"
    NATIONAL = "national"

    def lookups(self, request, model_admin):
        return [(self.NATIONAL, _("national bodies"))] + [(region.pk, region.name) for region in Region.objects.all()]

    @classmethod
    def filter_memberships(cls, memberships, value):
        if value == cls.NATIONAL:
            return memberships.filter(body__region__isnull=True)
        return memberships.filter(body__region_id=_key(value))


class StatusFilter(MembershipListFilter):
    title = _("current or past")
    parameter_name = "status"
    CURRENT, PAST = "current", "past"

    def lookups(self, request, model_admin):
        return [(self.CURRENT, _("current member")), (self.PAST, _("past member"))]

    @classmethod
    def filter_memberships(cls, memberships, value):
        if value == cls.CURRENT:
            return memberships.current()
        if value == cls.PAST:
            return memberships.past()
        raise IncorrectLookupParameters(value)


class BasisFilter(MembershipListFilter):
    title = _("basis")
    parameter_name = "basis"

    def lookups(self, request, model_admin):
        return Membership.Basis.choices

    @classmethod
    def filter_memberships(cls, memberships, value):
        return memberships.filter(basis=value)


class AssociationFilter(MembershipListFilter):
    title = _("on behalf of")
    parameter_name = "association"

    def lookups(self, request, model_admin):
        represented = Association.objects.filter(Exists(Membership.objects.filter(on_behalf_of=OuterRef("pk"))))
        return [(association.pk, association.name) for association in represented]

    @classmethod
    def filter_memberships(cls, memberships, value):
        return memberships.filter(on_behalf_of_id=_key(value))


class PostRoleFilter(MembershipListFilter):
    title = _("post")
    parameter_name = "post"

    def lookups(self, request, model_admin):
        return Post.Role.choices

    @classmethod
    def filter_memberships(cls, memberships, value):
        return memberships.filter(post__role=value)


# Ending memberships ----------------------------------------------------------------------


def end_memberships(modeladmin, request, memberships: MembershipQuerySet):
    """The intermediate page of the actions that end memberships, and its submission.

    All the memberships end together or none does: they usually end by one act (a new
    composition, a decree), and a register where only some of them ended would no longer
    match that act. An error is reported per membership and nothing is changed.
    """
    memberships = list(memberships.with_related().order_by("person__surname", "person__given_name", "pk"))
    form = EndMembershipsForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        failures = []
        try:
            with transaction.atomic():
                act = form.act()
                for membership in memberships:
                    try:
                        services.membership_end(
                            membership=membership,
                            end_date=form.cleaned_data["end_date"],
                            reason=form.cleaned_data["reason"],
                            act=act,
                        )
                    except ValidationError as error:
                        failures.append((membership, error))
                if failures:
                    transaction.set_rollback(True)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if not failures:
                modeladmin.message_user(
                    request,
                    _("%(count)d memberships were ended.") % {"count": len(memberships)},
                    messages.SUCCESS,
                )
                return None
            for membership, error in failures:
                modeladmin.message_user(
                    request,
                    _("%(membership)s: %(errors)s") % {"membership": membership, "errors": " ".join(error.messages)},
                    messages.ERROR,
                )
            modeladmin.message_user(request, _("No membership was ended."), messages.ERROR)
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("End memberships"),
        "opts": modeladmin.opts,
        "form": form,
        "memberships": memberships,
        "action": request.POST.get("action", ""),
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across", "0"),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/members/end_memberships.html", context)


# Import and export -----------------------------------------------------------------------


class RegisterImportExportMixin(ImportExportMixin):
    """CSV and XLSX with a preview. A file with any error saves nothing: the preview shows
    the errors and offers no confirmation, and a confirmation posted all the same is rolled
    back whole."""

    formats = (base_formats.CSV, base_formats.XLSX)

    def has_import_permission(self, request):
        # An import both adds and changes rows.
        return (
            super().has_import_permission(request)
            and self.has_add_permission(request)
            and self.has_change_permission(request)
        )

    def get_import_data_kwargs(self, **kwargs):
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # Another import of the same file was running: say so, rather than "the file has errors".
            refusals = [str(error.error) for error in result.base_errors if isinstance(error.error, ImportRefused)]
            messages.error(
                request,
                " ".join(refusals) or _("Nothing was imported: the file has errors. Import it again to see them."),
            )
            app_label, model_name = self.get_model_info()
            url = reverse(f"admin:{app_label}_{model_name}_import", current_app=self.admin_site.name)
            return HttpResponseRedirect(url)
        return super().process_result(result, request)


# Model admins ----------------------------------------------------------------------------


@admin.register(EthnicGroup)
class EthnicGroupAdmin(TranslatedHistoryAdmin):
    list_display = ("name", "slug")
    search_fields = ("name_kk", "name_ru", "name_en", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets = (
        (_("Name"), {"fields": ("name",)}),
        (None, {"fields": ("slug",)}),
    )


@admin.register(Association)
class AssociationAdmin(TranslatedHistoryAdmin):
    list_display = ("name", "kind", "level", "region", "ethnic_group", "founded")
    list_filter = ("kind", "level", "region", ("ethnic_group", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("region", "ethnic_group")
    search_fields = ("name_kk", "name_ru", "name_en", "slug")
    autocomplete_fields = ("region", "ethnic_group")
    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets = (
        (_("Name"), {"fields": ("name",)}),
        (None, {"fields": ("slug", "kind", "level", "region", "ethnic_group", "founded")}),
    )


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipInlineForm
    formset = MembershipInlineFormSet
    fields = (
        "body",
        "post",
        "basis",
        "on_behalf_of",
        "start_date",
        "appointed_by",
        "end_date",
        "end_reason",
        "ended_by",
    )
    autocomplete_fields = ("body", "post", "on_behalf_of", "appointed_by", "ended_by")
    ordering = ("-start_date", "pk")
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).with_related()


def _persons_matching(term: str):
    """Persons found by a name in any script (see ``members.transliteration``) or by the start of an IIN."""
    if term.isascii() and term.isdigit():
        return Person.objects.filter(iin__startswith=term)
    return Person.objects.search(term)


@admin.register(Person)
class PersonAdmin(RegisterImportExportMixin, TranslatedHistoryAdmin):
    form = PersonAdminForm
    resource_classes = (PersonResource,)
    inlines = (MembershipInline,)
    list_display = ("full_name", "full_name_latin", "current_posts", "ethnic_group", "updated_at")
    list_filter = (
        BodyFilter,
        RegionFilter,
        StatusFilter,
        BasisFilter,
        AssociationFilter,
        ("ethnic_group", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("ethnic_group",)
    # The search itself is get_search_results(); the field names here only turn the
    # search box (and the autocomplete of other forms) on.
    search_fields = ("search_name",)
    search_help_text = _("A name in Kazakh, Russian or Latin letters, or the start of an IIN.")
    autocomplete_fields = ("ethnic_group",)
    readonly_fields = ("created_at", "updated_at")
    actions = ("end_current_memberships",)
    fieldsets = (
        (_("Name in Kazakh"), {"fields": ("surname", "given_name", "patronymic")}),
        (_("Russian spelling, where it differs"), {"fields": ("surname_ru", "given_name_ru", "patronymic_ru")}),
        (
            _("Latin spelling"),
            {
                "fields": ("surname_latin", "given_name_latin", "patronymic_latin", "slug"),
                "description": _("Left empty, these are generated from the Kazakh spelling."),
            },
        ),
        (_("Public"), {"fields": ("gender", "photo")}),
        (_("Position and workplace"), {"fields": ("position",)}),
        (_("Public biography"), {"fields": ("biography",)}),
        (
            _("Private: never published"),
            {"fields": ("iin", "birth_date", "phone", "email", "ethnic_group", "ethnicity_public")},
        ),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(pk__in=_persons_matching(search_term.strip()).values("pk")), False

    def get_queryset(self, request):
        current = Membership.objects.current().select_related("body", "post").order_by("body__sort_order", "pk")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_memberships"))
        )

    @admin.display(description=_("name"), ordering="surname")
    def full_name(self, person: Person) -> str:
        return person.full_name

    @admin.display(description=_("name (Latin)"), ordering="surname_latin")
    def full_name_latin(self, person: Person) -> str:
        return person.full_name_latin

    @admin.display(description=_("current posts"))
    def current_posts(self, person: Person) -> str:
        return format_html_join(
            ", ", "{} ({})", ((m.body.name, m.post.label) for m in getattr(person, "current_memberships", ()))
        )

    def save_model(self, request, obj, form, change):
        services.person_save(person=obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        memberships = formset.save(commit=False)
        for membership in formset.deleted_objects:
            membership.delete()
        for membership in memberships:
            membership_save(membership)

    def has_change_membership_permission(self, request):
        return request.user.has_perm("members.change_membership")

    @admin.action(
        description=_("End the current memberships of the selected persons"), permissions=["change_membership"]
    )
    def end_current_memberships(self, request, queryset):
        memberships = Membership.objects.filter(person__in=queryset, end_date__isnull=True)
        if not memberships.exists():
            self.message_user(request, _("The selected persons have no open membership."), messages.WARNING)
            return None
        return end_memberships(self, request, memberships)


@admin.register(Membership)
class MembershipAdmin(RegisterImportExportMixin, HistoryAdmin):
    form = MembershipAdminForm
    resource_classes = (MembershipResource,)
    list_display = (
        "person",
        "body",
        "post_label",
        "basis",
        "on_behalf_of",
        "start_date",
        "end_date",
        "end_reason",
        "appointed_by",
    )
    list_filter = (BodyFilter, RegionFilter, StatusFilter, BasisFilter, AssociationFilter, PostRoleFilter)
    # post__body: the action checkbox is labelled with str(membership), which names the post's body.
    list_select_related = ("person", "body", "post__body", "on_behalf_of", "appointed_by", "ended_by")
    # The search itself is get_search_results(): by the person's name in any script.
    search_fields = ("person__search_name",)
    search_help_text = _("The member's name in Kazakh, Russian or Latin letters, or the start of an IIN.")
    autocomplete_fields = ("person", "body", "post", "on_behalf_of", "appointed_by", "ended_by")
    actions = ("end_selected_memberships",)
    fieldsets = (
        (None, {"fields": ("person", "body", "post", "basis", "on_behalf_of")}),
        (_("Term"), {"fields": ("start_date", "appointed_by", "end_date", "end_reason", "ended_by")}),
        (None, {"fields": ("note",)}),
    )

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(person__in=_persons_matching(search_term.strip()).values("pk")), False

    @admin.display(description=_("post"), ordering="post__sort_order")
    def post_label(self, membership: Membership) -> str:
        return membership.post.label

    def save_model(self, request, obj, form, change):
        membership_save(obj)

    @admin.action(description=_("End the selected memberships"), permissions=["change"])
    def end_selected_memberships(self, request, queryset):
        return end_memberships(self, request, queryset)
