"""Give the Secretariat groups their permissions on sessions and meetings."""

from django.db import migrations

MODELS = ["meetingrules", "meeting", "agendaitem", "document", "attendance", "decision", "election", "candidate"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("assembly_sessions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="assembly_sessions", content_type__model__in=MODELS)
    Group.objects.get(name="Secretariat editor").permissions.add(*permissions)
    Group.objects.get(name="Secretariat viewer").permissions.add(*permissions.filter(codename__startswith="view_"))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="assembly_sessions")
    for group in Group.objects.filter(name__in=["Secretariat editor", "Secretariat viewer"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("assembly_sessions", "0002_load_known_sessions"),
        ("members", "0003_secretariat_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
