"""Import and export of the register (django-import-export): persons and memberships,
as CSV or XLSX.

A file is imported as a whole, with the rules of ``members.services`` (``PersonsImport``,
``MembershipsImport``): the records it names are read before its rows, each row is checked
against the register and the rows before it, and the new rows are created together at the
end, with their history; a row that changes a recorded person or membership is saved through
``person_save`` or ``membership_update``. Related records are named by their public keys:
slugs, a person's IIN, a post's role. A file is imported by one person at a time
(``OneImportOfAFileAtATime``).
"""

import contextlib
import datetime
import functools
import hashlib
import re
from collections.abc import Iterable

from diff_match_patch import diff_match_patch
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Model, Q
from django.utils.encoding import force_str
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from modeltranslation.fields import TranslationField

from assembly.models import Body, LegalAct, Post

from . import services
from .models import Association, EthnicGroup, Membership, Person
from .validators import is_twelve_digits

_ACTS = ("appointed_by", "ended_by")
_ACT_PARTS = ("kind", "number", "date")
_ACT_KINDS = frozenset(LegalAct.Kind.values)
# The columns a generated slug is made from.
_NAME_FIELDS = ("surname", "given_name", "patronymic", "surname_latin", "given_name_latin", "patronymic_latin")
_DOTTED_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


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
    the row, with a message a person can act on. A file names the same records on thousands
    of rows: all the names of its column are looked up at once, before its rows are read
    (``preload``)."""

    def __init__(self, model, field: str, message: str):
        super().__init__(model, field)
        self.message = message
        # A resource, and so its widgets, lives for one import.
        self._found = {}

    def preload(self, values: Iterable) -> list[Model]:
        """Read the records the column's ``values`` name, in one query; return them."""
        names = {_text(value) for value in values} - {""}
        return self.remember(self.model.objects.filter(**{f"{self.field}__in": names}))

    def remember(self, records: Iterable[Model]) -> list[Model]:
        """Take ``records`` as those the file can name."""
        records = list(records)
        self._found = {self.key_of(record): record for record in records}
        return records

    def key_of(self, record: Model) -> tuple:
        return (getattr(record, self.field),)

    def clean(self, value, row=None, **kwargs):
        value = _text(value)
        if not value:
            return None
        try:
            return self._found[self.cache_key(value, row)]
        except KeyError:
            raise ValueError(self.message % {"value": value}) from None

    def cache_key(self, value: str, row) -> tuple:
        return (value,)


class PersonWidget(LookupWidget):
    """A person named by slug or by IIN."""

    def __init__(self):
        super().__init__(Person, "slug", _("No person with the slug or IIN “%(value)s”."))

    def preload(self, values: Iterable) -> list[Person]:
        names = {_iin_text(value) for value in values} - {""}
        iins = {name for name in names if is_twelve_digits(name)}
        slugs = names - iins
        # What a row reads of its person: the keys it is named by, and the name that labels the row.
        found = Person.objects.filter(Q(iin__in=iins) | Q(slug__in=slugs))
        persons = list(found.only("slug", "iin", "surname", "given_name", "patronymic"))
        by_iin = {(person.iin,): person for person in persons if person.iin in iins}
        self._found = by_iin | {(person.slug,): person for person in persons if person.slug in slugs}
        return persons

    def clean(self, value, row=None, **kwargs):
        return super().clean(_iin_text(value), row, **kwargs)


class PostWidget(LookupWidget):
    """A post named by its role in the row's body (``member``, ``chairman`` ...)."""

    def __init__(self):
        super().__init__(Post, "role", _("The body has no post with the role “%(value)s”."))

    def key_of(self, post: Post) -> tuple:
        return (post.body.slug, post.role)

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
        if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
            # Most dates of a large file: read without strptime, several times slower. A date
            # that does not exist is left to strptime, for its message.
            with contextlib.suppress(ValueError):
                return datetime.date.fromisoformat(value.strip())
        return super().clean(value, row, **kwargs)


_DATE = DateWidget()


class IINWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return _iin_text(value)


def _act_cells(row, attribute: str) -> tuple[str, str, object] | None:
    """The kind and number (as text) and the date cell of the act named by the row's
    ``<attribute>_kind/_number/_date`` columns; None when the file has none of them."""
    columns = [f"{attribute}_{part}" for part in _ACT_PARTS]
    if not any(column in row for column in columns):
        return None
    kind, number, date = (row.get(column) for column in columns)
    return _text(kind), _text(number), date


def _act_date(value) -> datetime.date | None:
    try:
        return _DATE.clean(value)
    except ValueError:
        return None


def _acts_cited(rows) -> list[tuple[str, str, datetime.date | None]]:
    """The kind, number and date of every act the rows cite."""
    acts = []
    for row in rows:
        for attribute in _ACTS:
            if cells := _act_cells(row, attribute):
                kind, number, date = cells
                acts.append((kind, number, _act_date(date)))
    return acts


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


class PreviewDiff(resources.Diff):
    """A row's changes, as the preview shows them. The confirmed import shows none: it reads
    no values for them."""

    def __init__(self, resource, instance, new):
        self.shown, self.new, self.right = resource.previewing, new, []
        if not self.shown:
            self.left = []
        elif new:
            # Every new row starts from the same blank record: its values are read once.
            if resource.new_record_values is None:
                resource.new_record_values = self._read_field_values(resource, instance)
            self.left = resource.new_record_values
        else:
            self.left = self._read_field_values(resource, instance)

    def compare_with(self, resource, instance):
        if self.shown:
            super().compare_with(resource, instance)

    def as_html(self):
        if not self.new:
            return super().as_html()
        # A new row's values are all inserted (or, where equal to a new record's, kept): the
        # same HTML as ``Diff`` renders, without working out a difference for each cell.
        dmp = diff_match_patch()
        cells = []
        for before, after in zip(self.left, self.right, strict=True):
            change, text = (dmp.DIFF_EQUAL, before) if before == after else (dmp.DIFF_INSERT, after)
            text = force_str(text)
            # diff_prettyHtml escapes the text, as for Diff.
            cells.append(mark_safe(dmp.diff_prettyHtml([(change, text)] if text else [])))
        return cells


