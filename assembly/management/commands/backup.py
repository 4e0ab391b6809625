from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from assembly.backups import BackupError, backup_create, database_from_options, main_tables


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump), the media files and the private media files (nomination documents) "
        "into one file, with a manifest of its content. The file holds personal data: it is readable by its "
        "owner only; keep a copy off this server."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="The file to write (it must not exist), or a folder for a timestamped file. Default: BACKUP_ROOT.",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="The database of the settings to back up (default: default)."
        )
        parser.add_argument(
            "--database-url",
            help="Back up this database instead (postgresql://user@host:port/name; the password in PGPASSWORD).",
        )

    def handle(self, *args, output: Path | None, database: str, database_url: str | None, **options):
        try:
            source = database_from_options(database, database_url)
            result = backup_create(database=source, output=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = result.manifest
        tables = manifest["tables"]
        files = manifest["files"]
        self.stdout.write(
            _(
                "Backed up the database %(name)s (PostgreSQL %(server)s, with %(pg_dump)s): %(tables)s tables, "
                "%(rows)s rows; %(media)s media files and %(private)s private media files."
            )
            % {
                "name": source.name,
                "server": manifest["database"]["server_major"],
                "pg_dump": result.pg_dump,
                "tables": len(tables),
                "rows": sum(tables.values()),
                "media": sum(1 for name in files if name.startswith("media/")),
                "private": sum(1 for name in files if name.startswith("private-media/")),
            }
        )
        for table in main_tables():
            if table in tables:
                self.stdout.write(f"  {table}: {tables[table]}")
        self.stdout.write(
            _("Wrote %(path)s (%(size)s, readable by its owner only).")
            % {"path": result.path, "size": filesizeformat(result.size)}
        )
        self.stdout.write(_("It holds personal data: keep a copy off this server, and protect it."))
