"""The known sessions of the Assembly (shared/reference/assembly_sessions.csv) and the
Councils' meeting rules (quorum: at least two thirds of all members; decisions: two
thirds of those present — Law art. 12). Gaps in the numbering are sessions whose
details are not known yet. Themes are stored in the languages the sources give.
"""

import datetime

from django.db import migrations

# number, kind, start, end, themes {lang: text}, note, convening act (number, date) or None
SESSIONS = [
    (1, "regular", "1995-03-24", "1995-03-24", {},
     "First session after the Presidential Decree of 1 March 1995 founding the Assembly", None),
    (19, "regular", "2012-04-27", "2012-04-27",
     {"ru": "«Казахстанский путь: стабильность, единство и модернизация»",
      "kk": "«Қазақстан жолы: тұрақтылық, бірлік, жаңғыру»",
      "en": "“The Kazakhstan Way: stability, unity and modernization”"}, "", None),
    (22, "regular", "2015-04-22", "2015-04-22",
     {"en": "20th anniversary of the Assembly", "kk": "Ассамблеяның 20 жылдығы", "ru": "20-летие Ассамблеи"},
     "", None),
    (23, "extraordinary", "2016-03-21", "2016-03-21", {}, "Election of 9 deputies of the Mazhilis", None),
    (24, "regular", "2016-04-26", "2016-04-26", {"en": "Independence. Accord. Nation of common future"}, "", None),
    (25, "regular", "2017-04-26", "2017-04-26", {"en": "Stability, unity, consensus: the basis of modernization"},
     "", None),
    (27, "regular", "2019-04-29", "2019-04-29", {"en": "Formula of Peace and Harmony: Unity and Modernization"},
     "", None),
    (28, "extraordinary", "2021-01-11", "2021-01-11", {},
     "Election of 9 deputies of the Mazhilis (convened by Decree No. 439 of 21 October 2020)", ("439", "2020-10-21")),
    (29, "regular", "2021-04-28", "2021-04-28", {"en": "30 Years of Unity, Peace and Harmony"},
     "Chairmanship passed to the President of the Republic", None),
    (31, "regular", "2022-04-29", "2022-04-29",
     {"ru": "«Единство народа – основа обновлённого Казахстана»",
      "en": "“The unity of the people is the foundation of a renewed Kazakhstan”"}, "", None),
    (32, "regular", "2023-04-26", "2023-04-27",
     {"ru": "«Справедливый Казахстан: единство, стабильность, развитие»",
      "kk": "«Әділетті Қазақстан: бірлік, тұрақтылық, даму»",
      "en": "“Just Kazakhstan: unity, stability, development”"},
     "Convened by decree of 27 March 2023", ("", "2023-03-27")),
    (33, "regular", "2024-04-24", "2024-04-25", {"en": "Unity. Creation. Progress"},
     "Convened by decree of 20 March 2024", ("", "2024-03-20")),
    (34, "regular", "2025-04-23", "2025-04-24",
     {"kk": "«Бірлік пен келісім жолындағы 30 жыл»", "ru": "«30 лет на пути единства и согласия»",
      "en": "“30 years on the path of unity and accord”"}, "", None),
]  # fmt: skip


def load(apps, schema_editor):
    Body = apps.get_model("assembly", "Body")
    LegalAct = apps.get_model("assembly", "LegalAct")
    Meeting = apps.get_model("assembly_sessions", "Meeting")
    MeetingRules = apps.get_model("assembly_sessions", "MeetingRules")

    assembly = Body.objects.get(slug="assembly")
    for number, kind, start, end, themes, note, act in SESSIONS:
        convened_by = None
        if act is not None:
            act_number, act_date = act
            convened_by, _ = LegalAct.objects.get_or_create(
                kind="decree",
                number=act_number,
                date=datetime.date.fromisoformat(act_date),
                defaults={"issuer": "Қазақстан Республикасының Президенті", "title": "Сессияны шақыру туралы"},
            )
        Meeting.objects.update_or_create(
            body=assembly,
            number=number,
            defaults={
                "kind": kind,
                "status": "held",
                "start_date": datetime.date.fromisoformat(start),
                "end_date": datetime.date.fromisoformat(end) if end != start else None,
                "theme": themes.get("kk", ""),
                "theme_kk": themes.get("kk", ""),
                "theme_ru": themes.get("ru", ""),
                "theme_en": themes.get("en", ""),
                "note": note,
                "convened_by": convened_by,
            },
        )

    for council in Body.objects.filter(kind="council"):
        MeetingRules.objects.update_or_create(
            body=council,
            defaults={
                "quorum_comparison": "at_least",
                "quorum_numerator": 2,
                "quorum_denominator": 3,
                "default_majority": "two_thirds_present",
            },
        )


def unload(apps, schema_editor):
    Meeting = apps.get_model("assembly_sessions", "Meeting")
    Meeting.objects.filter(body__slug="assembly", number__in=[row[0] for row in SESSIONS]).delete()
    apps.get_model("assembly_sessions", "MeetingRules").objects.filter(body__kind="council").delete()


class Migration(migrations.Migration):
    dependencies = [("assembly_sessions", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
