"""The audit trail: every change of the records, with who made it, when and why.

Every audited model (the register, the meetings, the nominations, the user accounts) has a
history table of django-simple-history: each save or delete adds a row with the time
(``history_date``), the user (``history_user``), a reason (``history_change_reason``), the
kind of change (created, changed, deleted) and the whole record as it then was. The rows are
only ever added: a database trigger refuses to change or delete them (migration
``assembly.0005_audit_rows_never_change``), and the admin shows them read-only (the "Audit
log" page and each object's history).

Who the actor is, by the door the change came through:

- a page of the admin or the portal: the signed-in user (``HistoryRequestMiddleware``);
- the API: the token's user (DRF puts the user it authenticated on the request the
  middleware holds);
- an import in the admin: the importing user (the import saves through the services inside
  the request);
- a management command: no user, and the reason ``manage.py <command> (<operating system
  user>)``. A command that writes wraps its work in ``with audit.command("<command>"):``.

A service that knows its user (``regional.services``) says so with ``acting(user=...)``, so
that the row is right whatever calls it. Writes that bypass ``save()`` use this module's
``bulk_create_with_history`` and ``bulk_update_with_history``, which give every row the
actor of the request or of the surrounding ``acting``.
"""

import dataclasses
import datetime
import getpass
import os
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import BigIntegerField, CharField, Model, QuerySet, Value
from django.db.models.functions import Cast
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import pgettext_lazy
from simple_history import utils as history_utils
from simple_history.models import HistoricalRecords

from assembly import public_cache

# The longest reason the history tables keep (django-simple-history's column).
REASON_MAX_LENGTH = 100


@dataclasses.dataclass(frozen=True)
class _Actor:
    user: Model | None
    reason: str


_actor: ContextVar[_Actor | None] = ContextVar("audit_actor", default=None)


@contextmanager
def acting(*, user: Model | None = None, reason: str = "") -> Iterator[None]:
    """Credit every history row written inside to ``user`` and ``reason``, where the row
    does not name them itself (a signed-in user of the request comes first)."""
    token = _actor.set(_Actor(user=user, reason=reason[:REASON_MAX_LENGTH]))
    try:
        yield
    finally:
        _actor.reset(token)


def command_reason(name: str) -> str:
    """The reason recorded for the writes of the management command ``name``."""
    return f"manage.py {name} ({_os_user()})"


def command(name: str) -> AbstractContextManager[None]:
    """The context of a management command that writes: no user, its name and the operating
    system user as the reason."""
    return acting(reason=command_reason(name))


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container's user with no name
        return f"uid {os.getuid()}"


def _request_user() -> Model | None:
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def fill_from_context(sender, history_instance, **kwargs) -> None:
    """``pre_create_historical_record``: the actor of ``acting`` where the row has none."""
    actor = _actor.get()
    if actor is None:
        return
    if history_instance.history_user_id is None and actor.user is not None:
        history_instance.history_user = actor.user
    if not history_instance.history_change_reason and actor.reason:
        history_instance.history_change_reason = actor.reason


def _bulk_defaults(kwargs: dict) -> dict:
    actor = _actor.get()
    defaults = {
        "default_user": _request_user() or (actor.user if actor else None),
        "default_change_reason": actor.reason if actor else "",
    }
    return {**defaults, **{key: value for key, value in kwargs.items() if value is not None}}


def bulk_create_with_history(objs: list[Model], model: type[Model], **kwargs) -> list[Model]:
    """``bulk_create`` with a history row per object, credited like a ``save()``; the cached
    public pages are out of date once it commits (``bulk_create`` sends no ``post_save``)."""
    created = history_utils.bulk_create_with_history(objs, model, **_bulk_defaults(kwargs))
    public_cache.schedule_bump()
    return created


def bulk_update_with_history(objs: Iterable[Model], model: type[Model], fields: list[str], **kwargs) -> int:
    """``bulk_update`` with a history row per object, credited like a ``save()``; the cached
    public pages are out of date once it commits (``bulk_update`` sends no ``post_save``)."""
    updated = history_utils.bulk_update_with_history(list(objs), model, fields, **_bulk_defaults(kwargs))
    public_cache.schedule_bump()
    return updated


class AccountHistory(HistoricalRecords):
    """The history of the user accounts. A save that touches only fields the history leaves
    out (the sign-in's ``last_login``, a password hash upgraded at sign-in) is no change of
    the account and adds no row."""

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields and set(update_fields) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)


# The log ---------------------------------------------------------------------------------------

ACTIONS = {
    "+": pgettext_lazy("audit action", "created"),
    "~": pgettext_lazy("audit action", "changed"),
    "-": pgettext_lazy("audit action", "deleted"),
}
# Columns of every history row that are about the change, not the record.
_HISTORY_COLUMNS = ("history_id", "history_date", "history_type", "history_user_id", "history_change_reason")


def audited_models() -> list[type[Model]]:
    """Every model with a history, in the order of their app labels and names."""
    tracked = [model for model in apps.get_models() if hasattr(model._meta, "simple_history_manager_attribute")]
    return sorted(tracked, key=lambda model: model._meta.label_lower)


def audited_model(label: str) -> type[Model] | None:
    """The audited model whose ``app_label.modelname`` is ``label``, or None."""
    return next((model for model in audited_models() if model._meta.label_lower == label), None)


