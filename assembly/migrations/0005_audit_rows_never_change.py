"""The audit trail is only ever added to: the database refuses to change or delete a row of a
history table (every model's django-simple-history table, its many-to-many history tables)
or of the nominations' own trail of steps, whoever asks, the admin, a script or SQL.

TRUNCATE stays possible (the tests empty the database with it). A history table added later
needs the same trigger: a migration of its own with ``CREATE TRIGGER audit_row_never_changes
... EXECUTE FUNCTION audit_row_never_changes()`` (tests/audit checks every table has it).

A user who made a recorded change can no longer be deleted (the history would lose its
actor): deactivate the account instead.
"""

from django.db import migrations

FUNCTION = """
CREATE FUNCTION audit_row_never_changes() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit trail is never changed: % on %.', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation',
              HINT = 'History rows are only added. Deactivate a user who made changes instead of deleting them.';
END;
$$ LANGUAGE plpgsql;
"""

TRIGGER = """
CREATE TRIGGER audit_row_never_changes BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION audit_row_never_changes();
"""

# Not a history table, but the same kind of record: who took which step of a nomination, when.
NOMINATION_EVENTS = "regional_nominationevent"


def audit_tables(apps) -> list[str]:
    """The history tables of the models as they stand at this migration."""
    tables = [
        model._meta.db_table
        for model in apps.get_models()
        if {"history_id", "m2m_history_id"} & {field.name for field in model._meta.get_fields()}
    ]
    return sorted(tables) + [NOMINATION_EVENTS]


def protect(apps, schema_editor):
    quote = schema_editor.quote_name
    # No parameters: the function's own "%" placeholders are PL/pgSQL's, not the driver's.
    schema_editor.execute(FUNCTION, params=None)
    for table in audit_tables(apps):
        schema_editor.execute(TRIGGER.format(table=quote(table)))


def unprotect(apps, schema_editor):
    quote = schema_editor.quote_name
    for table in audit_tables(apps):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS audit_row_never_changes ON {quote(table)}")
    schema_editor.execute("DROP FUNCTION IF EXISTS audit_row_never_changes()")


class Migration(migrations.Migration):
    dependencies = [
        ("assembly", "0004_history_of_user_accounts"),
        ("members", "0006_person_sort_name_in_kazakh_alphabetical_order"),
        ("regional", "0004_history_of_office_users_and_documents"),
        ("assembly_sessions", "0005_display_order_labels"),
    ]

    operations = [migrations.RunPython(protect, unprotect)]
