"""Forms of the sessions admin.

Writes go through ``sessions.services``. As in ``members.forms``, a form that saves
through a service first tries that service on a copy, in a savepoint that is always
rolled back, so that a refusal (no quorum, too many votes, a candidate the Council did
not nominate) shows on the form and nothing is saved.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members.forms import add_service_error, rolled_back, trial_copy

from . import selectors, services
from .models import AgendaItem, Attendance, Candidate, Decision, Document, Election, Meeting


def agenda_in_outline_order(items: list[AgendaItem]) -> list[AgendaItem]:
    """The items of one agenda in reading order, each sub-item after its parent, each
    with ``outline`` set to its number in the outline ("2", "2.1", ...)."""
    children = selectors.agenda_children(items)
    ordered: list[AgendaItem] = []

    def visit(parent_id: int | None, prefix: str) -> None:
        for position, item in enumerate(children.get(parent_id, []), start=1):
            item.outline = f"{prefix}{position}"
            ordered.append(item)
            visit(item.pk, f"{item.outline}.")

    visit(None, "")
    return ordered


class MeetingAdminForm(forms.ModelForm):
    """A meeting. Its body and first day decide who is entitled to attend, so they may
    change only while every member whose attendance is recorded stays entitled."""

    class Meta:
        model = Meeting
        fields = ("body", "number", "kind", "status", "convened_by", "start_date", "end_date", "venue", "theme", "note")

    def clean(self):
        cleaned_data = super().clean()
        meeting = self.instance
        body, start_date = cleaned_data.get("body"), cleaned_data.get("start_date")
        if meeting.pk is None or body is None or start_date is None:
            return cleaned_data
        if not {"body", "start_date"} & set(self.changed_data):
            return cleaned_data
        entitled = selectors.entitled_memberships(Meeting(body=body, start_date=start_date))
        stale = meeting.attendance.exclude(membership__in=entitled).select_related("membership__person")
        names = [str(row.membership.person) for row in stale]
        if names:
            raise ValidationError(
                _(
                    "Attendance is recorded for members who would not be entitled to attend on that date or in "
                    "that body: %(names)s."
                ),
                params={"names": ", ".join(names)},
            )
        return cleaned_data


class MeetingPartForm(forms.ModelForm):
    """A decision, document or election of a meeting: its agenda item must be on that
    meeting's agenda."""

    def clean(self):
        cleaned_data = super().clean()
        meeting, item = cleaned_data.get("meeting"), cleaned_data.get("agenda_item")
        if meeting is not None and item is not None and item.meeting_id != meeting.pk:
            self.add_error("agenda_item", _("This item is on the agenda of another meeting."))
        return cleaned_data


class DecisionAdminForm(MeetingPartForm):
    """A decision. Valid only if ``services.decision_record`` would record it: the
    meeting has its quorum and no more members voted than were present."""

    class Meta:
        model = Decision
        fields = (
            "meeting",
            "agenda_item",
            "number",
            "text",
            "required_majority",
            "votes_for",
            "votes_against",
            "votes_abstained",
        )

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.errors or not self.has_changed() or self.instance.meeting_id is None:
            return
        try:
            with rolled_back():
                services.decision_record(decision=trial_copy(self.instance))
        except ValidationError as error:
            add_service_error(self, error)


class DecisionInlineFormSet(BaseInlineFormSet):
    """Decisions on the meeting's page. Each is tried against the meeting as recorded, so
    none is recorded in the save that moves the meeting to another body or date."""

    def clean(self) -> None:
        super().clean()
        if not any(form.has_changed() and not self._should_delete_form(form) for form in self.forms):
            return
        meeting = self.instance
        recorded = Meeting.objects.filter(pk=meeting.pk).values_list("body_id", "start_date").first()
        if recorded is not None and recorded != (meeting.body_id, meeting.start_date):
            raise ValidationError(_("Save the meeting's new body or date first, then record its decisions."))


class DocumentAdminForm(MeetingPartForm):
    class Meta:
        model = Document
        fields = ("meeting", "agenda_item", "title", "kind", "language", "file", "is_public")


class ElectionAdminForm(MeetingPartForm):
    class Meta:
        model = Election
        fields = (
            "meeting",
            "agenda_item",
            "kind",
            "title",
            "seats",
            "rule",
            "secret_ballot",
            "ballots_issued",
            "ballots_cast",
            "ballots_invalid",
        )


