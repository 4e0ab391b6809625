"""The staff admin of the structure (legal acts, bodies and their posts, a body's
composition on a date), and the base of every admin of a translated model with history."""

import dataclasses

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from members.forms import CompositionDateForm
from members.selectors import body_composition

from .models import Body, LegalAct, Post

admin.site.site_header = _("Assembly of the People of Kazakhstan: staff admin")
admin.site.site_title = _("APK staff admin")
admin.site.index_title = _("The register and the meetings")


class _PerLanguageHistory(HistoricalRecordContextHelper):
    def __init__(self, model, historical_record, *, left_out: set[str]):
        super().__init__(model, historical_record)
        self.left_out = left_out

    def context_for_delta_changes(self, delta):
        changes = [change for change in delta.changes if change.field not in self.left_out]
        return super().context_for_delta_changes(dataclasses.replace(delta, changes=changes))


class HistoryAdmin(SimpleHistoryAdmin):
    """The admin of a model with a history (every admin of one derives from this).

    A past version's page is the form that reverts the object to it, which is a change:
    only for whoever may change the object. django-simple-history itself asks only for the
    view permission there, and would let a viewer revert.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not self.has_change_permission(request, self.get_object(request, unquote(object_id))):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class TranslatedHistoryAdmin(HistoryAdmin, TranslationAdmin):
    """The admin of a model with translated fields (see the apps' ``translation.py``) and a history.

    The history shows a translated field once per language (``name_kk``, ``name_ru``,
    ``name_en``). The untranslated column beside them only mirrors the language of whoever
    saved last, so its changes are noise and are left out.
    """

    def get_historical_record_context_helper(self, request, historical_record):
        return _PerLanguageHistory(self.model, historical_record, left_out=set(self.trans_opts.all_fields))


@admin.register(LegalAct)
class LegalActAdmin(HistoryAdmin):
    list_display = ("__str__", "kind", "number", "date", "issuer", "title")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("number", "title", "issuer")
    fields = ("kind", "number", "date", "issuer", "title")


class PostInline(TranslationTabularInline):
    model = Post
    fields = ("role", "label", "seats", "sort_order")
    extra = 0


@admin.register(Body)
class BodyAdmin(TranslatedHistoryAdmin):
    list_display = ("name", "kind", "region", "parent", "founded", "dissolved", "composition_link")
    list_filter = ("kind", "region")
    list_select_related = ("region", "parent")
    search_fields = ("name_kk", "name_ru", "name_en", "slug")
    autocomplete_fields = ("parent", "region", "successor")
    inlines = (PostInline,)
    fieldsets = (
        (None, {"fields": ("slug", "kind")}),
        (_("Name"), {"fields": ("name",)}),
        (_("Place in the structure"), {"fields": ("parent", "region", "successor", "sort_order")}),
        (_("Dates"), {"fields": ("founded", "dissolved")}),
    )

    @admin.display(description=_("composition"))
    def composition_link(self, body: Body) -> str:
        url = reverse("admin:assembly_body_composition", args=[body.pk], current_app=self.admin_site.name)
        return format_html('<a href="{}">{}</a>', url, _("composition"))

    def get_urls(self):
        composition = path(
            "<path:object_id>/composition/",
            self.admin_site.admin_view(self.composition_view),
            name="assembly_body_composition",
        )
        return [composition, *super().get_urls()]

    def composition_view(self, request, object_id):
        """The members of a body on a date (``?on=YYYY-MM-DD``, today by default), by post."""
        body = self.get_object(request, unquote(object_id))
        if body is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, body):
            raise PermissionDenied
        form = CompositionDateForm(request.GET)
        date = form.date()
        posts = None
        if date is None:
            messages.error(request, _("The date is not valid: give it as YYYY-MM-DD."))
        else:
            posts = {}
            for membership in body_composition(body=body, date=date):
                posts.setdefault(membership.post, []).append(membership)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Composition of %(body)s") % {"body": body},
            "opts": self.opts,
            "original": body,
            "form": form,
            "date": date,
            "body_existed": date is not None and body.is_active_on(date),
            "posts": posts,
            "can_view_persons": request.user.has_perm("members.view_person"),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/assembly/body/composition.html", context)


@admin.register(Post)
class PostAdmin(TranslatedHistoryAdmin):
    list_display = ("label", "body", "role", "seats", "sort_order")
    list_filter = ("role", "body__kind")
    list_select_related = ("body",)
    search_fields = (
        "label_kk",
        "label_ru",
        "label_en",
        "body__name_kk",
        "body__name_ru",
        "body__name_en",
        "body__slug",
    )
    autocomplete_fields = ("body",)
    fieldsets = (
        (None, {"fields": ("body", "role", "seats", "sort_order")}),
        (_("Label"), {"fields": ("label",)}),
    )

    def get_queryset(self, request):
        # A post's name includes its body's (the autocomplete lists them by it).
        return super().get_queryset(request).select_related("body")


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class AccountAdmin(UserAdmin):
    """Staff and regional office accounts. An account is deactivated (``is_active`` off),
    never deleted: the audit trail names who made each change, and its rows never change
    (``assembly.migrations.0005``), so the name they point to must stay."""

    def has_delete_permission(self, request, obj=None):
        return False
