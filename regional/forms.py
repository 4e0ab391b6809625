"""Forms of the regional office portal. They only collect and shape what the user typed;
every rule is kept by ``regional.services``, whose refusals the views put back on the
fields (``add_service_errors``)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assembly.models import Body
from members.models import Association
from sessions.models import Meeting

from .models import Nomination, NominationDocument, Region
from .services import Transition

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The order the candidate's form shows its fields in.
CANDIDATE_FIELDS = [
    "surname", "given_name", "patronymic", "surname_ru", "given_name_ru", "patronymic_ru", "surname_latin",
    "given_name_latin", "patronymic_latin", "iin", "birth_date", "gender", "phone", "email", "position_kk",
    "position_ru", "position_en", "biography_kk", "biography_ru", "biography_en", "ethnic_group",
    "ethnicity_public", "basis", "nominating_association", "decision_number", "decision_date",
]  # fmt: skip


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal on the form: each message on its field when the form has
    it, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class NominationFilterForm(forms.Form):
    """``?status=&track=&region=`` on the list; the region only for the Secretariat."""

    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("any"))] + Nomination.Status.choices)
    track = forms.ChoiceField(label=_("Track"), required=False, choices=[("", _("any"))] + Nomination.Track.choices)
    region = forms.ModelChoiceField(
        label=_("Region"), required=False, queryset=Region.objects.all(), empty_label=_("any")
    )

    def __init__(self, *args, with_region: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_region:
            del self.fields["region"]

    def filter(self, nominations):
        if not self.is_valid():
            return nominations
        data = self.cleaned_data
        if data["status"]:
            nominations = nominations.filter(status=data["status"])
        if data["track"]:
            nominations = nominations.filter(track=data["track"])
        if data.get("region"):
            nominations = nominations.filter(region=data["region"])
        return nominations


_DECISION_FIELDS = ("track", "basis", "nominating_association", "decision_number", "decision_date", "decision_file")


class NominationForm(forms.ModelForm):
    """The candidate and the nominating decision; on a new nomination also its track and,
    optionally, the nominating decision's file."""

    track = forms.ChoiceField(label=_("Track"), choices=Nomination.Track.choices)
    decision_file = forms.FileField(
        label=_("Nominating decision (PDF, JPEG or PNG)"),
        required=False,
        help_text=_("Required before the nomination is submitted."),
    )

    class Meta:
        model = Nomination
        fields = CANDIDATE_FIELDS
        widgets = {"birth_date": _DATE, "decision_date": _DATE}

    def __init__(self, *args, region_id: int, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["track"]
            del self.fields["decision_file"]
        self.fields["nominating_association"].queryset = Association.objects.filter(
            Q(region__isnull=True) | Q(region_id=region_id)
        ).order_by("name")

    def candidate_fields(self) -> list:
        return [self[name] for name in self.fields if name not in _DECISION_FIELDS]

    def decision_fields(self) -> list:
        return [self[name] for name in self.fields if name in _DECISION_FIELDS]

    def _post_clean(self):
        # The services validate the whole nomination (and its duplicates) once, with the
        # region and track the form does not carry; the form only converts the fields.
        pass


class VersionForm(forms.Form):
    """The version of the nomination the page showed: a change made from an older one is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=NominationDocument.Kind.choices)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG)"))


class TransitionForm(VersionForm):
    """The inputs one step of the procedure takes (see ``regional.services.Transition``)."""

    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    council_meeting = forms.ModelChoiceField(label=_("Council meeting"), queryset=Meeting.objects.none())
    session_meeting = forms.ModelChoiceField(label=_("Regional session"), queryset=Meeting.objects.none())
    decree_number = forms.CharField(label=_("Number of the act of the decision"), max_length=60)
    decree_date = forms.DateField(label=_("Date of the act of the decision"), widget=_DATE)
    start_date = forms.DateField(
        label=_("Membership begins on"),
        required=False,
        widget=_DATE,
        help_text=_("The date of the act when left empty."),
    )
    document = forms.FileField(label=_("Document (PDF, JPEG or PNG)"), required=False)

    def __init__(self, *args, nomination: Nomination, transition: Transition, **kwargs):
        kwargs.setdefault("prefix", transition.action)
        kwargs.setdefault("initial", {"version": nomination.version})
        super().__init__(*args, **kwargs)
        self.transition = transition
        self.fields["comment"].required = bool(transition.comment)
        if transition.comment:
            self.fields["comment"].help_text = transition.comment
        held = Meeting.objects.filter(status=Meeting.Status.HELD).select_related("body").order_by("-start_date")
        if transition.council_meeting:
            council = Body.objects.filter(kind=Body.Kind.COUNCIL, parent_id=nomination.target_body_id)
            self.fields["council_meeting"].queryset = held.filter(body__in=council)
        else:
            del self.fields["council_meeting"]
        if transition.session_meeting:
            self.fields["session_meeting"].queryset = held.filter(body_id=nomination.target_body_id)
        else:
            del self.fields["session_meeting"]
        if transition.decree:
            required = transition.decree == "required"
            self.fields["decree_number"].required = self.fields["decree_date"].required = required
        else:
            del self.fields["decree_number"], self.fields["decree_date"]
        if not transition.appoints:
            del self.fields["start_date"]
        if transition.decision_document:
            self.fields["document"].label = _("Nominating decision (PDF, JPEG or PNG)")
            self.fields["document"].help_text = _("Needed unless the nomination already has it.")

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version")
        document = data.pop("document", None)
        if document is not None:
            kind = (
                NominationDocument.Kind.DECISION if self.transition.decision_document else NominationDocument.Kind.OTHER
            )
            data["documents"] = [(kind, document)]
        if "decree_number" in data:
            data["decree_number"] = data["decree_number"] or ""
        return {key: value for key, value in data.items() if value is not None}
