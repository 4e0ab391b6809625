"""Backup and restore (``manage.py backup`` and ``restore``, ``assembly.backups``): a backup
restored into an empty database on the same server has every row of every table and every
media file; a restore that must not happen (a database that is not empty without --yes, a
damaged file, a file that is no backup) changes nothing.

pg_dump and pg_restore run in other processes and see only committed data: the test with
its own records runs outside a transaction (and puts the migrations' reference data back
after it); the others back up the test database as the migrations left it, once."""

import hashlib
import io
import json
import re
import shutil
import tarfile
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings
from django.utils import translation
from psycopg2 import sql

from assembly import backups
from members.models import Person
from tests.factories import (
    DocumentFactory,
    MembershipFactory,
    NominationFactory,
    PersonFactory,
    image_bytes,
    memberships_of,
    national_body,
    upload,
)


def folders(root: Path) -> dict[str, Path]:
    return {
        "MEDIA_ROOT": root / "media",
        "PRIVATE_MEDIA_ROOT": root / "private-media",
        "BACKUP_ROOT": root / "backups",
    }


@pytest.fixture(autouse=True)
def _folders(settings, tmp_path):
    # Never the shared test media folders: a restore replaces the whole content of both.
    for name, folder in folders(tmp_path).items():
        setattr(settings, name, folder)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def connect(dbname: str):
    parameters = {**backups.Database(connection.settings_dict).parameters(), "dbname": dbname}
    database = psycopg2.connect(**parameters)
    database.autocommit = True
    return database


def url_of(dbname: str) -> str:
    """The URL an operator would give for ``dbname`` on the test server (its host may be a socket folder)."""
    entry = connection.settings_dict
    host = quote(entry["HOST"] or "localhost", safe="")
    return f"postgresql://{quote(entry['USER'])}@{host}:{entry['PORT'] or 5432}/{quote(dbname)}"


def rows_of(dbname: str) -> dict[str, list]:
    """Every row of every table of ``dbname``, in a stable order."""
    database = connect(dbname)
    try:
        with database.cursor() as cursor:
            cursor.execute(backups.TABLES_QUERY)
            tables = cursor.fetchall()
            rows = {}
            for schema, table in tables:
                cursor.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(schema, table)))
                rows[f"{schema}.{table}"] = sorted(cursor.fetchall(), key=repr)
    finally:
        database.close()
    return rows


def files_of(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()}


def media() -> dict[str, dict[str, bytes]]:
    return {"media": files_of(settings.MEDIA_ROOT), "private": files_of(settings.PRIVATE_MEDIA_ROOT)}


def backup(**options) -> Path:
    output = io.StringIO()
    call_command("backup", stdout=output, **options)
    written = sorted(Path(settings.BACKUP_ROOT).iterdir())
    assert len(written) == 1
    assert str(written[0]) in output.getvalue()
    return written[0]


def restore(path: Path, dbname: str, **options) -> str:
    output = io.StringIO()
    call_command("restore", str(path), database_url=url_of(dbname), stdout=output, stderr=io.StringIO(), **options)
    return output.getvalue()


def manifest_of(path: Path) -> dict:
    with tarfile.open(path) as archive:
        return json.loads(archive.extractfile(backups.MANIFEST_NAME).read())


@pytest.fixture(scope="module")
def spare_database(django_db_setup):
    """A second database on the test server, for the restores; dropped at the end."""
    name = f"{connection.settings_dict['NAME']}_restore"
    server = connect("postgres")
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    try:
        with server.cursor() as cursor:
            cursor.execute(drop)
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        yield name
        with server.cursor() as cursor:
            cursor.execute(drop)
    finally:
        server.close()


@pytest.fixture
def empty_database(spare_database):
    """The spare database with nothing in it: as new, and faster than a new one."""
    database = connect(spare_database)
    try:
        with database.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    finally:
        database.close()
    return spare_database


