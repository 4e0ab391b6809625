"""Forms of the staff admin.

The admin writes through ``members.services``. So that a broken rule shows on the form
instead of failing after it was accepted, the forms validate by running the very
service they will save through, on a copy, in a savepoint that is always rolled back
(``rolled_back``). Nothing of such a trial run is kept.
"""

import copy
import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assembly.models import LegalAct

from . import services
from .models import Membership, Person

ModelT = TypeVar("ModelT", bound=models.Model)

# Filled in by ``services.person_save`` when left empty.
_GENERATED_PERSON_FIELDS = ("surname_latin", "given_name_latin", "patronymic_latin", "slug")


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run the block in a transaction (a savepoint inside another one) that is always rolled back."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def trial_copy(instance: ModelT) -> ModelT:
    """A copy of ``instance`` to save in a rolled-back trial. A newly uploaded file is left
    out: the file storage would keep it, whatever the database does."""
    trial = copy.copy(instance)
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.FileField):
            value = getattr(trial, field.attname)
            if value and not value._committed:
                setattr(trial, field.attname, "")
    return trial


def add_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on ``form``: beside the field it names when the form
    shows that field, above the form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = form.fields.get(name)
        form.add_error(name if field is not None and not field.widget.is_hidden else None, errors)


def membership_save(membership: Membership) -> Membership:
    """Save a membership filled in by a form or an import row through the services: a new
    one is appointed (``services.membership_appoint``), a recorded one corrected
    (``services.membership_update``).

    The appointed row's key is copied onto ``membership`` so that the caller (the admin's
    log and redirect, the import's report) goes on with the saved row.
    """
    if not membership._state.adding:
        return services.membership_update(membership=membership)
    saved = services.membership_appoint(
        person=membership.person,
        body=membership.body,
        post=membership.post if membership.post_id else None,
        basis=membership.basis,
        on_behalf_of=membership.on_behalf_of,
        start_date=membership.start_date,
        end_date=membership.end_date,
        end_reason=membership.end_reason,
        appointed_by=membership.appointed_by,
        ended_by=membership.ended_by,
        note=membership.note,
    )
    membership.pk = saved.pk
    membership.post = saved.post
    membership.single_seat = saved.single_seat
    membership._state.adding = False
    membership._state.db = saved._state.db
    return membership


class PersonAdminForm(forms.ModelForm):
    """A person. The Latin spelling and the slug may be left empty: ``services.person_save``
    generates them. The form is valid only if that service would save the person."""

    class Meta:
        model = Person
        fields = (
            *("surname", "given_name", "patronymic", "surname_ru", "given_name_ru", "patronymic_ru"),
            *("surname_latin", "given_name_latin", "patronymic_latin", "slug", "gender", "photo"),
            *("position_kk", "position_ru", "position_en", "biography_kk", "biography_ru", "biography_en"),
            *("iin", "birth_date", "phone", "email", "ethnic_group", "ethnicity_public"),
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in _GENERATED_PERSON_FIELDS:
            if name in self.fields:
                self.fields[name].required = False

    def clean(self):
        cleaned_data = super().clean()
        # The translated texts are nullable: one left empty and untouched stays NULL, so
        # that saving the form records no change in the history.
        for name, value in cleaned_data.items():
            if value == "" and name not in self.changed_data and getattr(self.instance, name, "") is None:
                cleaned_data[name] = None
        return cleaned_data

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.errors:
            return
        try:
            with rolled_back():
                services.person_save(person=trial_copy(self.instance))
        except ValidationError as error:
            add_service_error(self, error)


class MembershipInlineForm(forms.ModelForm):
    """A membership as a row of a person's page (see ``MembershipInlineFormSet``)."""

    class Meta:
        model = Membership
        fields = (
            *("person", "body", "post", "basis", "on_behalf_of"),
            *("start_date", "appointed_by", "end_date", "end_reason", "ended_by", "note"),
        )

    def _get_validation_exclusions(self):
        # ``single_seat`` is not on the form: Membership.clean() derives it from the post
        # before the constraints are checked. Left excluded, it would break the check of
        # the single-seat constraint, whose condition names it.
        exclude = super()._get_validation_exclusions()
        exclude.discard("single_seat")
        return exclude


class MembershipAdminForm(MembershipInlineForm):
    """A membership. The form is valid only if ``membership_save`` would save it: every
    rule of the services (overlaps, seats, basis and act) is checked here."""

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.errors:
            return
        try:
            with rolled_back():
                membership_save(trial_copy(self.instance))
        except ValidationError as error:
            add_service_error(self, error)


class MembershipInlineFormSet(BaseInlineFormSet):
    """A person's memberships, edited on the person's page.

    The rows depend on each other (two rows may overlap, or fill the last seat of a post
    together) and the person may not exist yet, so the rows are tried together, in the
    order the admin saves them: deletions, then changed rows, then new ones.
    """

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        deleted = [form.instance.pk for form in self.deleted_forms if form.instance.pk]
        to_save = [form for form in self.forms if form.has_changed() and not self._should_delete_form(form)]
        if not to_save:
            return
        try:
            with rolled_back():
                person = self.instance
                if person._state.adding:
                    person = services.person_save(person=trial_copy(person))
                Membership.objects.filter(pk__in=deleted).delete()
                for form in to_save:
                    membership = trial_copy(form.instance)
                    membership.person = person
                    try:
                        membership_save(membership)
                    except ValidationError as error:
                        add_service_error(form, error)
        except ValidationError:
            # The person cannot be saved: the person's own form shows why.
            return


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class EndMembershipsForm(forms.Form):
    """The intermediate step of the admin action that ends memberships."""

    end_date = forms.DateField(label=_("last day of membership"), widget=_DateInput)
    reason = forms.ChoiceField(label=_("reason for ending"), choices=Membership.EndReason.choices)
    act_kind = forms.ChoiceField(label=_("kind of the ending act"), choices=LegalAct.Kind.choices)
    act_number = forms.CharField(label=_("number of the act"), max_length=40, required=False)
    act_date = forms.DateField(label=_("date of the act"), widget=_DateInput)
    act_issuer = forms.CharField(
        label=_("issued by"), max_length=200, required=False, help_text=_("For example: the President.")
    )

    def act(self) -> LegalAct:
        """The ending act, registered if new (call inside the transaction that uses it)."""
        data = self.cleaned_data
        return services.legal_act_get_or_create(
            kind=data["act_kind"], number=data["act_number"], date=data["act_date"], issuer=data["act_issuer"]
        )


class CompositionDateForm(forms.Form):
    """The date of a body's composition."""

    on = forms.DateField(label=_("on date"), required=False, widget=_DateInput)

    def __init__(self, data=None):
        super().__init__(data if data and "on" in data else None, initial={"on": timezone.localdate()})

    def date(self) -> datetime.date | None:
        """The chosen date, today when none is given; None when the given one is not a date."""
        if not self.is_bound:
            return self.initial["on"]
        if not self.is_valid():
            return None
        return self.cleaned_data["on"] or self.initial["on"]
