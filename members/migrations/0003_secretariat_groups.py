"""The staff groups "Secretariat editor" and "Secretariat viewer"."""

from django.db import migrations

EDITOR = "Secretariat editor"
VIEWER = "Secretariat viewer"
# Models the editors keep; the regions are reference data they only read.
EDITED = {
    "assembly": ["legalact", "body", "post"],
    "members": ["ethnicgroup", "association", "person", "membership"],
}
READ_ONLY = {"regional": ["region"]}


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(models_by_app, actions):
        for app_label, models in models_by_app.items():
            for model in models:
                for action in actions:
                    yield Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")

    editor, _ = Group.objects.get_or_create(name=EDITOR)
    editor.permissions.set(
        [
            *permissions(EDITED, ["add", "change", "delete", "view"]),
            *permissions(READ_ONLY, ["view"]),
        ]
    )
    viewer, _ = Group.objects.get_or_create(name=VIEWER)
    viewer.permissions.set(list(permissions({**EDITED, **READ_ONLY}, ["view"])))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITOR, VIEWER]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("assembly", "0002_load_bodies"),
        ("regional", "0002_load_regions"),
        ("members", "0002_single_seat_trigger"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
