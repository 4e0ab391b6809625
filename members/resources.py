"""Import and export of the register (django-import-export): persons and memberships,
as CSV or XLSX.

Rows are saved through ``members.services`` like every other write: persons by
``person_save`` (the Latin spelling and the slug are generated when empty), memberships
by ``membership_appoint`` or ``membership_update`` (overlaps, seats, basis and acts).
Related records are named by their public keys: slugs, a person's IIN, a post's role.
A file is imported by one person at a time (``OneImportOfAFileAtATime``).
"""

import datetime
import hashlib
import re

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from assembly.models import Body, LegalAct, Post

from . import services
from .forms import membership_save
from .models import Association, EthnicGroup, Membership, Person
from .validators import is_twelve_digits

_ACT_PARTS = ("kind", "number", "date")
_DOTTED_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def _text(value) -> str:
    """A cell as text: spreadsheets turn numbers such as an act's number into floats."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _iin_text(value) -> str:
    """An IIN cell as text; a spreadsheet that took the IIN for a number dropped its leading zeros."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{int(value):012d}"
    return _text(value)


class LookupWidget(widgets.ForeignKeyWidget):
    """A related record named by a unique field; an unknown name is a validation error of
    the row, with a message a person can act on."""

    def __init__(self, model, field: str, message: str):
        super().__init__(model, field)
        self.message = message
        # A file names the same few bodies, posts and groups on thousands of rows: each is looked
        # up once per import (a resource, and so its widgets, lives for one import).
        self._found = {}

    def clean(self, value, row=None, **kwargs):
        value = _text(value)
        if not value:
            return None
        key = self.cache_key(value, row)
        if key not in self._found:
            try:
                self._found[key] = self.get_instance_by_lookup_fields(value, row, **kwargs)
            except self.model.DoesNotExist:
                raise ValueError(self.message % {"value": value}) from None
        return self._found[key]

    def cache_key(self, value: str, row) -> tuple:
        return (value,)


class PersonWidget(LookupWidget):
    """A person named by slug or by IIN."""

    def __init__(self):
        super().__init__(Person, "slug", _("No person with the slug or IIN “%(value)s”."))

    def clean(self, value, row=None, **kwargs):
        iin = _iin_text(value)
        if is_twelve_digits(iin):
            person = Person.objects.filter(iin=iin).first()
            if person is None:
                raise ValueError(self.message % {"value": iin})
            return person
        return super().clean(value, row, **kwargs)


class PostWidget(LookupWidget):
    """A post named by its role in the row's body (``member``, ``chairman`` ...)."""

    def __init__(self):
        super().__init__(Post, "role", _("The body has no post with the role “%(value)s”."))

    def get_queryset(self, value, row, *args, **kwargs):
        return Post.objects.filter(body__slug=_text((row or {}).get("body")))

    def cache_key(self, value: str, row) -> tuple:
        return (_text((row or {}).get("body")), value)


class DateWidget(widgets.DateWidget):
    """A date written as YYYY-MM-DD or, as usual in Kazakhstan, DD.MM.YYYY, or a spreadsheet's date."""

    def __init__(self):
        super().__init__(format="%Y-%m-%d")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, str) and (dotted := _DOTTED_DATE.fullmatch(value.strip())):
            day, month, year = (int(part) for part in dotted.groups())
            return datetime.date(year, month, day)
        return super().clean(value, row, **kwargs)


class IINWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return _iin_text(value)


class ImportRefused(Exception):
    """An import refused whole, before any of its rows was read; the message says why."""


class OneImportOfAFileAtATime(resources.ModelResource):
    """Two people who confirm the import of the same file at the same moment must not both
    import it: the second would add the same rows again, or fail row by row on the unique
    indexes once the first has committed. Each import holds a lock on the file's content
    for its transaction (``pg_try_advisory_xact_lock``); an import that finds the lock held
    is refused at once, whole, and says why. The preview (a dry run) writes nothing and
    takes no lock."""

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs):
        if not dry_run and not _lock_content(self._meta.model, dataset):
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            refusal = ImportRefused(
                _(
                    "Someone else is importing the same file at this moment. Nothing was imported from your "
                    "copy: when the other import has finished, check the register before importing the file again."
                )
            )
            self.handle_import_error(result, refusal, raise_errors)
            return result
        return super().import_data_inner(
            dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
        )


def _lock_content(model, dataset) -> bool:
    """Take the lock of this content for this model until the transaction ends; False when
    another transaction holds it."""
    digest = hashlib.sha256(f"{model._meta.label}\n{dataset.export('csv')}".encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)])
        return cursor.fetchone()[0]


