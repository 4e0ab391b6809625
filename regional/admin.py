from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from assembly.admin import TranslatedHistoryAdmin

from .models import Region


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
