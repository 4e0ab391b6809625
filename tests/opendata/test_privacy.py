"""No private value reaches any open data file (read as raw bytes) nor the open data page."""

import json
import re

import pytest
from django.core.management import call_command

from members import services as member_services
from members.transliteration import to_latin
from tests.public.helpers import LANGUAGES

from .conftest import (
    BIRTH_DATE,
    EMAIL,
    MEETING_NOTE,
    NOMINEE,
    NON_MEMBER_SURNAME,
    NOTE,
    PHONE,
    RESTRICTED_TITLE,
    SECRET_GROUP,
)

pytestmark = pytest.mark.django_db


def private_values(register) -> dict[str, str]:
    planted, nomination, non_member = register["planted"], register["nomination"], register["non_member"]
    return {
        "IIN": planted.iin,
        "date of birth": BIRTH_DATE.isoformat(),
        "date of birth (local)": BIRTH_DATE.strftime("%d.%m.%Y"),
        "year of birth": str(BIRTH_DATE.year),
        "phone": PHONE,
        "e-mail": EMAIL,
        "e-mail name": EMAIL.split("@")[0],
        "unpublished ethnic group": SECRET_GROUP["slug"],
        **{f"unpublished ethnic group ({code})": SECRET_GROUP[f"name_{code}"] for code in ("kk", "ru", "en")},
        "internal note": NOTE,
        "meeting's note": MEETING_NOTE,
        "restricted document": RESTRICTED_TITLE,
        "nominee": NOMINEE["surname"],
        "nominee (Latin)": to_latin(NOMINEE["surname"]),
        "nominee IIN": nomination.iin,
        "nominee phone": NOMINEE["phone"],
        "nominee e-mail": NOMINEE["email"],
        "person without membership": NON_MEMBER_SURNAME,
        "person without membership (slug)": non_member.slug,
        "person without membership (phone)": non_member.phone,
    }


def test_no_private_value_is_in_any_file(exported, settings):
    private = private_values(exported)
    files = sorted(settings.OPEN_DATA_ROOT.iterdir())

    assert len(files) == 26
    for path in files:
        raw = path.read_bytes()
        digits = re.sub(rb"\D", b"", raw)
        for label, value in private.items():
            assert value.encode() not in raw, (path.name, label)
            # JSON may escape non-ASCII text; the files never do, but the check must not depend on it.
            assert json.dumps(value).encode() not in raw, (path.name, label)
        assert b"7773141592" not in digits, path.name
    # The planted member really is in the files, and with their public fields.
    persons = (settings.OPEN_DATA_ROOT / "persons.csv").read_bytes()
    assert exported["planted"].slug.encode() in persons and "Қоғам қайраткері".encode() in persons


def test_no_private_value_is_on_the_open_data_page(exported, client):
    private = private_values(exported)
    for language in LANGUAGES:
        page = client.get(f"/{language}/open-data/").content.decode()
        for label, value in private.items():
            assert value not in page, (language, label)


def test_the_ethnic_group_is_published_only_with_consent(exported, settings):
    """The check above can fail: once the member agrees, the group is in the persons file."""
    member_services.person_update(person=exported["planted"], ethnicity_public=True)

    call_command("export_open_data", verbosity=0)

    persons = (settings.OPEN_DATA_ROOT / "persons.csv").read_bytes()
    assert SECRET_GROUP["slug"].encode() in persons
    assert exported["planted"].iin.encode() not in persons and EMAIL.encode() not in persons