@pytest.fixture
def occupied_database(empty_database):
    """A database with a table and a row of its own, and a file in each media folder: what
    a restore that went ahead would change."""
    database = connect(empty_database)
    try:
        with database.cursor() as cursor:
            cursor.execute("CREATE TABLE keep (note text)")
            cursor.execute("INSERT INTO keep VALUES ('still here')")
    finally:
        database.close()
    for folder in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "kept.txt").write_text("still here")
    return empty_database


@pytest.fixture(scope="module")
def reference(django_db_setup, tmp_path_factory):
    """A backup of the test database as the migrations left it (its reference data: regions,
    bodies, groups ...) with a media file and a private one; with those rows and files."""
    root = tmp_path_factory.mktemp("reference")
    with override_settings(**folders(root)):
        settings.MEDIA_ROOT.mkdir()
        settings.PRIVATE_MEDIA_ROOT.mkdir()
        (settings.MEDIA_ROOT / "minutes.pdf").write_bytes(b"%PDF-1.4 minutes " * 100)
        (settings.PRIVATE_MEDIA_ROOT / "decision.pdf").write_bytes(b"%PDF-1.4 decision " * 100)
        path = backup()
        return path, rows_of(connection.settings_dict["NAME"]), media()


@pytest.fixture
def reference_backup(reference, tmp_path) -> Path:
    """A copy of the reference backup, to spoil at will."""
    return Path(shutil.copy(reference[0], tmp_path / "reference.tar"))


def build_records():
    """Persons (one with a photo) and their memberships, a meeting with a document, and a
    nomination with its uploaded decision."""
    person = PersonFactory(photo=upload("photo.png", image_bytes(), "image/png"))
    MembershipFactory(person=person)
    memberships_of(national_body(), 3)
    DocumentFactory(is_public=True)
    NominationFactory()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restored_into_an_empty_database_has_every_row_and_every_file(empty_database):
    build_records()
    rows = rows_of(connection.settings_dict["NAME"])
    files = media()
    assert any(name.startswith("persons/") for name in files["media"])
    assert any(name.startswith("meetings/") for name in files["media"])
    assert any(name.startswith("nominations/") for name in files["private"])

    path = backup()

    assert path.suffix == ".tar"
    assert path.stat().st_mode & 0o777 == 0o600
    manifest = manifest_of(path)
    assert manifest["database"]["name"] == connection.settings_dict["NAME"]
    latest = {record.app: record.name for record in MigrationRecorder(connection).migration_qs.order_by("id")}
    assert manifest["migrations"] == latest
    assert manifest["tables"] == {table.removeprefix("public."): len(found) for table, found in rows.items()}
    assert manifest["tables"]["members_person"] == Person.objects.count() == 4
    assert set(manifest["files"]) == {backups.DUMP_NAME} | {f"media/{name}" for name in files["media"]} | {
        f"private-media/{name}" for name in files["private"]
    }

    # A new machine: nothing but the backup.
    shutil.rmtree(settings.MEDIA_ROOT)
    shutil.rmtree(settings.PRIVATE_MEDIA_ROOT)
    report = restore(path, empty_database)

    assert rows_of(empty_database) == rows
    assert media() == files
    assert f"All {len(rows)} tables have the rows of the backup" in report
    assert "members_person: 4 rows (the backup has 4)" in report


def test_restore_refuses_a_database_that_is_not_empty_unless_told_yes(occupied_database, reference, reference_backup):
    _path, rows, files = reference
    before = rows_of(occupied_database), media()

    with pytest.raises(CommandError, match="is not empty .*--yes"):
        restore(reference_backup, occupied_database)
    assert (rows_of(occupied_database), media()) == before

    report = restore(reference_backup, occupied_database, yes=True)

    assert "replacing its 1 tables" in report
    # The backup's tables replace the database's own; a table the backup does not have stays.
    assert rows_of(occupied_database) == {**rows, "public.keep": [("still here",)]}
    # The media folders hold the backup's files, and only those.
    assert media() == files


