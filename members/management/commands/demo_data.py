import argparse
import random
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assembly import audit, public_cache
from members.demo import DEFAULT_SEED, DEMO_DATE, load_demo
from members.models import Person
from members.national import load_national
from sessions.demo import build_demo_meetings

NATIONAL = "national"


class Command(BaseCommand):
    help = (
        "Load the deterministic demo register: the Assembly, its Council and Secretariat, the 20 regional "
        "assemblies, associations for every ethnic group and thirty years of memberships."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and say so) when the register already has persons.",
        )
        parser.add_argument(
            "--scale",
            type=_scale,
            default=1,
            help=(
                "Build N times the people (default 1: about 600 national members), or 'national': the demo set "
                "topped up by bulk loading (COPY) to 100,000 persons, 1,000,000 memberships, 20,000 meetings and "
                "5,000,000 attendance rows in district assemblies of every region."
            ),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="Seed of the random choices: the same seed gives the same data.",
        )

    def handle(self, *args, **options):
        with audit.command("demo_data"):
            self._load(**options)
        # However the rows went in (bulk, COPY), the cached public pages are out of date.
        public_cache.bump_data_version()

    def _load(self, *, if_empty: bool, scale: int | str, seed: int, verbosity: int, **options):
        national = scale == NATIONAL
        if national:
            scale = 1
        if scale < 1:
            raise CommandError(_("--scale must be a whole number of at least 1, not %(scale)s.") % {"scale": scale})
        if Person.objects.exists():
            if if_empty:
                self.stdout.write(_("The register already has persons: no demo data loaded."))
                return
            raise CommandError(_("The register already has persons: demo data is loaded only into an empty register."))
        report = load_demo(seed=seed, scale=scale, progress=sys.stderr if verbosity > 0 else None)
        plan = report.plan
        self.stdout.write(
            _(
                "Demo data loaded (seed %(seed)s, scale %(scale)s): %(associations)s associations and state bodies, "
                "%(acts)s legal acts, %(persons)s persons, %(memberships)s memberships (%(current)s current)."
            )
            % {
                "seed": seed,
                "scale": scale,
                "associations": len(plan.associations),
                "acts": len(plan.acts),
                "persons": len(plan.persons),
                "memberships": len(plan.memberships),
                "current": sum(1 for membership in plan.memberships if membership.end_date is None),
            }
        )
        self.stdout.write(
            _("Wrote %(rows)s rows in %(seconds).1f s: %(speed).0f rows per second.")
            % {"rows": report.rows, "seconds": report.seconds, "speed": report.rows_per_second}
        )
        # Meetings need the register: sessions of every body with attendance, decisions and elections.
        build_demo_meetings(rng=random.Random(seed), today=DEMO_DATE, stdout=self.stdout)
        if national:
            self._load_national(seed=seed, verbosity=verbosity)

    def _load_national(self, *, seed: int, verbosity: int) -> None:
        report = load_national(seed=seed, progress=sys.stderr if verbosity > 0 else None)
        for table in report.tables:
            self.stdout.write(
                _("%(table)s: %(rows)s rows in %(seconds).1f s (%(speed).0f rows per second).")
                % {"table": table.table, "rows": table.rows, "seconds": table.seconds, "speed": table.rows_per_second}
            )
        self.stdout.write(
            _("National-scale data loaded in %(seconds).0f s. Audit trail: %(summary)s.")
            % {"seconds": report.seconds, "summary": report.summary}
        )


def _scale(value: str) -> int | str:
    if value == NATIONAL:
        return value
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("--scale takes a whole number or '%(national)s', not %(value)s.") % {"national": NATIONAL, "value": value}
        ) from None
