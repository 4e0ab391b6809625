"""The register and the meetings in the Popolo standard (https://www.popoloproject.com/):
one JSON object with the lists ``persons``, ``organizations``, ``posts``, ``memberships``,
``areas`` and ``events``, each object valid against the Popolo JSON schema of its kind.

Built from the rows of ``datasets``, so that it holds exactly what the CSV and JSON files
hold. Identifiers are ``<kind>/<slug or id>`` (``person/…``, ``body/…``, ``association/…``,
``post/…``, ``membership/…``, ``area/…``, ``event/…``): bodies and associations are both
organizations, and their slugs could meet. Texts are in Kazakh; a name's Russian and English
(Latin) forms are in ``other_names`` with a ``lang`` (other texts in the CSV and JSON files).
"""

import json
from collections.abc import Iterator
from typing import TextIO

from django.urls import reverse
from django.utils import translation

from . import datasets
from .datasets import ExportContext
from .writers import write_json_array

# The language tags of a name's other forms: Russian and English, except that a person's
# "English" name is the Kazakh name in the Latin alphabet.
OTHER_LANGUAGES = {"ru": "ru", "en": "en"}
PERSON_OTHER_LANGUAGES = {"ru": "ru", "en": "kk-Latn"}


def _ref(kind: str, key) -> str | None:
    return f"{kind}/{key}" if key is not None else None


def _other_names(row: dict, languages: dict[str, str] = OTHER_LANGUAGES) -> list[dict]:
    names = []
    for code, tag in languages.items():
        other = row[f"name_{code}"]
        if other and other != row["name_kk"]:
            names.append({"name": other, "lang": tag, "note": "multilingual"})
    return names


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _compact(item: dict) -> dict:
    """Without the empty properties: Popolo leaves out what is not known."""
    return {key: value for key, value in item.items() if value not in (None, "", [])}


def persons(context: ExportContext) -> Iterator[dict]:
    for row in datasets.person_rows(context):
        links = []
        if context.base_url:
            with translation.override("kk"):
                page = reverse("members:profile", args=[row["slug"]])
            links.append({"url": context.absolute(page), "note": "profile"})
        yield _compact(
            {
                "id": _ref("person", row["slug"]),
                "name": row["name_kk"],
                "other_names": _other_names(row, PERSON_OTHER_LANGUAGES),
                "family_name": row["surname"],
                "given_name": row["given_name"],
                "patronymic_name": row["patronymic"],
                "gender": row["gender"],
                "summary": row["position_kk"],
                "biography": row["biography_kk"],
                # Popolo wants an absolute address; without the site's, the photo is left out here.
                "image": row["photo"] if context.base_url else None,
                "links": links,
            }
        )


def organizations(context: ExportContext) -> Iterator[dict]:
    for row in datasets.body_rows(context):
        yield _compact(
            {
                "id": _ref("body", row["slug"]),
                "name": row["name_kk"],
                "other_names": _other_names(row),
                "classification": row["kind"],
                "parent_id": _ref("body", row["parent"]),
                "area_id": _ref("area", row["region"]),
                "founding_date": _date(row["founded"]),
                "dissolution_date": _date(row["dissolved"]),
            }
        )
    for row in datasets.association_rows(context):
        yield _compact(
            {
                "id": _ref("association", row["slug"]),
                "name": row["name_kk"],
                "other_names": _other_names(row),
                "classification": row["kind"],
                "area_id": _ref("area", row["region"]),
                "founding_date": _date(row["founded"]),
            }
        )


def posts(context: ExportContext) -> Iterator[dict]:
    for row in datasets.post_rows(context):
        yield _compact(
            {
                "id": _ref("post", row["id"]),
                "label": row["label_kk"],
                "other_label": [label for label in (row["label_ru"], row["label_en"]) if label],
                "role": row["role"],
                "organization_id": _ref("body", row["body"]),
            }
        )


def memberships(context: ExportContext) -> Iterator[dict]:
    for row in datasets.membership_rows(context):
        yield _compact(
            {
                "id": _ref("membership", row["id"]),
                "person_id": _ref("person", row["person"]),
                "organization_id": _ref("body", row["body"]),
                "post_id": _ref("post", row["post"]),
                "on_behalf_of_id": _ref("association", row["on_behalf_of"]),
                "start_date": _date(row["start_date"]),
                "end_date": _date(row["end_date"]),
            }
        )


def areas(context: ExportContext) -> Iterator[dict]:
    for row in datasets.region_rows(context):
        yield _compact(
            {
                "id": _ref("area", row["slug"]),
                "name": row["name_kk"],
                "other_names": _other_names(row),
                "identifier": row["kato"],
                "classification": row["kind"],
            }
        )


def events(context: ExportContext) -> Iterator[dict]:
    for row in datasets.meeting_rows(context):
        number = row["number"]
        yield _compact(
            {
                "id": _ref("event", row["id"]),
                "name": row["title_kk"],
                "description": row["theme_kk"],
                "start_date": _date(row["start_date"]),
                "end_date": _date(row["end_date"]),
                "location": row["venue_kk"],
                "status": row["status"],
                "classification": row["kind"],
                "organization_id": _ref("body", row["body"]),
                "identifiers": [{"identifier": str(number), "scheme": "number"}] if number else [],
            }
        )


# The lists of the export, in the order written.
KINDS = {
    "persons": persons,
    "organizations": organizations,
    "posts": posts,
    "memberships": memberships,
    "areas": areas,
    "events": events,
}


def write_popolo(handle: TextIO, context: ExportContext) -> None:
    """The Popolo export as one JSON object, each list streamed."""
    handle.write("{")
    for index, (kind, objects) in enumerate(KINDS.items()):
        handle.write(",\n" if index else "\n")
        handle.write(f"{json.dumps(kind)}:")
        write_json_array(handle, objects(context))
    handle.write("}\n")