def audit_log(
    *,
    user_id: int | None = None,
    without_user: bool = False,
    model: type[Model] | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet:
    """All the history rows of the audited models (or of ``model``), newest first, as dicts:
    ``history_id``, ``model_label``, ``object_pk``, ``history_date``, ``history_type``,
    ``history_change_reason`` and ``history_user_id``. Filtered by the user (``without_user``:
    the rows of no user, such as a command's), and by the first and the last day (in the
    site's time zone).

    One query: a UNION ALL of the history tables, so that a page of it costs the same
    however many tables and rows there are. Each table's index on ``history_date`` gives a
    page without sorting the rest (no join inside: a join would sort everything).
    """
    filters = {}
    if without_user:
        filters["history_user__isnull"] = True
    elif user_id is not None:
        filters["history_user_id"] = user_id
    if since is not None:
        filters["history_date__gte"] = _start_of(since)
    if until is not None:
        filters["history_date__lt"] = _start_of(until + datetime.timedelta(days=1))
    branches = [
        history_utils.get_history_model_for_model(tracked)
        .objects.filter(**filters)
        .order_by()
        .annotate(
            model_label=Value(tracked._meta.label_lower, output_field=CharField()),
            # One type in every branch (the users' keys are integers, the rest bigints): a
            # branch that needs converting is planned apart and the page sorts everything.
            object_pk=Cast(tracked._meta.pk.attname, BigIntegerField()),
        )
        .values(
            "history_id",
            "model_label",
            "object_pk",
            "history_date",
            "history_type",
            "history_change_reason",
            "history_user_id",
        )
        for tracked in ([model] if model is not None else audited_models())
    ]
    combined = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    return combined.order_by("-history_date", "model_label", "-history_id")


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclasses.dataclass(frozen=True)
class Entry:
    """One row of the log, ready to show."""

    when: datetime.datetime
    model: type[Model]
    object_id: int
    action: str
    user_id: int | None
    user: str
    reason: str
    changed: list[str]
    url: str | None

    @property
    def model_name(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def action_label(self) -> str:
        return str(ACTIONS[self.action])


def audit_entries(rows: Iterable[dict]) -> list[Entry]:
    """The rows of ``audit_log`` (a page of it) with their users and the fields each change
    changed: two queries, whatever the rows."""
    rows = list(rows)
    changed = _changed_columns([row for row in rows if row["history_type"] == "~"])
    users = get_user_model().objects.in_bulk({row["history_user_id"] for row in rows} - {None})
    models = {model._meta.label_lower: model for model in audited_models()}
    entries = []
    for row in rows:
        model = models[row["model_label"]]
        user = users.get(row["history_user_id"])
        name = user.get_full_name() if user else ""
        username = user.get_username() if user else ""
        entries.append(
            Entry(
                when=row["history_date"],
                model=model,
                object_id=row["object_pk"],
                action=row["history_type"],
                user_id=row["history_user_id"],
                user=f"{name} ({username})" if name else username,
                reason=row["history_change_reason"] or "",
                changed=_field_names(model, changed.get((row["model_label"], row["history_id"]), [])),
                url=_admin_url(model, row["object_pk"]),
            )
        )
    return entries


def _left_out_columns(model: type[Model]) -> list[str]:
    """Columns whose change says nothing: the change's own, a translated field's untranslated
    column (it mirrors the language of whoever saved last) and ``auto_now`` stamps."""
    from modeltranslation.translator import NotRegistered, translator

    columns = list(_HISTORY_COLUMNS)
    try:
        columns.extend(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        pass
    columns.extend(field.attname for field in model._meta.concrete_fields if getattr(field, "auto_now", False))
    return columns


def _changed_columns(rows: list[dict]) -> dict[tuple[str, int], list[str]]:
    """For each changed-row ``(model, history_id)``, the columns that differ from the row
    before it: the two rows compared as JSON in the database, in one query."""
    if not rows:
        return {}
    by_model: dict[str, list[int]] = {}
    for row in rows:
        by_model.setdefault(row["model_label"], []).append(row["history_id"])
    quote = connection.ops.quote_name
    parts, params = [], []
    for label, history_ids in sorted(by_model.items()):
        model = audited_model(label)
        table = quote(history_utils.get_history_model_for_model(model)._meta.db_table)
        pk = quote(model._meta.pk.column)
        parts.append(
            f"""SELECT %s, cur.history_id, ARRAY(
                    SELECT c.key FROM jsonb_each(to_jsonb(cur)) AS c
                    WHERE NOT (c.key = ANY(%s)) AND c.value IS DISTINCT FROM to_jsonb(prev) -> c.key
                ) FROM {table} AS cur
                CROSS JOIN LATERAL (
                    SELECT * FROM {table} AS p
                    WHERE p.{pk} = cur.{pk} AND (p.history_date, p.history_id) < (cur.history_date, cur.history_id)
                    ORDER BY p.history_date DESC, p.history_id DESC LIMIT 1
                ) AS prev
                WHERE cur.history_id = ANY(%s)"""
        )
        params.extend([label, _left_out_columns(model), history_ids])
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return {(label, history_id): columns for label, history_id, columns in cursor.fetchall()}


def _field_names(model: type[Model], columns: list[str]) -> list[str]:
    """The changed columns as the model's field names, in the model's order."""
    fields = [field for field in model._meta.concrete_fields if field.column in columns]
    return [str(field.verbose_name) for field in fields]


def _admin_url(model: type[Model], object_id: int) -> str | None:
    """The object's history in the admin (its change page where the admin keeps none)."""
    opts = model._meta
    for view in ("history", "change"):
        try:
            return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[object_id])
        except NoReverseMatch:
            continue
    return None
