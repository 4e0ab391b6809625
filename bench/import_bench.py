"""The import benchmark: 10,000 persons with their memberships through the import path.

    .venv/bin/python bench/import_bench.py [--persons 10000]

As the admin's import does it (``members.resources``): the persons' file with
``PersonResource``, then the memberships' file with ``MembershipResource`` (each membership
names its person by IIN and its acts by kind, number and date), each file first as a dry
run (the preview) and then for real, in a transaction, through ``members.services``
(``PersonsImport``, ``MembershipsImport``). Each step's time and SQL query count are printed.

Runs against ``bench_import``, a copy of the benchmark's small demo database (``bench_demo``,
built by ``bench/national.py``, or here when missing), made fresh each time on the
benchmarks' own PostgreSQL (``bench/harness.py``). Prints the times and writes them to
``bench/out/import-latest.json`` (``bench/national.py`` puts them in ``bench/RESULTS.md``).
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import OUT, PYTHON, ROOT, BenchPostgres, say  # noqa: E402
from harness import production_environment as base_environment  # noqa: E402

SOURCE, TARGET = "bench_demo", "bench_import"
PERSON_COLUMNS = ["surname", "given_name", "patronymic", "surname_ru", "given_name_ru", "patronymic_ru", "gender",
                  "iin", "birth_date", "ethnic_group", "position_ru"]  # fmt: skip
MEMBERSHIP_COLUMNS = ["person", "body", "post", "basis", "start_date", "appointed_by_kind", "appointed_by_number",
                      "appointed_by_date"]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.inside:
        return inside(options.persons)
    run_dir = OUT / f"import-{time.strftime('%Y%m%d-%H%M%S')}"
    run_dir.mkdir(parents=True, exist_ok=True)
    database = BenchPostgres()
    # Another benchmark may be using the server: stop it at the end only if this run started it.
    already_up = database.postmaster() is not None
    database.start()
    try:
        environment = base_environment(database.url(TARGET), run_dir)
        if not has_demo(database):
            say(f"database {SOURCE}: migrate and demo_data")
            database.create_database(SOURCE)
            source_environment = base_environment(database.url(SOURCE), run_dir)
            for arguments in (["migrate", "--noinput"], ["demo_data"]):
                subprocess.run([PYTHON, "manage.py", *arguments], cwd=ROOT, env=source_environment, check=True,
                               capture_output=True)  # fmt: skip
        database.drop_database(TARGET)
        admin = database.connect("postgres")
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{TARGET}" TEMPLATE "{SOURCE}"')
        admin.close()
        say(f"database {TARGET}: a copy of {SOURCE}; importing {options.persons} persons with memberships")
        completed = subprocess.run(
            [PYTHON, "bench/import_bench.py", "--inside", "--persons", str(options.persons)],
            cwd=ROOT,
            env={**environment, "DJANGO_SETTINGS_MODULE": "assembly.settings"},
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(completed.stdout.strip().splitlines()[-1])
    finally:
        database.drop_database(TARGET)
        if not already_up:
            database.stop()
    (OUT / "import-latest.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    for line in result["lines"]:
        print(line)
    return 0 if result["ok"] else 1


def has_demo(database: BenchPostgres) -> bool:
    try:
        connection = database.connect(SOURCE)
    except Exception:  # noqa: BLE001 - no such database yet
        return False
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM members_person")
            return 0 < cursor.fetchone()[0] < 100_000
    except Exception:  # noqa: BLE001 - half built
        return False
    finally:
        connection.close()


def inside(count: int) -> int:
    """In the Django process: build the two files, import them, time each step."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import random

    import tablib
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assembly import audit
    from members.demo import _Planner
    from members.models import Membership, Person
    from members.resources import MembershipResource, PersonResource

    rng = random.Random(8)
    planner = _Planner(seed=8, scale=1)
    regional = [planner.regional[region.kato][0] for region in planner.regions]
    persons = tablib.Dataset(headers=PERSON_COLUMNS)
    memberships = tablib.Dataset(headers=MEMBERSHIP_COLUMNS)
    for index in range(count):
        person = planner.person(on=planner.assembly.founded.replace(year=2020), age=(25, 60))
        iin = person.iin or planner._iin(person.birth_date or planner.assembly.founded, person.gender)
        persons.append([person.surname, person.given_name, person.patronymic, person.surname_ru, person.given_name_ru,
                        person.patronymic_ru, person.gender, iin, person.birth_date or "", person.ethnic_group.slug,
                        person.position_ru])  # fmt: skip
        body = rng.choice(regional)
        start = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        memberships.append([iin, body.slug, "member", "public_figure", start, "order", f"IMP-{index // 50}",
                            start])  # fmt: skip
    # As the admin calls import_data (import_export.admin, members.admin): the preview (a dry run),
    # then the confirmed import, each rolled back whole if a row is refused.
    preview, confirmed = {"dry_run": True}, {"dry_run": False, "retain_instance_in_row_result": True}
    steps = [
        ("persons, dry run", PersonResource, persons, preview),
        ("persons, import", PersonResource, persons, confirmed),
        ("memberships, dry run", MembershipResource, memberships, preview),
        ("memberships, import", MembershipResource, memberships, confirmed),
    ]
    lines, ok, total = [], True, 0.0
    before = {"persons": Person.objects.count(), "memberships": Membership.objects.count()}
    for name, resource_class, dataset, options in steps:
        with audit.acting(reason="bench/import_bench.py"), CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = resource_class().import_data(
                dataset, raise_errors=False, use_transactions=True, rollback_on_validation_errors=True, **options
            )
            elapsed = time.perf_counter() - started
        total += elapsed
        failed = result.has_errors() or result.has_validation_errors()
        ok = ok and not failed
        lines.append(
            f"{name}: {len(dataset)} rows in {elapsed:.1f} s ({len(dataset) / elapsed:.0f} rows/s), "
            f"{len(queries)} queries" + (f" — ERRORS: {_first_error(result)}" if failed else "")
        )
    after = {"persons": Person.objects.count(), "memberships": Membership.objects.count()}
    added = {key: after[key] - before[key] for key in after}
    lines.append(
        f"total {total:.1f} s for {count} persons and {count} memberships (target < 20 s); "
        f"added {added['persons']} persons, {added['memberships']} memberships"
    )
    ok = ok and added == {"persons": count, "memberships": count}
    print(json.dumps({"lines": lines, "total_s": round(total, 1), "ok": ok, "persons": count}))
    return 0


def _first_error(result) -> str:
    for row in result.invalid_rows[:1]:
        return f"row {row.number}: {row.error_dict}"
    for row in result.rows:
        if row.errors:
            return f"row {row.number}: {row.errors[0].error!r}"
    return "?"


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assembly.settings")
    sys.exit(main())
