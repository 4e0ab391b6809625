"""The audit trail is never changed: the database refuses UPDATE and DELETE on every history
table (and on the nominations' own trail), the admin offers no way to edit a history row,
and a revert in the admin adds a row rather than changing one."""

import datetime

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import IntegrityError, connection, transaction
from django.forms import FileField
from simple_history.admin import SimpleHistoryAdmin

from assembly import audit
from assembly.admin import HistoryAdmin
from members.models import Person
from regional.models import Nomination, NominationEvent
from tests.audit.helpers import admin_url, client_of, rows_of
from tests.factories import LegalActFactory, NominationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def audit_tables() -> list[str]:
    """Every history table of the project: each model's, and each many-to-many history."""
    tables = [
        model._meta.db_table
        for model in apps.get_models()
        if {"history_id", "m2m_history_id"} & {field.name for field in model._meta.get_fields()}
    ]
    return [*sorted(tables), NominationEvent._meta.db_table]


def protected_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
               WHERE t.tgname = 'audit_row_never_changes' AND t.tgenabled = 'O'"""
        )
        return {name for (name,) in cursor.fetchall()}


def test_every_history_table_refuses_update_and_delete():
    tables = audit_tables()
    assert len(tables) >= 20
    missing = set(tables) - protected_tables()
    assert not missing, (
        f"History tables without the trigger audit_row_never_changes: {sorted(missing)}. "
        "Add it in a migration, as assembly/migrations/0005_audit_rows_never_change.py does."
    )


def execute_refused(sql: str, params=()) -> str:
    with pytest.raises(IntegrityError) as refusal, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return str(refusal.value)


@pytest.mark.parametrize("statement", ["UPDATE {table} SET history_change_reason = 'forged'", "DELETE FROM {table}"])
def test_sql_cannot_change_or_delete_a_history_row(editor, statement):
    with audit.acting(user=editor):
        person = PersonFactory()
    table = Person.history.model._meta.db_table

    message = execute_refused(statement.format(table=table) + " WHERE id = %s", [person.pk])

    assert "The audit trail is never changed" in message and table in message
    (row,) = rows_of(Person, person.pk)
    assert (row.history_user, row.history_change_reason) == (editor, None)


def test_the_orm_cannot_change_a_history_row_either(editor):
    with audit.acting(user=editor):
        act = LegalActFactory()
    (row,) = rows_of(type(act), act.pk)
    row.history_change_reason = "forged"
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        type(act).history.filter(pk=row.pk).delete()
    assert type(act).history.get(pk=row.pk).history_change_reason is None


def test_the_roles_history_and_the_nominations_trail_are_protected_too(editor, office):
    with audit.acting(user=editor):
        editor.groups.clear()
    history_of_roles = apps.get_model("assembly", "HistoricalUser_groups")._meta.db_table
    assert "never changed" in execute_refused(f"DELETE FROM {history_of_roles}")

    nomination = NominationFactory(created_by=office)
    events = NominationEvent._meta.db_table
    forged = f"UPDATE {events} SET comment = 'x' WHERE nomination_id = %s"
    assert "never changed" in execute_refused(forged, [nomination.pk])
    assert nomination.events.count() == 1


def test_a_user_who_made_recorded_changes_is_deactivated_not_deleted(editor):
    with audit.acting(user=editor):
        LegalActFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        editor.delete()
    editor.is_active = False
    editor.save()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_tables_can_still_be_emptied_as_the_tests_do():
    """TRUNCATE (Django's flush between transactional tests) is allowed: this test's rows go."""
    PersonFactory()
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Person.history.model._meta.db_table}")
    assert not Person.history.exists()


def test_no_history_model_has_an_admin_of_its_own():
    history_models = {model for model in apps.get_models() if model._meta.model_name.startswith("historical")}
    assert history_models
    assert not history_models & set(admin.site._registry)


def revert_data(response) -> dict:
    """The revert form's fields as the page shows them."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or isinstance(field, FileField) or value is False:
            continue
        if value is True:
            value = "on"
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        data[form[name].html_name] = value
    return data


def test_every_admin_that_shows_a_history_guards_its_revert_form():
    history_admins = [
        model_admin for model_admin in admin.site._registry.values() if isinstance(model_admin, SimpleHistoryAdmin)
    ]
    assert len(history_admins) >= 10
    for model_admin in history_admins:
        assert isinstance(model_admin, HistoryAdmin), model_admin


def test_a_revert_in_the_admin_adds_a_row_and_changes_none(editor):
    with audit.acting(user=editor):
        person = PersonFactory(phone="+7 701 000 00 01")
        person.phone = "+7 701 000 00 02"
        person.save()
    first, second = rows_of(Person, person.pk)
    client = client_of(editor)
    url = admin_url("members_person_simple_history", person.pk, first.pk)

    response = client.post(url, revert_data(client.get(url)))

    assert response.status_code == 302
    rows = rows_of(Person, person.pk)
    assert [row.pk for row in rows[:2]] == [first.pk, second.pk]
    assert (rows[0].phone, rows[1].phone) == ("+7 701 000 00 01", "+7 701 000 00 02")
    assert (rows[2].history_type, rows[2].phone, rows[2].history_user) == ("~", "+7 701 000 00 01", editor)


def test_a_viewer_cannot_revert(viewer, editor):
    with audit.acting(user=editor):
        person = PersonFactory(phone="+7 701 000 00 01")
        person.phone = "+7 701 000 00 02"
        person.save()
    first, _second = rows_of(Person, person.pk)
    url = admin_url("members_person_simple_history", person.pk, first.pk)
    data = revert_data(client_of(editor).get(url))
    client = client_of(viewer)

    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    person.refresh_from_db()
    assert person.phone == "+7 701 000 00 02"
    assert len(rows_of(Person, person.pk)) == 2
    assert client.get(admin_url("members_person_history", person.pk)).status_code == 200


def test_nobody_reverts_a_nomination_past_its_procedure(editor, office):
    nomination = NominationFactory(created_by=office)
    (row,) = rows_of(Nomination, nomination.pk)
    url = admin_url("regional_nomination_simple_history", nomination.pk, row.pk)
    assert client_of(editor).get(url).status_code == 403
    assert client_of(editor).post(url, {"surname": "Өзгертілген"}).status_code == 403


def test_an_account_that_made_changes_is_deactivated_not_deleted(django_user_model):
    superuser = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    editor = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    with audit.acting(user=editor):
        PersonFactory()
    client = client_of(superuser)
    change_list = client.get(admin_url("auth_user_changelist"))
    assert "delete_selected" not in change_list.content.decode()
    response = client.post(admin_url("auth_user_delete", editor.pk), {"post": "yes"})
    assert response.status_code == 403
    assert django_user_model.objects.filter(pk=editor.pk).exists()