class AgendaItemInlineFormSet(BaseInlineFormSet):
    """A meeting's agenda, shown in outline order; items nest but never in a circle."""

    def get_queryset(self):
        if not hasattr(self, "_outline"):
            self._outline = agenda_in_outline_order(list(super().get_queryset()))
        return self._outline

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        deleted = {form.instance.pk for form in self.deleted_forms if form.instance.pk}
        parents: dict[int, int | None] = {}
        for form in self.forms:
            if self._should_delete_form(form) or not form.has_changed() and form.instance.pk is None:
                continue
            parent = form.cleaned_data.get("parent")
            if parent is not None and parent.pk in deleted:
                form.add_error("parent", _("This item's parent is being deleted, and its sub-items with it."))
            if form.instance.pk is not None:
                parents[form.instance.pk] = parent.pk if parent is not None else None
        for pk in parents:
            seen, current = set(), pk
            while current is not None and current not in seen:
                seen.add(current)
                current = parents.get(current)
            if current is not None:
                raise ValidationError(_("Agenda items cannot be nested in a circle: an item would be its own parent."))


class CandidateInlineFormSet(BaseInlineFormSet):
    """An election's candidates. Saving an election computes who is elected
    (``services.election_compute``), so the election and its candidates are tried
    together first; a refusal (a candidate the Council did not nominate, more votes than
    valid ballots) is shown above the candidates and nothing is saved."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors) or self.instance.meeting_id is None:
            return
        deleted = [form.instance.pk for form in self.deleted_forms if form.instance.pk]
        changed = [form for form in self.forms if form.has_changed() and not self._should_delete_form(form)]
        try:
            with rolled_back():
                election = trial_copy(self.instance)
                try:
                    election.full_clean()
                except ValidationError:
                    return  # the election's own form shows why
                election.save()
                Candidate.objects.filter(pk__in=deleted).delete()
                for form in changed:
                    candidate = trial_copy(form.instance)
                    candidate.election = election
                    candidate.save()
                services.election_compute(election=election)
        except ValidationError as error:
            raise ValidationError(error.messages) from error


class AttendanceForm(forms.Form):
    """The attendance of every member entitled to a meeting: one status per member.
    A member left without a status is not recorded."""

    def __init__(self, *args, sheet: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        for membership, status in sheet:
            self.fields[self.field_name(membership.pk)] = forms.ChoiceField(
                label=membership.person.display_name,
                choices=Attendance.Status.choices,
                required=False,
                initial=status,
            )

    @staticmethod
    def field_name(membership_id: int) -> str:
        return f"status-{membership_id}"

    def statuses(self) -> dict[int, str]:
        """The statuses given, by membership id (after ``is_valid``)."""
        statuses = {}
        for membership, _status in self.sheet:
            status = self.cleaned_data.get(self.field_name(membership.pk))
            if status:
                statuses[membership.pk] = status
        return statuses

    def rows(self) -> list[dict]:
        """What the page shows per member: the membership, the status chosen (as posted
        when the form came back with errors) and the errors."""
        errors = self.errors if self.is_bound else {}
        rows = []
        for number, (membership, status) in enumerate(self.sheet, start=1):
            name = self.field_name(membership.pk)
            rows.append(
                {
                    "number": number,
                    "membership": membership,
                    "name": name,
                    "value": self.data.get(name, "") if self.is_bound else status,
                    "errors": errors.get(name, ""),
                }
            )
        return rows


class DecisionVotesForm(forms.ModelForm):
    """The votes on one decision, recorded through ``services.decision_record``. Give it
    a copy of the decision: validation fills the copy in."""

    class Meta:
        model = Decision
        fields = ("votes_for", "votes_against", "votes_abstained")
        widgets = {name: forms.NumberInput(attrs={"class": "vIntegerField", "min": 0}) for name in fields}

    def save(self, commit: bool = True) -> Decision:
        return services.decision_record(decision=self.instance)


class ElectionVotesForm(forms.ModelForm):
    """The ballots of one election and the votes of each candidate, recorded through
    ``services.election_set_votes``, which then computes who is elected. Give it a copy
    of the election with its candidates prefetched."""

    class Meta:
        model = Election
        fields = ("ballots_issued", "ballots_cast", "ballots_invalid")
        widgets = {name: forms.NumberInput(attrs={"class": "vIntegerField", "min": 0}) for name in fields}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(self.instance.candidates.all())
        for candidate in self.candidates:
            self.fields[self.candidate_field(candidate)] = forms.IntegerField(
                label=gettext("Votes for %(name)s") % {"name": candidate.person},
                min_value=0,
                required=False,
                initial=candidate.votes,
                widget=forms.NumberInput(attrs={"class": "vIntegerField", "min": 0}),
            )

    @staticmethod
    def candidate_field(candidate: Candidate) -> str:
        return f"candidate-{candidate.pk}"

    def candidate_rows(self) -> list[tuple[Candidate, forms.BoundField]]:
        return [(candidate, self[self.candidate_field(candidate)]) for candidate in self.candidates]

    def save(self, commit: bool = True) -> Election:
        votes = {candidate.pk: self.cleaned_data[self.candidate_field(candidate)] for candidate in self.candidates}
        return services.election_set_votes(election=self.instance, votes=votes)
