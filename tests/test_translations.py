"""The interface translations: Kazakh and Russian complete, English the source.

Django ignores fuzzy and empty entries and silently shows the English text instead, so
the .po files are read here directly; the rendered pages then prove the compiled
catalogues are the ones in use.
"""

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext

from members.models import Membership

LOCALE = Path(settings.LOCALE_PATHS[0])
TRANSLATED = ("kk", "ru")
PLACEHOLDER = re.compile(r"%\(\w+\)[-+ #0]*\d*(?:\.\d+)?[sdif]")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


@pytest.fixture(autouse=True)
def keep_the_active_language():
    """A request through the test client leaves its language active in the thread; later
    tests must not inherit it."""
    language = translation.get_language()
    yield
    translation.activate(language)


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


def _unquote(literal: str) -> str:
    return re.sub(r"\\(.)", lambda match: _ESCAPES[match.group(1)], literal.strip()[1:-1])


def read_po(language: str) -> tuple[Entry, list[Entry]]:
    """The header and the live entries of a language's django.po (obsolete ones are skipped)."""
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = []
    for block in text.strip().split("\n\n"):
        entry, key = Entry(), None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                value = _unquote(line)
                if key == "msgctxt":
                    entry.msgctxt += value
                elif key == "msgid":
                    entry.msgid += value
                elif key == "msgid_plural":
                    entry.msgid_plural += value
                else:
                    entry.msgstr[key] += value
            else:
                keyword, literal = line.split(" ", 1)
                if keyword == "msgctxt":
                    key, entry.msgctxt = "msgctxt", _unquote(literal)
                elif keyword == "msgid":
                    key, entry.msgid = "msgid", _unquote(literal)
                elif keyword == "msgid_plural":
                    key, entry.msgid_plural = "msgid_plural", _unquote(literal)
                else:
                    index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
                    key, entry.msgstr[index] = index, _unquote(literal)
        if key is not None:
            entries.append(entry)
    assert entries[0].msgid == "" and entries[0].msgctxt is None, "the .po file starts with its header"
    return entries[0], entries[1:]


def nplurals(header: Entry) -> int:
    return int(re.search(r"nplurals=(\d+)", header.msgstr[0]).group(1))


@pytest.mark.parametrize("language", (*TRANSLATED, "en"))
def test_the_header_names_the_language_and_utf8(language):
    header, _ = read_po(language)

    assert f"Language: {language}\n" in header.msgstr[0]
    assert "charset=UTF-8" in header.msgstr[0]
    assert "PACKAGE VERSION" not in header.msgstr[0]
    assert "fuzzy" not in header.flags


def test_the_three_catalogues_hold_the_same_messages():
    msgids = {
        language: {(entry.msgctxt, entry.msgid) for entry in read_po(language)[1]} for language in (*TRANSLATED, "en")
    }

    assert msgids["en"], "makemessages has produced the English catalogue"
    assert msgids["kk"] == msgids["en"]
    assert msgids["ru"] == msgids["en"]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    header, entries = read_po(language)
    forms = nplurals(header)

    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    untranslated = [
        entry.msgid
        for entry in entries
        if not all(entry.msgstr.get(index) for index in range(forms if entry.msgid_plural is not None else 1))
    ]
    assert fuzzy == []
    assert untranslated == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders(language):
    _, entries = read_po(language)

    wrong = []
    for entry in entries:
        if entry.msgid_plural is None:
            if sorted(PLACEHOLDER.findall(entry.msgstr[0])) != sorted(PLACEHOLDER.findall(entry.msgid)):
                wrong.append(entry.msgid)
            continue
        # A singular form may leave out the count ("This membership will end:"), never add a name.
        allowed = set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural))
        if any(not set(PLACEHOLDER.findall(text)) <= allowed for text in entry.msgstr.values()):
            wrong.append(entry.msgid)
    assert wrong == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_message_is_left_in_english(language):
    _, entries = read_po(language)

    # Texts made only of placeholders and punctuation read the same in every language.
    english = [
        entry.msgid
        for entry in entries
        if entry.msgstr.get(0) == entry.msgid and re.search(r"[A-Za-z]", PLACEHOLDER.sub("", entry.msgid))
    ]
    assert english == []


def test_the_kazakh_catalogue_is_written_with_the_kazakh_letters():
    _, entries = read_po("kk")
    text = " ".join(" ".join(entry.msgstr.values()) for entry in entries)

    assert set("әғқңөұүі") <= set(text)


def test_the_english_catalogue_leaves_the_source_text_alone():
    _, entries = read_po("en")

    assert [entry.msgid for entry in entries if any(entry.msgstr.values())] == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("language", TRANSLATED)
def test_msgfmt_accepts_the_catalogue_and_counts_no_gaps(language):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, LOCALE / language / "LC_MESSAGES" / "django.po"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "Қазақстан халқы Ассамблеясы"), ("ru", "Ассамблея народа Казахстана")],
)
def test_the_compiled_catalogue_translates_the_name_of_the_assembly(language, expected):
    with translation.override(language):
        assert gettext("Assembly of the People of Kazakhstan") == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("kk", "қайтыс болуы"), ("ru", "смерть"), ("en", "death")],
)
def test_a_ground_for_ending_a_membership_is_shown_in_the_language(language, expected):
    with translation.override(language):
        assert str(Membership.EndReason.DEATH.label) == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "1 место осталось"), (3, "3 места остались"), (5, "5 мест остались"), (21, "21 место осталось")],
)
def test_russian_plurals_follow_the_number(count, expected):
    with translation.override("ru"):
        message = ngettext("%(count)s seat remains unfilled.", "%(count)s seats remain unfilled.", count)

    assert (message % {"count": count}).startswith(expected)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title", "principle"),
    [
        (
            "kk",
            "<title>Қазақстан халқы Ассамблеясы — ҚХА</title>",
            "адамның және азаматтың құқықтары мен бостандықтарының басымдығы;",
        ),
        ("ru", "<title>Ассамблея народа Казахстана — АНК</title>", "приоритет прав и свобод человека и гражданина;"),
    ],
)
def test_the_home_page_is_rendered_in_the_language(client, language, title, principle):
    response = client.get(f"/{language}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert title in page
    assert principle in page
    assert "Assembly of the People of Kazakhstan" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "expected"), [("kk", "Мүшелер тізілімі"), ("ru", "Реестр членов")])
def test_the_staff_admin_shows_the_project_strings_translated(staff_client, language, expected):
    response = staff_client.get(f"/{language}/admin/")

    page = response.content.decode()
    assert response.status_code == 200
    assert expected in page
    assert "Register of members" not in page
