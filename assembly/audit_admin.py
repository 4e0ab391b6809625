"""The "Audit log" page of the staff admin: every recorded change of every audited model,
newest first, for the Secretariat (``regional.roles``); read-only."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from regional import roles

from . import audit

PER_PAGE = 50
NO_USER = "none"


class AuditLogFilterForm(forms.Form):
    user = forms.ChoiceField(label=_("By"), required=False)
    model = forms.ChoiceField(label=_("Records"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.order_by("username").values_list("pk", "username")
        self.fields["user"].choices = [
            ("", _("anyone")),
            (NO_USER, _("no user (management commands)")),
            *((str(pk), username) for pk, username in users),
        ]
        self.fields["model"].choices = [
            ("", _("all")),
            *((model._meta.label_lower, capfirst(model._meta.verbose_name_plural)) for model in audit.audited_models()),
        ]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The last day cannot come before the first."))
        return cleaned

    def filters(self) -> dict:
        """The arguments of ``audit.audit_log`` that the valid form asks for."""
        data = self.cleaned_data
        user = data["user"]
        return {
            "user_id": int(user) if user and user != NO_USER else None,
            "without_user": user == NO_USER,
            "model": audit.audited_model(data["model"]) if data["model"] else None,
            "since": data["since"],
            "until": data["until"],
        }


@require_safe
def audit_log_view(request):
    """The log, filtered by who, which records and the days, ``PER_PAGE`` changes a page. The
    same few queries for any page: the filter's users, the count and the page (one UNION of
    the history tables), and the changed fields of the page's changes."""
    if not roles.is_secretariat(request.user):
        raise PermissionDenied
    form = AuditLogFilterForm(request.GET)
    page = entries = None
    if form.is_valid():
        page = Paginator(audit.audit_log(**form.filters()), PER_PAGE).get_page(request.GET.get("page"))
        entries = audit.audit_entries(page.object_list)
    context = {
        **admin.site.each_context(request),
        "title": _("Audit log"),
        "form": form,
        "page_obj": page,
        "entries": entries,
    }
    return TemplateResponse(request, "admin/audit_log.html", context)
