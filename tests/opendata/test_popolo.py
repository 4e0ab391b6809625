"""popolo.json against the Popolo JSON schemas (draft-03), with their references to
popoloproject.com resolved to the copies in tests/data/popolo-schemas/."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft3Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from assembly.opendata.popolo import KINDS

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "popolo-schemas"
SCHEMA_OF_KIND = {
    "persons": "person",
    "organizations": "organization",
    "posts": "post",
    "memberships": "membership",
    "areas": "area",
    "events": "event",
}


def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["id"].removesuffix("#"), Resource.from_contents(schema, default_specification=DRAFT3)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validator(kind: str) -> Draft3Validator:
    schema = REGISTRY.contents(f"http://www.popoloproject.com/schemas/{SCHEMA_OF_KIND[kind]}.json")
    return Draft3Validator(schema, registry=REGISTRY, format_checker=Draft3Validator.FORMAT_CHECKER)


@pytest.fixture
def popolo(exported, settings) -> dict:
    return json.loads((settings.OPEN_DATA_ROOT / "popolo.json").read_text(encoding="utf-8"))


def test_every_object_validates_against_its_popolo_schema(popolo):
    assert list(popolo) == list(KINDS) == list(SCHEMA_OF_KIND)
    for kind, objects in popolo.items():
        assert objects, kind
        check = validator(kind)
        for item in objects:
            errors = [error.message for error in check.iter_errors(item)]
            assert errors == [], (kind, item["id"], errors)


@pytest.mark.parametrize(
    ("kind", "broken"),
    [
        ("persons", {"id": "person/x", "birth_date": "23.07.1961"}),
        ("persons", {"id": "person/x", "other_names": [{"name": 5}]}),
        ("persons", {"id": "person/x", "links": [{"note": "a link without its address"}]}),
        ("organizations", {"id": "body/x", "founding_date": "1 March 1995"}),
        ("organizations", {"id": "body/x", "identifiers": [{"scheme": "kato"}]}),
        ("posts", {"id": "post/1", "other_label": "not a list"}),
        ("memberships", {"id": "membership/1", "start_date": "15/01/2020"}),
        ("memberships", {"id": "membership/1", "person": {"name": ["not", "a", "string"]}}),
        ("areas", {"id": "area/x", "identifier": 75}),
        ("events", {"id": "event/1", "start_date": "01.05.2024"}),
        ("events", {"id": "event/1", "attendees": [{"birth_date": "1 May"}]}),
    ],
)
def test_a_broken_object_is_rejected(kind, broken):
    """The schemas are really applied, references included: each of these breaks a rule."""
    assert list(validator(kind).iter_errors(broken))


def test_the_popolo_export_holds_the_register(popolo, exported):
    ids = {kind: {item["id"] for item in objects} for kind, objects in popolo.items()}
    planted = exported["planted"]

    person = next(item for item in popolo["persons"] if item["id"] == f"person/{planted.slug}")
    assert (person["name"], person["family_name"], person["given_name"]) == ("Жасырынов Адам", "Жасырынов", "Адам")
    assert {"name": planted.full_name_latin, "lang": "kk-Latn", "note": "multilingual"} in person["other_names"]
    # Without the site's address the export has no absolute address to give.
    assert "image" not in person and "links" not in person

    deputy = next(item for item in popolo["memberships"] if item["id"] == f"membership/{exported['deputy'].pk}")
    assert deputy == {
        "id": f"membership/{exported['deputy'].pk}",
        "person_id": f"person/{planted.slug}",
        "organization_id": "body/assembly",
        "post_id": f"post/{exported['deputy'].post_id}",
        "on_behalf_of_id": "association/od-association",
        "start_date": "2020-01-15",
    }
    assert "association/od-association" in ids["organizations"] and "body/council" in ids["organizations"]
    assert "area/almaty" in ids["areas"]
    event = next(item for item in popolo["events"] if item["id"] == f"event/{exported['meeting'].pk}")
    assert (event["organization_id"], event["start_date"], event["location"]) == (
        "body/council",
        "2024-05-01",
        "Астана",
    )


def test_every_reference_points_at_an_object_of_the_export(popolo):
    ids = {kind: {item["id"] for item in objects} for kind, objects in popolo.items()}
    references = [
        ("memberships", "person_id", "persons"),
        ("memberships", "organization_id", "organizations"),
        ("memberships", "post_id", "posts"),
        ("memberships", "on_behalf_of_id", "organizations"),
        ("posts", "organization_id", "organizations"),
        ("organizations", "parent_id", "organizations"),
        ("organizations", "area_id", "areas"),
        ("events", "organization_id", "organizations"),
    ]
    for kind, key, target in references:
        for item in popolo[kind]:
            if key in item:
                assert item[key] in ids[target], (kind, item["id"], key)
    all_ids = [identifier for objects in ids.values() for identifier in objects]
    assert sum(len(objects) for objects in popolo.values()) == len(set(all_ids))
