"""Search names: collapse doubled letters and fold "shch", so "Kassym"/«Қасым» and
"Shchukin"/«Щукин»/"Şşukin" meet."""

import django.contrib.postgres.indexes
import django.db.models.functions.text
import members.transliteration
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0004_load_ethnic_groups'),
    ]

    operations = [
        # PostgreSQL cannot alter a generated column's expression: drop and re-add it.
        migrations.RemoveIndex(model_name="person", name="person_search_name_trgm"),
        migrations.RemoveField(model_name="person", name="search_name"),
        migrations.AddField(
            model_name="person",
            name="search_name",
            field=models.GeneratedField(db_persist=True, expression=django.db.models.functions.text.Replace(django.db.models.functions.text.Replace(django.db.models.functions.text.Replace(django.db.models.functions.text.Replace(members.transliteration._RegexpReplace(django.db.models.functions.text.Replace(django.db.models.functions.text.Replace(django.db.models.functions.text.Replace(django.db.models.functions.text.Replace(django.db.models.functions.text.Replace(django.db.models.functions.text.Replace(members.transliteration._Translate(django.db.models.functions.text.Lower(django.db.models.functions.text.Concat('surname', models.Value(' '), 'given_name', models.Value(' '), 'patronymic', models.Value(' '), 'surname_ru', models.Value(' '), 'given_name_ru', models.Value(' '), 'patronymic_ru', models.Value(' '), 'surname_latin', models.Value(' '), 'given_name_latin', models.Value(' '), 'patronymic_latin')), models.Value("аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщыіэюяАӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЫІЭЮЯäğıñöşūüqywÄĞİÑÖŞŪÜъьЪЬ̇'’`-"), models.Value('aabvggdeejziikklmnnooprstuuufhhccssiieuaaabvggdeejziikklmnnooprstuuufhhccssiieuaaginosuukivaginosuu')), models.Value('shch'), models.Value('s')), models.Value('zh'), models.Value('j')), models.Value('kh'), models.Value('h')), models.Value('sh'), models.Value('s')), models.Value('ch'), models.Value('c')), models.Value('ts'), models.Value('c')), models.Value('(.)\\1+'), models.Value('\\1'), models.Value('g')), models.Value('iu'), models.Value('u')), models.Value('ia'), models.Value('a')), models.Value('io'), models.Value('o')), models.Value('ie'), models.Value('e')), output_field=models.TextField()),
        ),
        migrations.AddIndex(
            model_name="person",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_name"], name="person_search_name_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
    ]
