"""The pages the national benchmark loads, their SQL query counts and the member search's
own time, measured inside Django against the database of ``DATABASE_URL``.

Run by ``bench/national.py`` once per database (the demo scale and the national scale), with
the production settings and the public cache off (every query counted is one a visitor's
request runs when the page is not cached). Prints one JSON object.
"""

import json
import os
import random
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assembly.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from members.models import Person  # noqa: E402
from members.selectors import public_persons  # noqa: E402
from regional.models import Region  # noqa: E402
from sessions.models import Attendance, Election  # noqa: E402

SEARCHES = 200
ON_DATE = "2010-06-01"


def pages() -> dict[str, str]:
    """The addresses, chosen the same way at every scale: Almaty's region, the person with the
    most memberships, the national Council's most attended meeting without elections, the latest meeting
    with an election, the commonest surname."""
    region = Region.objects.get(kato="75")
    person = Person.objects.annotate(terms=Count("memberships")).order_by("-terms", "pk").first()
    # A meeting of the same kind at both scales (the national Council's, without elections: a
    # meeting with elections has one more query, for the candidates), the one most attended.
    meeting_id = (
        Attendance.objects.filter(meeting__body__slug="council", meeting__elections__isnull=True)
        .values("meeting")
        .annotate(rows=Count("pk"))
        .order_by("-rows", "meeting")[0]["meeting"]
    )
    # The same meeting at both scales (the small demo's, with elections and candidates).
    elected = Election.objects.order_by("-meeting__start_date", "pk").values_list("meeting", flat=True)[0]
    common = Person.objects.values("surname").annotate(n=Count("pk")).order_by("-n", "surname")[0]["surname"]
    latin = Person.objects.filter(surname=common).values_list("surname_latin", flat=True)[0]
    quote = urllib.parse.quote
    return {
        # The yardstick of the template engine: a page drawn from files, without a query.
        "open data (no query)": "/kk/open-data/",
        "home": "/kk/",
        "directory": "/kk/members/",
        "directory, region": f"/kk/members/?region={region.slug}",
        "directory, search Latin": f"/kk/members/?q={quote(latin)}",
        "directory, search Cyrillic": f"/kk/members/?q={quote(common)}",
        "profile": f"/kk/members/{person.slug}/",
        "session": f"/kk/sessions/{meeting_id}/",
        "session with elections": f"/kk/sessions/{elected}/",
        "API memberships on=": f"/api/v1/memberships/?on={ON_DATE}",
        "API person search": f"/api/v1/persons/?q={quote(latin)}",
    }


def query_counts(addresses: dict[str, str]) -> dict[str, dict]:
    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for name, address in addresses.items():
        client.get(address)  # warm: the first request fills the per-process caches (translations, content types)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(address)
            elapsed = time.perf_counter() - started
        counts[name] = {"status": response.status_code, "queries": len(queries), "ms": round(elapsed * 1000, 1)}
    return counts


def search_names(rng: random.Random) -> list[tuple[str, str]]:
    """``SEARCHES`` names of random public persons, as a visitor types them: surname and
    given name in Kazakh Cyrillic, in the Russian spelling or in Latin letters."""
    last = Person.objects.order_by("-pk").values_list("pk", flat=True)[0]
    names = []
    while len(names) < SEARCHES:
        person = Person.objects.filter(pk__gte=rng.randint(1, last)).order_by("pk").first()
        if person is None:
            continue
        script = ("kk", "ru", "latin")[len(names) % 3]
        if script == "kk":
            name = f"{person.surname} {person.given_name}"
        elif script == "ru":
            name = f"{person.surname_ru or person.surname} {person.given_name_ru or person.given_name}"
        else:
            name = f"{person.surname_latin} {person.given_name_latin}"
        names.append((script, name))
    return names


def search_times(names: list[tuple[str, str]]) -> dict:
    """The search as the API runs it (the public persons matching the name, a page of 20 by
    name, and the count for the pager), timed by name."""
    times = []
    found = 0
    for _script, name in names:
        started = time.perf_counter()
        queryset = public_persons().search(name).order_by("sort_name", "pk")
        page = list(queryset[:20])
        total = queryset.count()
        times.append((time.perf_counter() - started) * 1000)
        found += bool(page) and total > 0
    times.sort()
    with connection.cursor() as cursor:
        queryset = public_persons().search(names[0][1]).order_by("sort_name", "pk")[:20]
        sql, parameters = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", parameters)
        plan = [row[0] for row in cursor.fetchall()]
    return {
        "searches": len(times),
        "found": found,
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        "max_ms": round(times[-1], 2),
        "explain": plan,
    }


def main() -> None:
    addresses = pages()
    names = search_names(random.Random(2026))
    result = {
        "persons": Person.objects.count(),
        "pages": addresses,
        "queries": query_counts(addresses),
        "search": search_times(names),
        "search_names": [name for _script, name in names],
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
