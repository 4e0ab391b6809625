from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from assembly import public_cache
from assembly.backups import BackupError, backup_restore, database_from_options, main_tables


class Command(BaseCommand):
    help = (
        "Restore a file made by manage.py backup: the database (pg_restore), the media files and the private "
        "media files. The whole file is checked first; a database that is not empty is replaced only with --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup file.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Replace the content of a database that is not empty, and the media files.",
        )
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="The database of the settings to restore into (default: default).",
        )
        parser.add_argument(
            "--database-url",
            help="Restore into this database instead (postgresql://user@host:port/name; the password in PGPASSWORD).",
        )

    def handle(self, *args, path: Path, yes: bool, database: str, database_url: str | None, verbosity: int, **options):
        try:
            target = database_from_options(database, database_url)
            result = backup_restore(path=path, database=target, replace=yes)
        except BackupError as error:
            raise CommandError(str(error)) from error
        # pg_restore wrote past every signal: the cached public pages are out of date.
        public_cache.bump_data_version()
        manifest = result.manifest
        app = manifest.get("app") or {}
        self.stdout.write(
            _(
                "Checked %(path)s: made at %(created)s from the database %(source)s (version %(version)s, "
                "git commit %(commit)s), %(files)s files, every checksum correct."
            )
            % {
                "path": path,
                "created": manifest.get("created_at", "?"),
                "source": manifest["database"]["name"],
                "version": app.get("version") or "?",
                "commit": app.get("commit") or "?",
                "files": len(manifest["files"]),
            }
        )
        if result.replaced:
            message = _("Restored the database %(name)s with %(pg_restore)s, replacing its %(count)s tables.")
        else:
            message = _("Restored the database %(name)s (it was empty) with %(pg_restore)s.")
        self.stdout.write(
            message % {"name": target.name, "pg_restore": result.pg_restore, "count": len(result.replaced)}
        )
        if result.warnings:
            self.stderr.write(result.warnings)
        self.stdout.write(
            _("Put back %(media)s media files and %(private)s private media files.")
            % {"media": result.files["media"], "private": result.files["private-media"]}
        )
        main = set(main_tables())
        wrong = [check for check in result.tables if not check.ok]
        for check in result.tables:
            if verbosity > 1 or check.table in main or not check.ok:
                self.stdout.write(
                    _("  %(table)s: %(found)s rows (the backup has %(expected)s)")
                    % {"table": check.table, "found": check.found, "expected": check.expected}
                )
        if wrong:
            raise CommandError(
                _("The rows of %(count)s tables do not match the backup: %(tables)s.")
                % {"count": len(wrong), "tables": ", ".join(check.table for check in wrong)}
            )
        self.stdout.write(
            _("All %(count)s tables have the rows of the backup (%(rows)s rows).")
            % {"count": len(result.tables), "rows": sum(check.found for check in result.tables)}
        )
        if result.pending_migrations:
            self.stdout.write(
                _("The backup predates migrations of %(apps)s: run manage.py migrate.")
                % {"apps": ", ".join(result.pending_migrations)}
            )
