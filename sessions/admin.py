"""The staff admin of sessions and meetings.

Every write with a rule goes through ``sessions.services``: the forms
(``sessions.forms``) try the service before they accept the data, and the admins save
through it. Besides its change page, each meeting has a page for its attendance and one
for its votes, and its attendance sheet as CSV and PDF (``sessions.exports``).
"""

from collections import Counter

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from assembly.admin import HistoryAdmin
from members.forms import add_service_error, trial_copy
from regional.models import Region

from . import exports, selectors, services
from .forms import (
    AgendaItemInlineFormSet,
    AttendanceForm,
    CandidateInlineFormSet,
    DecisionAdminForm,
    DecisionInlineFormSet,
    DecisionVotesForm,
    DocumentAdminForm,
    ElectionAdminForm,
    ElectionVotesForm,
    MeetingAdminForm,
)
from .models import AgendaItem, Attendance, Candidate, Decision, Document, Election, Meeting, MeetingRules

# Filters ---------------------------------------------------------------------------------


def _key(value: str) -> int:
    if not value.isascii() or not value.isdigit():
        raise IncorrectLookupParameters(value)
    return int(value)


class RegionFilter(admin.SimpleListFilter):
    """National bodies, all regional ones, or those of one region."""

    title = _("region")
    parameter_name = "region"
    NATIONAL = "national"
    REGIONAL = "regional"

    def lookups(self, request, model_admin):
        return [
            (self.NATIONAL, _("national bodies")),
            (self.REGIONAL, _("all regional bodies")),
            *((region.pk, region.name) for region in Region.objects.all()),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value == self.NATIONAL:
            return queryset.filter(body__region__isnull=True)
        if value == self.REGIONAL:
            return queryset.filter(body__region__isnull=False)
        return queryset.filter(body__region_id=_key(value))


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        return [(day.year, str(day.year)) for day in Meeting.objects.dates("start_date", "year", order="DESC")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(start_date__year=_key(self.value()))


# Agenda items of one meeting ---------------------------------------------------------------


def _limit_agenda_choices(form_class, field_name: str, meeting_id: int | None) -> None:
    """Offer only the agenda items of the meeting (none before the meeting is chosen)."""
    field = form_class.base_fields.get(field_name)
    if field is None:
        return
    field.queryset = AgendaItem.objects.filter(meeting_id=meeting_id) if meeting_id else AgendaItem.objects.none()
    if not meeting_id:
        field.help_text = _("The items of the meeting's agenda can be chosen once the meeting is saved.")


def _meeting_id(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() else None


class MeetingPartAdmin(admin.ModelAdmin):
    """The admin of a decision, document or election of a meeting. Its agenda item is one
    of that meeting's; on the add page the meeting may be given as ``?meeting=<id>``."""

    autocomplete_fields = ("meeting",)
    list_select_related = ("meeting__body",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            meeting_id = obj.meeting_id
        else:
            meeting_id = _meeting_id(request.POST.get("meeting") or request.GET.get("meeting"))
        _limit_agenda_choices(form, "agenda_item", meeting_id)
        return form


# Inlines of a meeting --------------------------------------------------------------------


class AgendaItemInline(TranslationTabularInline):
    model = AgendaItem
    formset = AgendaItemInlineFormSet
    fields = ("outline", "order", "parent", "kind", "title")
    readonly_fields = ("outline",)
    extra = 1

    @admin.display(description=_("No."))
    def outline(self, item: AgendaItem) -> str:
        return getattr(item, "outline", "")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        _limit_agenda_choices(formset.form, "parent", obj.pk if obj else None)
        return formset


class DocumentInline(admin.TabularInline):
    model = Document
    form = DocumentAdminForm
    fields = ("title", "kind", "language", "file", "is_public", "agenda_item")
    extra = 1

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        _limit_agenda_choices(formset.form, "agenda_item", obj.pk if obj else None)
        return formset


class DecisionInline(TranslationStackedInline):
    """Decisions of the meeting; each one changed is recorded through
    ``services.decision_record`` (see ``MeetingAdmin.save_formset``)."""

    model = Decision
    form = DecisionAdminForm
    formset = DecisionInlineFormSet
    fields = (
        "number",
        "agenda_item",
        "text",
        "required_majority",
        "votes_for",
        "votes_against",
        "votes_abstained",
        "result_display",
    )
    readonly_fields = ("result_display",)
    extra = 0

    @admin.display(description=_("result"))
    def result_display(self, decision: Decision) -> str:
        if not decision.result:
            return "—"
        return gettext("%(result)s: %(for)s for, %(needed)s needed (%(present)s of %(entitled)s members present)") % {
            "result": decision.get_result_display(),
            "for": decision.votes_for,
            "needed": decision.votes_needed,
            "present": decision.members_present,
            "entitled": decision.members_entitled,
        }

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        _limit_agenda_choices(formset.form, "agenda_item", obj.pk if obj else None)
        majority = formset.form.base_fields.get("required_majority")
        if obj is not None and majority is not None:
            majority.initial = services.meeting_rules(obj.body).default_majority
        return formset


class ElectionInline(admin.TabularInline):
    """The meeting's elections, each kept on its own page (candidates and results)."""

    model = Election
    fields = ("election_link", "kind", "seats", "seats_filled", "tie", "result_note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("election"))
    def election_link(self, election: Election) -> str:
        url = reverse("admin:assembly_sessions_election_change", args=[election.pk], current_app=self.admin_site.name)
        return format_html('<a href="{}">{}</a>', url, election)


# Meetings --------------------------------------------------------------------------------


@admin.register(Meeting)
class MeetingAdmin(HistoryAdmin, TranslationAdmin):
    form = MeetingAdminForm
    change_form_template = "admin/assembly_sessions/meeting/change_form.html"
    list_display = ("title_display", "number_display", "body", "start_date", "end_date", "kind", "status")
    list_filter = ("body__kind", RegionFilter, YearFilter, "kind", "status")
    search_fields = ("theme_kk", "theme_ru", "theme_en", "body__name_kk", "body__name_ru", "body__name_en")
    search_help_text = _("A word of the theme or of the body's name.")
    date_hierarchy = "start_date"
    autocomplete_fields = ("body", "convened_by")
    inlines = (AgendaItemInline, DocumentInline, DecisionInline, ElectionInline)
    fieldsets = (
        (None, {"fields": ("body", "number", "kind", "status", "convened_by")}),
        (_("Dates"), {"fields": ("start_date", "end_date")}),
        (_("Venue"), {"fields": ("venue",)}),
        (_("Theme"), {"fields": ("theme",)}),
        (None, {"fields": ("note",)}),
    )

    def get_queryset(self, request):
        # A meeting's title names its body (the changelist and the autocomplete show it).
        return super().get_queryset(request).select_related("body")

    def get_inlines(self, request, obj):
        if obj is None:
            # Decisions need the meeting's attendance, elections their own page.
            return (AgendaItemInline, DocumentInline)
        return self.inlines

    @admin.display(description=_("title"), ordering="start_date")
    def title_display(self, meeting: Meeting) -> str:
        return meeting.title

    @admin.display(description=_("number"), ordering="number")
    def number_display(self, meeting: Meeting) -> str:
        return meeting.number_display

    def save_formset(self, request, form, formset, change):
        if formset.model is not Decision:
            return super().save_formset(request, form, formset, change)
        decisions = formset.save(commit=False)
        for decision in formset.deleted_objects:
            decision.delete()
        for decision in decisions:
            services.decision_record(decision=decision)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        election_admin = self.admin_site.get_model_admin(Election)
        extra_context = {**(extra_context or {}), "can_add_election": election_admin.has_add_permission(request)}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        views = [
            ("attendance/", self.attendance_view, "%s_%s_attendance"),
            ("votes/", self.votes_view, "%s_%s_votes"),
            ("attendance.csv", self.attendance_csv_view, "%s_%s_attendance_csv"),
            ("attendance.pdf", self.attendance_pdf_view, "%s_%s_attendance_pdf"),
        ]
        urls = [
            path(f"<path:object_id>/{suffix}", self.admin_site.admin_view(view), name=name % info)
            for suffix, view, name in views
        ]
        return [*urls, *super().get_urls()]

    def _meeting(self, request, object_id) -> Meeting | None:
        """The meeting of a page of its own; PermissionDenied without the right to view it."""
        meeting = self.get_object(request, unquote(object_id))
        if meeting is not None and not self.has_view_or_change_permission(request, meeting):
            raise PermissionDenied
        return meeting

    def _render(self, request, template: str, meeting: Meeting, title: str, context: dict) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": meeting.title,
            "opts": self.opts,
            "original": meeting,
            "meeting": meeting,
            "dates": exports.meeting_dates(meeting),
            **context,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, template, context)

    def attendance_view(self, request, object_id):
        """Every member entitled on the meeting's date with a status to choose. "All
        present" keeps the statuses given and marks everyone else present; then the
        exceptions are changed and saved."""
        meeting = self._meeting(request, object_id)
        if meeting is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        can_edit = request.user.has_perms(["assembly_sessions.add_attendance", "assembly_sessions.change_attendance"])
        if request.method == "POST" and not can_edit:
            raise PermissionDenied
        sheet = selectors.attendance_sheet(meeting)
        form = AttendanceForm(request.POST if request.method == "POST" else None, sheet=sheet)
        if form.is_bound and form.is_valid():
            all_present = "_all_present" in request.POST
            try:
                with transaction.atomic():
                    services.attendance_set(meeting=meeting, statuses=form.statuses())
                    added = services.attendance_mark_all_present(meeting=meeting) if all_present else 0
            except ValidationError as error:
                add_service_error(form, error)
            else:
                if all_present:
                    message = ngettext(
                        "%(count)d more member was marked present.",
                        "%(count)d more members were marked present.",
                        added,
                    ) % {"count": added}
                else:
                    message = gettext("The attendance was saved.")
                self.message_user(request, message, messages.SUCCESS)
                return HttpResponseRedirect(request.get_full_path())
        if form.errors:
            self.message_user(request, gettext("Nothing was saved: correct the errors below."), messages.ERROR)
        counts = Counter(status for _membership, status in sheet)
        context = {
            "form": form,
            "rows": form.rows(),
            "statuses": Attendance.Status.choices,
            "status_counts": [(label, counts[value]) for value, label in Attendance.Status.choices],
            "not_recorded": counts[""],
            "quorum": services.meeting_quorum(meeting),
            "can_edit": can_edit,
        }
        return self._render(
            request, "admin/assembly_sessions/meeting/attendance.html", meeting, gettext("Attendance"), context
        )

    def votes_view(self, request, object_id):
        """The votes on every decision and in every election of the meeting, on one page.
        Only the blocks that changed are recorded, all of them or, when one is refused,
        none."""
        meeting = self._meeting(request, object_id)
        if meeting is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        can_edit = request.user.has_perms(
            [
                "assembly_sessions.change_decision",
                "assembly_sessions.change_election",
                "assembly_sessions.change_candidate",
            ]
        )
        if request.method == "POST" and not can_edit:
            raise PermissionDenied
        data = request.POST if request.method == "POST" else None
        candidates = Candidate.objects.select_related("person", "nominated_by_body").order_by("pk")
        decisions = list(meeting.decisions.order_by("pk"))
        elections = list(meeting.elections.prefetch_related(Prefetch("candidates", queryset=candidates)).order_by("pk"))
        # The forms fill in copies: the page goes on showing what is recorded.
        editable_elections = meeting.elections.prefetch_related(Prefetch("candidates", queryset=candidates))
        editable = {election.pk: election for election in editable_elections}
        decision_forms = [
            DecisionVotesForm(data, instance=trial_copy(decision), prefix=f"decision-{decision.pk}")
            for decision in decisions
        ]
        election_forms = [
            ElectionVotesForm(data, instance=editable[election.pk], prefix=f"election-{election.pk}")
            for election in elections
        ]
        forms = [*decision_forms, *election_forms]
        if not can_edit:
            for form in forms:
                for field in form.fields.values():
                    field.disabled = True
        if data is not None:
            valid = [form.is_valid() for form in forms]  # every form, so that each shows its errors
            if all(valid):
                changed = [form for form in forms if form.has_changed()]
                if self._record_votes(changed):
                    message = gettext("The votes were recorded.") if changed else gettext("Nothing was changed.")
                    self.message_user(request, message, messages.SUCCESS)
                    return HttpResponseRedirect(request.get_full_path())
            self.message_user(request, gettext("Nothing was saved: correct the errors below."), messages.ERROR)
        context = {
            "decisions": list(zip(decisions, decision_forms, strict=True)),
            "elections": list(zip(elections, election_forms, strict=True)),
            "quorum": services.meeting_quorum(meeting),
            "can_edit": can_edit,
        }
        return self._render(request, "admin/assembly_sessions/meeting/votes.html", meeting, gettext("Votes"), context)

    @staticmethod
    def _record_votes(forms: list) -> bool:
        """Record each form through its service, in one transaction that is rolled back
        whole if any of them is refused (each refusal is shown on its form)."""
        with transaction.atomic():
            refused = False
            for form in forms:
                try:
                    form.save()
                except ValidationError as error:
                    add_service_error(form, error)
                    refused = True
            if refused:
                transaction.set_rollback(True)
        return not refused

    def _download(self, request, object_id, content_type: str, extension: str, build) -> HttpResponse:
        meeting = self._meeting(request, object_id)
        if meeting is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        filename = exports.attendance_filename(meeting, extension)
        return HttpResponse(
            build(meeting),
            content_type=content_type,
            headers={"Content-Disposition": content_disposition_header(True, filename)},
        )

    def attendance_csv_view(self, request, object_id):
        return self._download(request, object_id, "text/csv; charset=utf-8", "csv", exports.attendance_csv)

    def attendance_pdf_view(self, request, object_id):
        return self._download(request, object_id, "application/pdf", "pdf", exports.attendance_pdf)


@admin.register(MeetingRules)
class MeetingRulesAdmin(HistoryAdmin):
    """How a body counts its quorum and its decisions. A body without rules counts a
    quorum of more than half of its members and decides by a simple majority."""

    list_display = ("body", "quorum", "default_majority")
    list_filter = ("body__kind",)
    list_select_related = ("body",)
    search_fields = ("body__name_kk", "body__name_ru", "body__name_en")
    autocomplete_fields = ("body",)
    fieldsets = (
        (None, {"fields": ("body",)}),
        (_("Quorum"), {"fields": ("quorum_comparison", "quorum_numerator", "quorum_denominator")}),
        (_("Decisions"), {"fields": ("default_majority",)}),
    )

    @admin.display(description=_("quorum"))
    def quorum(self, rules: MeetingRules) -> str:
        return gettext("%(comparison)s %(numerator)s/%(denominator)s of all members") % {
            "comparison": rules.get_quorum_comparison_display(),
            "numerator": rules.quorum_numerator,
            "denominator": rules.quorum_denominator,
        }


# Decisions, documents, elections ---------------------------------------------------------


@admin.register(Decision)
class DecisionAdmin(MeetingPartAdmin, HistoryAdmin, TranslationAdmin):
    form = DecisionAdminForm
    list_display = (
        "short_text",
        "meeting",
        "number",
        "required_majority",
        "votes_for",
        "votes_against",
        "votes_abstained",
        "result",
    )
    list_filter = ("result", "required_majority", "meeting__body__kind")
    search_fields = ("text_kk", "text_ru", "text_en", "number")
    readonly_fields = ("members_entitled", "members_present", "votes_needed", "result")
    fieldsets = (
        (None, {"fields": ("meeting", "agenda_item", "number")}),
        (_("Text"), {"fields": ("text",)}),
        (_("Votes"), {"fields": ("required_majority", "votes_for", "votes_against", "votes_abstained")}),
        (
            _("Result"),
            {
                "fields": ("members_entitled", "members_present", "votes_needed", "result"),
                "description": _("Computed when the decision is saved, from the meeting's attendance."),
            },
        ),
    )

    @admin.display(description=_("text"))
    def short_text(self, decision: Decision) -> str:
        return str(decision)

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return
        services.decision_record(decision=obj)


@admin.register(Document)
class DocumentAdmin(MeetingPartAdmin, HistoryAdmin):
    form = DocumentAdminForm
    list_display = ("title", "meeting", "kind", "language", "is_public")
    list_filter = ("kind", "language", "is_public", "meeting__body__kind")
    search_fields = ("title",)
    fields = ("meeting", "agenda_item", "title", "kind", "language", "file", "is_public")


class CandidateInline(admin.TabularInline):
    model = Candidate
    formset = CandidateInlineFormSet
    fields = ("person", "nominated_by_body", "nominating_act", "votes", "elected")
    readonly_fields = ("elected",)
    autocomplete_fields = ("person", "nominated_by_body", "nominating_act")
    extra = 1


@admin.register(Election)
class ElectionAdmin(MeetingPartAdmin, HistoryAdmin, TranslationAdmin):
    """An election with its candidates. Saving it computes who is elected
    (``services.election_compute``); the votes of a whole meeting are best entered on
    the meeting's vote page."""

    form = ElectionAdminForm
    inlines = (CandidateInline,)
    list_display = ("title", "meeting", "kind", "seats", "seats_filled", "tie")
    list_filter = ("kind", "tie", "meeting__body__kind")
    search_fields = ("title_kk", "title_ru", "title_en")
    readonly_fields = ("seats_filled", "tie", "result_note")
    fieldsets = (
        (None, {"fields": ("meeting", "agenda_item", "kind", "seats", "rule", "secret_ballot")}),
        (_("Title"), {"fields": ("title",)}),
        (_("Ballots"), {"fields": ("ballots_issued", "ballots_cast", "ballots_invalid")}),
        (_("Result"), {"fields": ("seats_filled", "tie", "result_note")}),
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.election_compute(election=form.instance)