def truncated(path: Path) -> Path:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return path


def damaged(member: str):
    """A change of one byte of ``member``'s content."""

    def spoil(path: Path) -> Path:
        with tarfile.open(path) as archive:
            offset = archive.getmember(member).offset_data
        data = bytearray(path.read_bytes())
        data[offset + 10] ^= 0xFF
        path.write_bytes(bytes(data))
        return path

    return spoil


def tar_of(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w") as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return path


def rewritten(change=lambda manifest: manifest, extra: dict[str, bytes] | None = None):
    """A copy with the manifest passed through ``change``, and with ``extra`` members
    (listed in the manifest, with their checksums)."""

    def spoil(path: Path) -> Path:
        with tarfile.open(path) as archive:
            members = {member.name: archive.extractfile(member).read() for member in archive}
        manifest = json.loads(members.pop(backups.MANIFEST_NAME))
        for name, content in (extra or {}).items():
            manifest["files"][name] = {"size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
            members[name] = content
        members[backups.MANIFEST_NAME] = json.dumps(change(manifest)).encode()
        return tar_of(path, members)

    return spoil


def not_a_tar(path: Path) -> Path:
    path.write_text("A letter, not a backup.")
    return path


def with_newer_migration(manifest: dict) -> dict:
    manifest["migrations"]["members"] = "9999_from_the_future"
    return manifest


def with_missing_file(manifest: dict) -> dict:
    manifest["files"]["media/gone.pdf"] = {"size": 1, "sha256": ""}
    return manifest


BAD_FILES = {
    "truncated": (truncated, "truncated"),
    "damaged dump": (damaged(backups.DUMP_NAME), "database.dump does not match its checksum"),
    "damaged media file": (damaged("media/minutes.pdf"), "media/minutes.pdf does not match its checksum"),
    "damaged private file": (damaged("private-media/decision.pdf"), "decision.pdf does not match its checksum"),
    "text": (not_a_tar, "is not a backup"),
    "tar without manifest": (lambda path: tar_of(path, {"notes.txt": b"hello"}), "it has no manifest"),
    "foreign manifest": (lambda path: tar_of(path, {"manifest.json": b'{"format": "other"}'}), "not one of ours"),
    "member missing": (rewritten(with_missing_file), "missing: media/gone.pdf"),
    "member outside the folders": (rewritten(extra={"media/../../escaped.txt": b"x"}), "unexpected member"),
    "newer migrations": (rewritten(with_newer_migration), "members.9999_from_the_future"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_restore_refuses_a_bad_file_and_changes_nothing(kind, occupied_database, reference_backup, tmp_path):
    spoil, message = BAD_FILES[kind]
    path = spoil(reference_backup)
    before = rows_of(occupied_database), media()

    with pytest.raises(CommandError, match=re.escape(message)):
        restore(path, occupied_database, yes=True)

    assert (rows_of(occupied_database), media()) == before
    assert not list(tmp_path.parent.rglob("escaped.txt"))
    # Nothing left from the extraction either.
    assert not list(tmp_path.rglob(".re*"))


def test_a_backup_that_fails_leaves_no_file(monkeypatch, django_db_setup):
    monkeypatch.setattr(backups, "_media_files", lambda root: [root / "deleted-meanwhile.pdf"])

    with pytest.raises(CommandError, match="deleted-meanwhile.pdf"):
        call_command("backup", stdout=io.StringIO())

    assert list(settings.BACKUP_ROOT.iterdir()) == []


def test_backup_refuses_a_password_on_the_command_line_and_an_existing_file(tmp_path, django_db_setup):
    with pytest.raises(CommandError, match="PGPASSWORD"):
        call_command("backup", database_url="postgresql://assembly:secret@localhost/assembly")
    existing = tmp_path / "existing.tar"
    existing.write_bytes(b"an older backup")

    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", output=existing)

    assert existing.read_bytes() == b"an older backup"
