"""The Assembly, its Council and Secretariat, and the assembly, council and
secretariat of every region, with their posts. Names are data: a later
correction is a data edit."""

import datetime

from django.db import migrations

FOUNDED = datetime.date(1995, 3, 1)  # Presidential Decree of 1 March 1995

NATIONAL = [
    # slug, kind, kk, ru, en
    ("assembly", "assembly", "Қазақстан халқы Ассамблеясы", "Ассамблея народа Казахстана",
     "Assembly of the People of Kazakhstan"),
    ("council", "council", "Қазақстан халқы Ассамблеясының Кеңесі", "Совет Ассамблеи народа Казахстана",
     "Council of the Assembly of the People of Kazakhstan"),
    ("secretariat", "secretariat", "Қазақстан халқы Ассамблеясының Хатшылығы",
     "Секретариат Ассамблеи народа Казахстана", "Secretariat of the Assembly of the People of Kazakhstan"),
]  # fmt: skip

# The Russian genitive of each region's name, by KATO code.
RU_GENITIVE = {
    "10": "Абайской области", "11": "Акмолинской области", "15": "Актюбинской области",
    "19": "Алматинской области", "23": "Атырауской области", "27": "Западно-Казахстанской области",
    "31": "Жамбылской области", "33": "области Жетісу", "35": "Карагандинской области",
    "39": "Костанайской области", "43": "Кызылординской области", "47": "Мангистауской области",
    "55": "Павлодарской области", "59": "Северо-Казахстанской области", "61": "Туркестанской области",
    "62": "области Ұлытау", "63": "Восточно-Казахстанской области", "71": "города Астаны",
    "75": "города Алматы", "79": "города Шымкента",
}  # fmt: skip

# role, seats, kk, ru, en — per body kind.
POSTS = {
    "assembly": [
        ("chairman", 1, "Төраға", "Председатель", "Chairman"),
        ("deputy_chairman", 3, "Төрағаның орынбасары", "Заместитель Председателя", "Deputy Chairman"),
        ("member", None, "Ассамблея мүшесі", "Член Ассамблеи", "Member of the Assembly"),
    ],
    "council": [
        ("chairman", 1, "Кеңес төрағасы", "Председатель Совета", "Chairman of the Council"),
        ("member", None, "Кеңес мүшесі", "Член Совета", "Member of the Council"),
    ],
    "secretariat": [
        ("head", 1, "Хатшылық меңгерушісі", "Заведующий Секретариатом", "Head of the Secretariat"),
        ("deputy_head", None, "Хатшылық меңгерушісінің орынбасары", "Заместитель заведующего Секретариатом",
         "Deputy Head of the Secretariat"),
        ("staff", None, "Хатшылық қызметкері", "Сотрудник Секретариата", "Secretariat staff member"),
    ],
}  # fmt: skip


def create_body(Body, Post, *, slug, kind, kk, ru, en, region=None, parent=None, founded=FOUNDED, order=0):
    body, _ = Body.objects.update_or_create(
        slug=slug,
        defaults={
            "kind": kind,
            "name": kk,
            "name_kk": kk,
            "name_ru": ru,
            "name_en": en,
            "region": region,
            "parent": parent,
            "founded": founded,
            "sort_order": order,
        },
    )
    for position, (role, seats, label_kk, label_ru, label_en) in enumerate(POSTS[kind]):
        Post.objects.update_or_create(
            body=body,
            role=role,
            defaults={
                "seats": seats,
                "label": label_kk,
                "label_kk": label_kk,
                "label_ru": label_ru,
                "label_en": label_en,
                "sort_order": position,
            },
        )
    return body


def load(apps, schema_editor):
    Body = apps.get_model("assembly", "Body")
    Post = apps.get_model("assembly", "Post")
    Region = apps.get_model("regional", "Region")

    national = {}
    for order, (slug, kind, kk, ru, en) in enumerate(NATIONAL):
        parent = national.get("assembly")
        national[slug] = create_body(Body, Post, slug=slug, kind=kind, kk=kk, ru=ru, en=en, parent=parent, order=order)

    for region in Region.objects.order_by("kato"):
        founded = max(FOUNDED, region.valid_from) if region.valid_from else FOUNDED
        genitive = RU_GENITIVE[region.kato]
        assembly = create_body(
            Body, Post, slug=f"{region.slug}-assembly", kind="assembly", region=region, parent=national["assembly"],
            kk=f"{region.name_kk} Қазақстан халқы Ассамблеясы",
            ru=f"Ассамблея народа Казахстана {genitive}",
            en=f"Assembly of the People of Kazakhstan of {region.name_en}",
            founded=founded, order=10,
        )  # fmt: skip
        create_body(
            Body, Post, slug=f"{region.slug}-council", kind="council", region=region, parent=assembly,
            kk=f"{region.name_kk} Қазақстан халқы Ассамблеясының Кеңесі",
            ru=f"Совет Ассамблеи народа Казахстана {genitive}",
            en=f"Council of the Assembly of the People of Kazakhstan of {region.name_en}",
            founded=founded, order=11,
        )  # fmt: skip
        create_body(
            Body, Post, slug=f"{region.slug}-secretariat", kind="secretariat", region=region, parent=assembly,
            kk=f"{region.name_kk} Қазақстан халқы Ассамблеясының Хатшылығы",
            ru=f"Секретариат Ассамблеи народа Казахстана {genitive}",
            en=f"Secretariat of the Assembly of the People of Kazakhstan of {region.name_en}",
            founded=founded, order=12,
        )  # fmt: skip


def unload(apps, schema_editor):
    Body = apps.get_model("assembly", "Body")
    Post = apps.get_model("assembly", "Post")
    Post.objects.all().delete()
    # Children first: regional bodies point at the national Assembly.
    for _ in range(3):
        Body.objects.filter(children__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assembly", "0001_initial"),
        ("regional", "0002_load_regions"),
    ]

    operations = [migrations.RunPython(load, unload)]
