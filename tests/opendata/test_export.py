"""manage.py export_open_data: every file written, with what the database holds."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assembly.models import Body, Post
from assembly.opendata import writers
from assembly.opendata.datasets import DATASETS, SMALL_GROUP
from assembly.opendata.files import FILES, write_all
from members.models import Association, Membership, Person
from regional.models import Region
from sessions.models import AgendaItem, Candidate, Decision, Election, Meeting
from tests.factories import memberships_of, national_body

pytestmark = pytest.mark.django_db


def read_csv(path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def read_json(path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def by(rows: list[dict], key: str) -> dict:
    return {row[key]: row for row in rows}


def test_the_command_writes_every_file(exported, settings):
    root = settings.OPEN_DATA_ROOT

    assert sorted(path.name for path in root.iterdir()) == sorted(FILES)
    assert len(FILES) == 2 * len(DATASETS) + 2
    for path in root.iterdir():
        assert path.stat().st_size > 0, path.name
        assert oct(path.stat().st_mode & 0o777) == "0o644", path.name


def test_each_data_set_has_a_row_per_public_record(exported, settings):
    root = settings.OPEN_DATA_ROOT
    expected = {
        "regions": Region.objects.count(),
        "bodies": Body.objects.count(),
        "posts": Post.objects.count(),
        "persons": Person.objects.filter(memberships__isnull=False).distinct().count(),
        "memberships": Membership.objects.count(),
        "associations": Association.objects.count(),
        "sessions": Meeting.objects.count(),
        "agenda-items": AgendaItem.objects.count(),
        "decisions": Decision.objects.count(),
        "elections": Election.objects.count(),
        "candidates": Candidate.objects.count(),
    }
    for name, count in expected.items():
        assert count > 0, name
        assert len(read_csv(root / f"{name}.csv")) == count, name
        assert len(read_json(root / f"{name}.json")) == count, name


def test_csv_and_json_hold_the_same_rows(exported, settings):
    root = settings.OPEN_DATA_ROOT
    for dataset in DATASETS:
        csv_rows = read_csv(root / f"{dataset.name}.csv")
        json_rows = read_json(root / f"{dataset.name}.json")
        for csv_row, json_row in zip(csv_rows, json_rows, strict=True):
            flat = {}
            for column in dataset.columns:
                value = json_row[column.name]
                if column.translated:
                    flat.update({f"{column.name}_{code}": text for code, text in value.items()})
                elif value is None:
                    flat[column.name] = ""
                elif isinstance(value, bool):
                    flat[column.name] = "true" if value else "false"
                else:
                    flat[column.name] = str(value)
            assert flat == csv_row, dataset.name


def test_the_csv_files_are_utf8_with_a_byte_order_mark_and_commas(exported, settings):
    raw = (settings.OPEN_DATA_ROOT / "regions.csv").read_bytes()

    assert raw.startswith(b"\xef\xbb\xbfslug,kato,kind,name_kk,name_ru,name_en,")
    assert "Алматы".encode() in raw
    assert b"\r\n" in raw


def test_a_membership_row(exported, settings):
    deputy = exported["deputy"]
    root = settings.OPEN_DATA_ROOT

    row = by(read_csv(root / "memberships.csv"), "id")[str(deputy.pk)]
    item = by(read_json(root / "memberships.json"), "id")[deputy.pk]

    assert row == {
        "id": str(deputy.pk),
        "person": exported["planted"].slug,
        "body": "assembly",
        "post": str(deputy.post_id),
        "basis": "ethnocultural",
        "on_behalf_of": "od-association",
        "start_date": "2020-01-15",
        "end_date": "",
        "end_reason": "",
    }
    assert item["end_date"] is None and item["end_reason"] is None and item["post"] == deputy.post_id
    former = by(read_json(root / "memberships.json"), "id")[exported["former"].pk]
    assert (former["start_date"], former["end_date"], former["end_reason"]) == (
        "2015-03-01",
        "2019-12-31",
        "own_initiative",
    )


def test_a_person_row_has_the_public_fields_in_every_script(exported, settings):
    planted = exported["planted"]
    root = settings.OPEN_DATA_ROOT

    row = by(read_csv(root / "persons.csv"), "slug")[planted.slug]
    item = by(read_json(root / "persons.json"), "slug")[planted.slug]

    assert (row["surname"], row["given_name"], row["surname_latin"]) == ("Жасырынов", "Адам", planted.surname_latin)
    assert (row["name_kk"], row["name_en"]) == ("Жасырынов Адам", planted.full_name_latin)
    assert row["gender"] == "male" and row["ethnic_group"] == ""
    assert item["position"] == {"kk": "Қоғам қайраткері", "ru": "", "en": "Public figure"}
    assert item["photo"] == planted.photo.url and item["photo"].startswith("/")
    assert set(item) == {column.name for column in _dataset("persons").columns}


def test_a_published_ethnic_group_is_in_the_persons_file(exported, settings):
    rows = by(read_json(settings.OPEN_DATA_ROOT / "persons.json"), "slug")

    published, *unpublished = (rows[membership.person.slug] for membership in exported["sharers"])
    assert published["ethnic_group"] == "od-shared-group"
    assert [row["ethnic_group"] for row in unpublished] == [None, None]


def test_a_person_who_never_held_a_membership_is_not_published(exported, settings):
    slugs = {row["slug"] for row in read_json(settings.OPEN_DATA_ROOT / "persons.json")}

    assert exported["non_member"].slug not in slugs
    assert exported["outsider"].person.slug not in slugs
    assert exported["planted"].slug in slugs


def test_candidates_are_named_and_linked_only_when_public(exported, settings):
    rows = by(read_json(settings.OPEN_DATA_ROOT / "candidates.json"), "id")

    winner, outsider = rows[exported["winner"].pk], rows[exported["outsider"].pk]
    assert winner["person"] == exported["planted"].slug
    assert (winner["votes"], winner["elected"], winner["nominated_by"]) == (3, True, "council")
    assert outsider["person"] is None
    assert outsider["name"]["kk"].startswith("Үміткерова")
    assert (outsider["votes"], outsider["elected"]) == (1, False)


def test_sessions_agenda_decisions_and_elections(exported, settings):
    root = settings.OPEN_DATA_ROOT
    meeting, item, sub_item = exported["meeting"], exported["item"], exported["sub_item"]

    session = by(read_json(root / "sessions.json"), "id")[meeting.pk]
    assert session["body"] == "council" and session["number"] == 300 and session["status"] == "held"
    assert session["title"]["en"] == "Meeting No. 300 — Council of the Assembly of the People of Kazakhstan"
    assert session["venue"] == {"kk": "Астана", "ru": "Астана", "en": "Astana"}
    assert (session["convening_act_kind"], session["convening_act_number"]) == ("decree", "К-12")
    assert session["convening_act_date"] == "2020-01-15"

    items = by(read_json(root / "agenda-items.json"), "id")
    assert items[sub_item.pk]["parent"] == item.pk and items[item.pk]["parent"] is None
    assert items[item.pk]["title"] == {"kk": "Баяндама", "ru": "Доклад", "en": "Report"}

    decision = by(read_json(root / "decisions.json"), "id")[exported["decision"].pk]
    assert (decision["votes_for"], decision["votes_against"], decision["result"]) == (3, 1, "adopted")
    assert (decision["members_present"], decision["agenda_item"]) == (4, item.pk)

    election = by(read_json(root / "elections.json"), "id")[exported["election"].pk]
    assert (election["seats"], election["seats_filled"], election["ballots_cast"], election["tie"]) == (1, 1, 4, False)
    assert election["result"]["en"] == "1 of 1 seat filled."


def test_ethnic_groups_only_as_totals_with_small_groups_pooled(exported, settings):
    rows = [row for row in read_json(settings.OPEN_DATA_ROOT / "ethnic-groups.json") if row["body"] == "council"]

    assert SMALL_GROUP == 3
    shared = next(row for row in rows if row["ethnic_group"] == "od-shared-group")
    assert shared["members"] == 3 and shared["name"] == {"kk": "Ортақтар", "ru": "Общие", "en": "Sharers"}
    (pooled,) = (row for row in rows if row["ethnic_group"] is None)
    assert pooled["members"] == 1
    assert pooled["name"]["en"] == "Other groups (fewer than 3 members each)"
    assert len(rows) == 2


def test_translated_texts_have_a_column_per_language(exported, settings):
    header = next(csv.reader(io.StringIO((settings.OPEN_DATA_ROOT / "bodies.csv").read_text("utf-8-sig"))))
    assembly = by(read_json(settings.OPEN_DATA_ROOT / "bodies.json"), "slug")["assembly"]
    body = Body.objects.get(slug="assembly")

    assert header[header.index("name_kk") : header.index("name_kk") + 3] == ["name_kk", "name_ru", "name_en"]
    assert assembly["name"] == {"kk": body.name_kk, "ru": body.name_ru, "en": body.name_en}


def test_the_data_package_describes_every_csv_file(exported, settings):
    root = settings.OPEN_DATA_ROOT
    package = json.loads((root / "datapackage.json").read_text("utf-8"))

    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert [resource["path"] for resource in package["resources"]] == [f"{d.name}.csv" for d in DATASETS]
    for resource in package["resources"]:
        header = next(csv.reader(io.StringIO((root / resource["path"]).read_text("utf-8-sig"))))
        assert [field["name"] for field in resource["schema"]["fields"]] == header
        assert all(field["description"] for field in resource["schema"]["fields"])
    basis = next(field for field in _resource(package, "memberships")["schema"]["fields"] if field["name"] == "basis")
    assert basis["constraints"]["enum"] == list(Membership.Basis.values)


def test_output_and_base_url(register, tmp_path, settings):
    call_command("export_open_data", output=tmp_path / "elsewhere", base_url="https://apk.example.kz/", verbosity=0)

    assert not settings.OPEN_DATA_ROOT.exists()
    persons = by(read_json(tmp_path / "elsewhere" / "persons.json"), "slug")
    planted = register["planted"]
    assert persons[planted.slug]["photo"] == f"https://apk.example.kz{planted.photo.url}"
    popolo = json.loads((tmp_path / "elsewhere" / "popolo.json").read_text("utf-8"))
    person = next(item for item in popolo["persons"] if item["id"] == f"person/{planted.slug}")
    assert person["image"] == f"https://apk.example.kz{planted.photo.url}"
    assert person["links"] == [{"url": f"https://apk.example.kz/kk/members/{planted.slug}/", "note": "profile"}]


def test_a_base_url_that_is_not_an_address_is_refused(db, settings):
    with pytest.raises(CommandError, match="--base-url"):
        call_command("export_open_data", base_url="apk.example.kz", verbosity=0)
    assert not settings.OPEN_DATA_ROOT.exists()


def test_a_file_is_replaced_whole_or_not_at_all(tmp_path):
    path = tmp_path / "persons.csv"
    path.write_text("the previous file", encoding="utf-8")

    def fails_halfway(handle):
        handle.write("half of a new file")
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        writers.write_atomically(path, fails_halfway, encoding="utf-8")

    assert path.read_text(encoding="utf-8") == "the previous file"
    assert [child.name for child in tmp_path.iterdir()] == ["persons.csv"]


def test_rows_are_streamed_to_the_file_not_gathered_first(tmp_path):
    handle = io.StringIO()

    def rows():
        for number in range(3):
            # Each row is in the file before the next one is read.
            assert handle.getvalue().count("{") == number
            yield {"n": number}

    writers.write_json_array(handle, rows())

    assert json.loads(handle.getvalue()) == [{"n": 0}, {"n": 1}, {"n": 2}]


def test_the_export_reads_in_a_constant_number_of_queries(register, tmp_path):
    """The rows are read in chunks, never a query per row: 30 more members (and persons) cost
    no query more. (The ethnic group totals cost a few queries per assembly or council.)"""

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            write_all(directory=tmp_path / "out")
        return len(captured)

    before = queries()
    memberships_of(national_body("council"), 30)

    assert queries() == before


def _dataset(name: str):
    return next(dataset for dataset in DATASETS if dataset.name == name)


def _resource(package: dict, name: str) -> dict:
    return next(resource for resource in package["resources"] if resource["name"] == name)
