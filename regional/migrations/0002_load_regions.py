"""The 20 regions that have an assembly today (shared/reference/regions.csv)."""

import datetime

from django.db import migrations

# kato, kind, kk, ru, en, centre kk, centre ru, centre en, valid_from
REGIONS = [
    ("10", "oblast", "Абай облысы", "Абайская область", "Abai Region", "Семей", "Семей", "Semey", "2022-06-08"),
    ("11", "oblast", "Ақмола облысы", "Акмолинская область", "Akmola Region", "Көкшетау", "Кокшетау", "Kokshetau", None),
    ("15", "oblast", "Ақтөбе облысы", "Актюбинская область", "Aktobe Region", "Ақтөбе", "Актобе", "Aktobe", None),
    ("19", "oblast", "Алматы облысы", "Алматинская область", "Almaty Region", "Қонаев", "Конаев", "Konaev", None),
    ("23", "oblast", "Атырау облысы", "Атырауская область", "Atyrau Region", "Атырау", "Атырау", "Atyrau", None),
    ("27", "oblast", "Батыс Қазақстан облысы", "Западно-Казахстанская область", "West Kazakhstan Region", "Орал",
     "Уральск", "Oral", None),
    ("31", "oblast", "Жамбыл облысы", "Жамбылская область", "Zhambyl Region", "Тараз", "Тараз", "Taraz", None),
    ("33", "oblast", "Жетісу облысы", "Область Жетісу", "Zhetysu Region", "Талдықорған", "Талдыкорган",
     "Taldykorgan", "2022-06-08"),
    ("35", "oblast", "Қарағанды облысы", "Карагандинская область", "Karaganda Region", "Қарағанды", "Караганда",
     "Karaganda", None),
    ("39", "oblast", "Қостанай облысы", "Костанайская область", "Kostanay Region", "Қостанай", "Костанай",
     "Kostanay", None),
    ("43", "oblast", "Қызылорда облысы", "Кызылординская область", "Kyzylorda Region", "Қызылорда", "Кызылорда",
     "Kyzylorda", None),
    ("47", "oblast", "Маңғыстау облысы", "Мангистауская область", "Mangystau Region", "Ақтау", "Актау", "Aktau",
     None),
    ("55", "oblast", "Павлодар облысы", "Павлодарская область", "Pavlodar Region", "Павлодар", "Павлодар",
     "Pavlodar", None),
    ("59", "oblast", "Солтүстік Қазақстан облысы", "Северо-Казахстанская область", "North Kazakhstan Region",
     "Петропавл", "Петропавловск", "Petropavl", None),
    ("61", "oblast", "Түркістан облысы", "Туркестанская область", "Turkistan Region", "Түркістан", "Туркестан",
     "Turkistan", None),
    ("62", "oblast", "Ұлытау облысы", "Область Ұлытау", "Ulytau Region", "Жезқазған", "Жезказган", "Zhezkazgan",
     "2022-06-08"),
    ("63", "oblast", "Шығыс Қазақстан облысы", "Восточно-Казахстанская область", "East Kazakhstan Region",
     "Өскемен", "Усть-Каменогорск", "Oskemen", None),
    ("71", "capital", "Астана қаласы", "город Астана", "Astana", "Астана", "Астана", "Astana", None),
    ("75", "city", "Алматы қаласы", "город Алматы", "Almaty", "Алматы", "Алматы", "Almaty", None),
    ("79", "city", "Шымкент қаласы", "город Шымкент", "Shymkent", "Шымкент", "Шымкент", "Shymkent", "2018-06-19"),
]


def load(apps, schema_editor):
    from django.utils.text import slugify

    Region = apps.get_model("regional", "Region")
    for kato, kind, kk, ru, en, centre_kk, centre_ru, centre_en, valid_from in REGIONS:
        Region.objects.update_or_create(
            kato=kato,
            defaults={
                "slug": slugify(en),
                "kind": kind,
                "name": kk,
                "name_kk": kk,
                "name_ru": ru,
                "name_en": en,
                "centre": centre_kk,
                "centre_kk": centre_kk,
                "centre_ru": centre_ru,
                "centre_en": centre_en,
                "valid_from": datetime.date.fromisoformat(valid_from) if valid_from else None,
            },
        )


def unload(apps, schema_editor):
    apps.get_model("regional", "Region").objects.filter(kato__in=[row[0] for row in REGIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("regional", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
