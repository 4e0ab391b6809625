from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from assembly.opendata.files import open_data_root, write_all


class Command(BaseCommand):
    help = (
        "Write the open data files (the register and the sessions as CSV and JSON, the Popolo export and the "
        "data package descriptor) into OPEN_DATA_ROOT, each file replaced atomically."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="Write into this folder instead of OPEN_DATA_ROOT.")
        parser.add_argument(
            "--base-url",
            default="",
            help="The site's public address (e.g. https://assembly.example.kz): makes photo and page links absolute.",
        )

    def handle(self, *args, output: Path | None, base_url: str, verbosity: int, **options):
        if base_url:
            try:
                URLValidator(schemes=["http", "https"])(base_url)
            except ValidationError:
                raise CommandError(
                    _("--base-url must be an http or https address, not %(url)s.") % {"url": base_url}
                ) from None
        directory = output or open_data_root()
        for path in write_all(directory=directory, base_url=base_url):
            if verbosity > 1:
                self.stdout.write(f"{path.name}: {filesizeformat(path.stat().st_size)}")
        if verbosity:
            self.stdout.write(_("Open data written to %(directory)s.") % {"directory": directory})