class WholeFileImport(resources.ModelResource):
    """A file checked and saved by a whole-file service of ``members.services`` (``imports``,
    made by ``before_import``): each row is checked by ``imports.check`` as it is read, the new
    rows are kept and created together by ``imports.create`` (import-export's ``use_bulk``),
    and a row that changes a recorded row is saved at once by ``imports.update``.

    The preview (a dry run) checks every row but creates none: creating thousands of rows only
    to roll them back would double the time of an import, and would tell nothing more, since
    ``imports.check`` has checked every rule the database keeps.
    """

    imports: services.PersonsImport | services.MembershipsImport
    previewing = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._import_fields = None
        self.new_record_values = None

    def get_import_fields(self):
        # import-export asks for them several times a row; they are the same for the whole file.
        if self._import_fields is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    @classmethod
    def get_diff_class(cls):
        return PreviewDiff

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs):
        self.previewing = dry_run
        return super().import_data_inner(
            dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
        )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        self.imports.check(instance, dict(import_validation_errors or {}))

    def save_instance(self, instance, is_create, row, **kwargs):
        if is_create:
            super().save_instance(instance, is_create, row, **kwargs)
        else:
            self.imports.update(instance)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not self.create_instances:
            return
        try:
            if not dry_run:
                self.imports.create(self.create_instances)
        except Exception as error:  # noqa: BLE001 - as import-export's own: the file fails whole, saying why
            self.handle_import_error(result, error, raise_errors)
        finally:
            self.create_instances.clear()


@functools.cache
def _translated_defaults() -> dict:
    """The defaults of a person's translated fields. ``Person()`` works each out anew, in its
    language (modeltranslation switches the active language twice a field): given, they are not."""
    return {field.name: field.get_default() for field in Person._meta.fields if isinstance(field, TranslationField)}


class PersonResource(OneImportOfAFileAtATime, WholeFileImport):
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
        use_bulk = True

    def before_import(self, dataset, **kwargs):
        rows = dataset.dict
        self.fields["ethnic_group"].widget.preload(row.get("ethnic_group") for row in rows)
        self.imports = services.PersonsImport(
            slugs=[_text(row.get("slug")) for row in rows],
            iins=[_iin_text(row.get("iin")) for row in rows],
            names=[self._names(row) for row in rows if not _text(row.get("slug"))],
        )

    def _names(self, row) -> dict[str, str]:
        """The row's names, which a generated slug is made from."""
        fields = (self.fields[name] for name in _NAME_FIELDS)
        return {field.attribute: field.clean(row) if field.column_name in row else "" for field in fields}

    def init_instance(self, row=None):
        return Person(**_translated_defaults())

    def get_instance(self, instance_loader, row):
        return self.imports.recorded(slug=_text(row.get("slug")), iin=_iin_text(row.get("iin")))


class MembershipResource(OneImportOfAFileAtATime, WholeFileImport):
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
        use_bulk = True

    def get_queryset(self):
        return Membership.objects.with_related()

    def before_import(self, dataset, **kwargs):
        rows = dataset.dict
        ids = {int(key) for row in rows if (key := _text(row.get("id"))).isdigit()}
        self._recorded = self.get_queryset().in_bulk(ids) if ids else {}
        recorded = self._recorded.values()
        persons = self.fields["person"].widget.preload(row.get("person") for row in rows)
        bodies = self.fields["body"].widget.preload(row.get("body") for row in rows)
        self.fields["on_behalf_of"].widget.preload(row.get("on_behalf_of") for row in rows)
        self.imports = services.MembershipsImport(
            persons=[*persons, *(membership.person for membership in recorded)],
            bodies=[*bodies, *(membership.body for membership in recorded)],
            acts=_acts_cited(rows),
        )
        self.fields["post"].widget.remember(self.imports.posts)

    def get_instance(self, instance_loader, row):
        if "id" not in row:
            return None
        return self._recorded.get(self.fields["id"].clean(row))

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
        for attribute in _ACTS:
            try:
                self._import_act(instance, attribute, row)
            except ValidationError as error:
                errors.setdefault(attribute, []).extend(error.messages)
        if errors:
            raise ValidationError(errors)

    def _import_act(self, membership: Membership, attribute: str, row) -> None:
        """Set the act named by the ``<attribute>_kind/_number/_date`` columns, if the file has them."""
        cells = _act_cells(row, attribute)
        if cells is None:
            return
        kind, number, date = cells
        if not kind and not number and not date:
            setattr(membership, attribute, None)
            return
        if kind not in _ACT_KINDS:
            raise ValidationError(
                _("Give the kind of the act, one of: %(kinds)s.") % {"kinds": ", ".join(LegalAct.Kind.values)}
            )
        date = _act_date(date)
        if date is None:
            raise ValidationError(_("Give the date of the act (YYYY-MM-DD or DD.MM.YYYY)."))
        setattr(membership, attribute, self.imports.act(kind=kind, number=number, date=date))

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # Acts compared as records: a new one has no key yet.
        acts_changed = (instance.appointed_by, instance.ended_by) != (original.appointed_by, original.ended_by)
        return not acts_changed and super().skip_row(instance, original, row, import_validation_errors)
