"""The reference list of ethnic groups living in Kazakhstan, in Kazakh, Russian and
English (members.reference_data.ETHNIC_GROUPS). Names are data: a later correction
is a data edit."""

from django.db import migrations

from members.reference_data import ETHNIC_GROUPS


def load(apps, schema_editor):
    EthnicGroup = apps.get_model("members", "EthnicGroup")
    for group in ETHNIC_GROUPS:
        EthnicGroup.objects.update_or_create(
            slug=group.slug,
            defaults={
                # modeltranslation keeps the original column: it holds the default (Kazakh) name.
                "name": group.kk,
                "name_kk": group.kk,
                "name_ru": group.ru,
                "name_en": group.en,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("members", "EthnicGroup").objects.filter(slug__in=[group.slug for group in ETHNIC_GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0003_secretariat_groups")]

    operations = [migrations.RunPython(load, unload)]