class PersonResource(OneImportOfAFileAtATime):
    """Persons, found by slug (when given) or by IIN; other rows are new persons."""

    iin = fields.Field(attribute="iin", column_name="iin", widget=IINWidget())
    birth_date = fields.Field(attribute="birth_date", column_name="birth_date", widget=DateWidget())
    ethnic_group = fields.Field(
        attribute="ethnic_group",
        column_name="ethnic_group",
        widget=LookupWidget(EthnicGroup, "slug", _("No ethnic group with the slug “%(value)s”.")),
    )

    class Meta:
        model = Person
        fields = (
            "slug",
            "surname",
            "given_name",
            "patronymic",
            "surname_ru",
            "given_name_ru",
            "patronymic_ru",
            "surname_latin",
            "given_name_latin",
            "patronymic_latin",
            "gender",
            "iin",
            "birth_date",
            "phone",
            "email",
            "ethnic_group",
            "ethnicity_public",
            "position_kk",
            "position_ru",
            "position_en",
            "biography_kk",
            "biography_ru",
            "biography_en",
        )
        export_order = fields
        # Rows are matched in get_instance (slug, then IIN), so that a file may leave out
        # the slug column altogether.
        import_id_fields = ()
        skip_unchanged = True
        report_skipped = True

    def get_instance(self, instance_loader, row):
        slug = _text(row.get("slug"))
        if slug:
            return Person.objects.filter(slug=slug).first()
        iin = _iin_text(row.get("iin"))
        if iin:
            return Person.objects.filter(iin=iin).first()
        return None

    def do_instance_save(self, instance, is_create):
        services.person_save(person=instance)


class MembershipResource(OneImportOfAFileAtATime):
    """Memberships: a row with the ``id`` of a recorded membership corrects it, a row
    without one appoints a new member. The acts are given by kind, number and date and
    registered when new."""

    person = fields.Field(attribute="person", column_name="person", widget=PersonWidget())
    person_name = fields.Field(column_name="person_name", readonly=True)
    body = fields.Field(
        attribute="body",
        column_name="body",
        widget=LookupWidget(Body, "slug", _("No body with the slug “%(value)s”.")),
    )
    post = fields.Field(attribute="post", column_name="post", widget=PostWidget())
    start_date = fields.Field(attribute="start_date", column_name="start_date", widget=DateWidget())
    end_date = fields.Field(attribute="end_date", column_name="end_date", widget=DateWidget())
    on_behalf_of = fields.Field(
        attribute="on_behalf_of",
        column_name="on_behalf_of",
        widget=LookupWidget(Association, "slug", _("No association with the slug “%(value)s”.")),
    )
    appointed_by_kind = fields.Field(column_name="appointed_by_kind")
    appointed_by_number = fields.Field(column_name="appointed_by_number")
    appointed_by_date = fields.Field(column_name="appointed_by_date", widget=DateWidget())
    ended_by_kind = fields.Field(column_name="ended_by_kind")
    ended_by_number = fields.Field(column_name="ended_by_number")
    ended_by_date = fields.Field(column_name="ended_by_date", widget=DateWidget())

    class Meta:
        model = Membership
        fields = (
            "id",
            "person",
            "person_name",
            "body",
            "post",
            "basis",
            "on_behalf_of",
            "start_date",
            "end_date",
            "end_reason",
            "appointed_by_kind",
            "appointed_by_number",
            "appointed_by_date",
            "ended_by_kind",
            "ended_by_number",
            "ended_by_date",
            "note",
        )
        export_order = fields
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return Membership.objects.with_related()

    def dehydrate_person_name(self, membership: Membership) -> str:
        return membership.person.full_name

    def dehydrate_appointed_by_kind(self, membership: Membership) -> str:
        return membership.appointed_by.kind if membership.appointed_by else ""

    def dehydrate_appointed_by_number(self, membership: Membership) -> str:
        return membership.appointed_by.number if membership.appointed_by else ""

    def dehydrate_appointed_by_date(self, membership: Membership) -> datetime.date | None:
        return membership.appointed_by.date if membership.appointed_by else None

    def dehydrate_ended_by_kind(self, membership: Membership) -> str:
        return membership.ended_by.kind if membership.ended_by else ""

    def dehydrate_ended_by_number(self, membership: Membership) -> str:
        return membership.ended_by.number if membership.ended_by else ""

    def dehydrate_ended_by_date(self, membership: Membership) -> datetime.date | None:
        return membership.ended_by.date if membership.ended_by else None

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for attribute in ("appointed_by", "ended_by"):
            try:
                self._import_act(instance, attribute, row)
            except ValidationError as error:
                errors.setdefault(attribute, []).extend(error.messages)
        if errors:
            raise ValidationError(errors)

    def _import_act(self, membership: Membership, attribute: str, row) -> None:
        """Set the act named by the ``<attribute>_kind/_number/_date`` columns, if the file has them."""
        columns = [f"{attribute}_{part}" for part in _ACT_PARTS]
        if not any(column in row for column in columns):
            return
        kind, number, date = (row.get(column) for column in columns)
        kind, number = _text(kind), _text(number)
        if not kind and not number and not date:
            setattr(membership, attribute, None)
            return
        if kind not in LegalAct.Kind.values:
            raise ValidationError(
                _("Give the kind of the act, one of: %(kinds)s.") % {"kinds": ", ".join(LegalAct.Kind.values)}
            )
        try:
            date = DateWidget().clean(date)
        except ValueError:
            date = None
        if date is None:
            raise ValidationError(_("Give the date of the act (YYYY-MM-DD or DD.MM.YYYY)."))
        setattr(membership, attribute, services.legal_act_get_or_create(kind=kind, number=number, date=date))

    def skip_row(self, instance, original, row, import_validation_errors=None):
        acts_changed = (instance.appointed_by_id, instance.ended_by_id) != (
            original.appointed_by_id,
            original.ended_by_id,
        )
        return not acts_changed and super().skip_row(instance, original, row, import_validation_errors)

    def do_instance_save(self, instance, is_create):
        membership_save(instance)
