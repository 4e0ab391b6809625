from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from assembly.admin import HistoryAdmin, TranslatedHistoryAdmin

from . import roles
from .models import Nomination, NominationDocument, NominationEvent, Region, RegionalOfficeUser


@admin.register(Region)
class RegionAdmin(TranslatedHistoryAdmin):
    """The regions are reference data loaded by a migration: staff read them, those allowed
    may correct a name or a date, and nobody adds or deletes one here."""

    list_display = ("kato", "name", "kind", "centre", "valid_from", "valid_until")
    list_filter = ("kind",)
    search_fields = ("name_kk", "name_ru", "name_en", "kato", "slug")
    readonly_fields = ("kato", "slug")
    # Translated fields in groups of their own: one row per language.
    fieldsets = (
        (None, {"fields": ("kato", "slug", "kind")}),
        (_("Name"), {"fields": ("name",)}),
        (_("Administrative centre"), {"fields": ("centre",)}),
        (_("Validity"), {"fields": ("valid_from", "valid_until")}),
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _SecretariatReadOnly:
    """Read-only for the Secretariat (editors and viewers): nominations change only through
    the procedure (``regional.services``), never by editing a row here."""

    def has_view_permission(self, request, obj=None):
        # Every admin page asks every registered admin: a superuser costs no query.
        return request.user.is_superuser or roles.is_secretariat(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NominationEventInline(_SecretariatReadOnly, admin.TabularInline):
    model = NominationEvent
    fields = ("at", "action", "from_status", "to_status", "actor", "comment")
    readonly_fields = fields
    extra = 0


class NominationDocumentInline(_SecretariatReadOnly, admin.TabularInline):
    """The files are private: listed here, downloaded only through the portal's checked view."""

    model = NominationDocument
    fields = ("kind", "original_name", "content_type", "size_display", "event", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("size"))
    def size_display(self, document: NominationDocument) -> str:
        return filesizeformat(document.size)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event", "uploaded_by")


@admin.register(Nomination)
class NominationAdmin(_SecretariatReadOnly, HistoryAdmin):
    """Every region's nominations, their steps and documents, and the history of each row."""

    list_display = ("__str__", "region", "track", "status", "status_changed_at", "submitted_at")
    list_filter = ("region", "status", "track")
    list_select_related = ("region",)
    search_fields = ("surname", "given_name", "patronymic", "surname_latin", "decision_number", "=iin")
    date_hierarchy = "submitted_at"
    inlines = (NominationEventInline, NominationDocumentInline)
    fieldsets = (
        (None, {"fields": ("region", "track", "target_body", "status", "version")}),
        (
            _("Candidate"),
            {
                "fields": (
                    ("surname", "given_name", "patronymic"),
                    ("surname_ru", "given_name_ru", "patronymic_ru"),
                    ("surname_latin", "given_name_latin", "patronymic_latin"),
                    ("gender", "birth_date", "iin"),
                    ("phone", "email"),
                    ("position_kk", "position_ru", "position_en"),
                    ("biography_kk", "biography_ru", "biography_en"),
                    ("ethnic_group", "ethnicity_public"),
                    "person",
                )
            },
        ),
        (_("Nominating decision"), {"fields": ("basis", "nominating_association", "decision_number", "decision_date")}),
        (_("Decision"), {"fields": ("council_meeting", "session_meeting", "decree", "membership")}),
        (_("Dates"), {"fields": ("created_by", "created_at", "submitted_at", "status_changed_at", "updated_at")}),
    )

    def has_module_permission(self, request):
        return self.has_view_permission(request)


@admin.register(RegionalOfficeUser)
class RegionalOfficeUserAdmin(admin.ModelAdmin):
    """Which region each regional office user belongs to."""

    list_display = ("user", "region")
    list_filter = ("region",)
    list_select_related = ("user", "region")
    search_fields = ("user__username", "user__first_name", "user__last_name", "user__email")
    autocomplete_fields = ("user",)
    fields = ("user", "region")

    def get_readonly_fields(self, request, obj=None):
        # Moving a profile to another user would silently take the region from the first.
        return ("user",) if obj is not None else ()
