"""The national-scale demo register: thirty years of every regional and district assembly.

``load_national`` tops the small demo set (``members.demo``, ``sessions.demo``) up to
100,000 persons, 1,000,000 memberships, 20,000 meetings and 5,000,000 attendance rows, by
adding district assemblies to every region with their members' successive terms, their
chairmen, their sessions and who attended each. It is what the benchmark (``bench/national.py``)
measures the site against.

The rows go in with PostgreSQL's COPY from generated streams, in one transaction. The rules
``members.services`` keeps for a single write are kept by construction: a person's terms in
a body follow one another without overlap, a chairman's seat has one holder at a time, an
ended term has its reason, and attendance is recorded only for members holding a seat on the
meeting's day. The database still checks its own constraints (the exclusion constraints, the
checks, the unique indexes) row by row. Only the foreign keys are checked once for the whole
load, by one anti-join per key, when the connection may skip their per-row triggers (a
superuser's ``session_replication_role``): ten million trigger calls would take longer than
the rest of the load.

The audit trail gets one summary entry for the load (a history row of the Assembly with the
counts as its reason) instead of a history row per record: a history row for each of six
million generated rows would double the load and tell nobody anything.
"""

import datetime
import heapq
import io
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TextIO

from django.db import connection, transaction
from django.utils import timezone, translation
from tqdm import tqdm

from assembly import audit
from assembly.audit import bulk_create_with_history
from assembly.models import Body, Post
from regional.models import Region
from sessions.models import Attendance, Meeting

from .demo import DEMO_DATE, _Planner
from .models import Association, Membership, Person

TARGETS = {"persons": 100_000, "memberships": 1_000_000, "meetings": 20_000, "attendance": 5_000_000}
DISTRICTS_PER_REGION = 11
EARLIEST = datetime.date(1995, 3, 1)
# Rows per COPY chunk handed to the server (the progress bar moves by chunks).
CHUNK = 20_000

Basis = Membership.Basis
Reason = Membership.EndReason
_LAST_REASONS = (
    (Reason.OWN_INITIATIVE, 40),
    (Reason.ROTATION, 30),
    (Reason.MOVED_REGION, 12),
    (Reason.CHANGE_OF_POSITION, 10),
    (Reason.DEATH, 5),
    (Reason.EMIGRATION, 3),
)
_ATTENDANCE = (
    (Attendance.Status.PRESENT, 85),
    (Attendance.Status.ABSENT, 7),
    (Attendance.Status.EXCUSED, 6),
    (Attendance.Status.LEFT_EARLY, 2),
)
_THEMES = (
    ("Қоғамдық келісім және жалпыұлттық бірлік", "Общественное согласие и общенациональное единство",
     "Public accord and national unity"),
    ("Мемлекеттік тілді дамыту", "Развитие государственного языка", "Developing the state language"),
    ("Жастар арасындағы тәрбие жұмысы", "Воспитательная работа среди молодёжи", "Work with young people"),
    ("Этномәдени бірлестіктердің жұмысы", "Работа этнокультурных объединений",
     "The work of the ethnocultural associations"),
    ("Қоғамдық келісім кеңестерінің қызметі", "Деятельность советов общественного согласия",
     "The councils of public accord"),
    ("Мерекелік іс-шаралар жоспары", "План праздничных мероприятий", "The plan of public celebrations"),
)  # fmt: skip


@dataclass
class TableReport:
    table: str
    rows: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass
class NationalReport:
    tables: list[TableReport] = field(default_factory=list)
    seconds: float = 0.0
    summary: str = ""


@dataclass
class _District:
    body: Body
    region: Region
    chairman: Post
    member: Post
    ecas: list[int]
    meetings: list[tuple[int, datetime.date]] = field(default_factory=list)


def load_national(*, seed: int, progress: TextIO | None = None) -> NationalReport:
    """Top the register up to ``TARGETS`` (it must hold the small demo set and nothing of
    this load yet); return the time and rows per second of each table."""
    started = time.perf_counter()
    report = NationalReport()
    rng = random.Random(seed * 7 + 1)
    with translation.override("kk"), transaction.atomic():
        counts = {
            "persons": Person.objects.count(),
            "memberships": Membership.objects.count(),
            "meetings": Meeting.objects.count(),
            "attendance": Attendance.objects.count(),
        }
        missing = {name: TARGETS[name] - counts[name] for name in TARGETS}
        if min(missing.values()) <= 0:
            raise ValueError(f"the register already holds national-scale data: {counts}")
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            skip_triggers = bool(cursor.fetchone()[0])
            cursor.execute("SET LOCAL synchronous_commit = off")
            if skip_triggers:
                cursor.execute("SET LOCAL session_replication_role = replica")
        planner = _Planner(seed=seed, scale=1)
        districts = _create_districts(planner, rng)

        say = _Progress(progress, report)
        chairmen = _chairmen(rng, districts)
        careers = _careers(rng, districts, missing["persons"] - len(chairmen), missing["memberships"] - len(chairmen))
        first_person = _next_id(Person)
        starts = [first for _, first, _ in chairmen] + [career.start for career in careers]
        person_rows = _persons(planner, rng, first_person, starts, say)
        membership_rows = _memberships(rng, chairmen, careers, first_person)
        say.copy(Person, _PERSON_COLUMNS, person_rows, len(person_rows))
        say.copy(Membership, _MEMBERSHIP_COLUMNS, membership_rows, len(membership_rows))
        meeting_rows = _meetings(rng, districts, missing["meetings"])
        say.copy(Meeting, _MEETING_COLUMNS, meeting_rows, len(meeting_rows))
        attendance = _attendance(rng, districts, membership_rows, missing["attendance"])
        say.copy(Attendance, _ATTENDANCE_COLUMNS, attendance, missing["attendance"])
        if skip_triggers:
            _check_foreign_keys([Person, Membership, Meeting, Attendance])
        with connection.cursor() as cursor:
            for model in (Person, Membership, Meeting, Attendance):
                table = model._meta.db_table
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        report.summary = (
            f"bulk load, no row history: {len(person_rows)} persons, {len(membership_rows)} memberships, "
            f"{len(meeting_rows)} meetings, {missing['attendance']} attendance"
        )[: audit.REASON_MAX_LENGTH]
        with audit.acting(reason=report.summary):
            planner.assembly.save()
    # The planner's statistics, and the visibility map (index-only scans) that autovacuum would
    # otherwise build while the site is first used.
    with connection.cursor() as cursor:
        analyzed = time.perf_counter()
        cursor.execute("VACUUM (ANALYZE)")
        report.tables.append(TableReport("VACUUM (ANALYZE)", 0, time.perf_counter() - analyzed))
    report.seconds = time.perf_counter() - started
    return report


class _Progress:
    def __init__(self, stream: TextIO | None, report: NationalReport):
        self.stream = stream
        self.report = report

    def bar(self, total: int, description: str) -> tqdm:
        return tqdm(total=total, file=self.stream, disable=self.stream is None, unit=" rows", desc=description)

    def copy(self, model, columns: tuple[str, ...], rows: Iterable[tuple], total: int) -> None:
        """COPY ``rows`` into ``model``'s table, ``CHUNK`` rows at a time."""
        table = model._meta.db_table
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        started = time.perf_counter()
        written = 0
        with self.bar(total, table) as bar, connection.cursor() as cursor:
            for chunk in _chunks(rows, CHUNK):
                buffer = io.StringIO("".join("\t".join(map(_text, row)) + "\n" for row in chunk))
                cursor.cursor.copy_expert(statement, buffer)
                written += len(chunk)
                bar.update(len(chunk))
        self.report.tables.append(TableReport(table, written, time.perf_counter() - started))


def _chunks(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _text(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return str(value)


def _next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {model._meta.db_table}")
        return cursor.fetchone()[0]


# The district assemblies -------------------------------------------------------------------------


def _create_districts(planner: _Planner, rng: random.Random) -> list[_District]:
    """``DISTRICTS_PER_REGION`` district assemblies in every region, each with a chairman's seat
    and members' seats, created with their history rows (a few hundred)."""
    bodies, regions = [], []
    for region in planner.regions:
        regional = planner.regional[region.kato][0]
        for number in range(1, DISTRICTS_PER_REGION + 1):
            founded = max(regional.founded or EARLIEST, EARLIEST) + datetime.timedelta(days=rng.randint(0, 900))
            bodies.append(
                Body(
                    slug=f"{region.slug}-district-{number:02d}-assembly",
                    kind=Body.Kind.ASSEMBLY,
                    parent=regional,
                    region=region,
                    founded=min(founded, DEMO_DATE - datetime.timedelta(days=365)),
                    sort_order=20 + number,
                    name_kk=f"{region.name_kk} {number}-аудандық Қазақстан халқы Ассамблеясы",
                    name_ru=f"Районная Ассамблея народа Казахстана № {number} ({region.name_ru})",
                    name_en=f"District Assembly of the People of Kazakhstan No. {number} ({region.name_en})",
                )
            )
            regions.append(region)
    bulk_create_with_history(bodies, Body, batch_size=1000)
    posts = []
    for body in bodies:
        posts.append(
            Post(body=body, role=Post.Role.CHAIRMAN, seats=1, sort_order=0,
                 label_kk="Төраға", label_ru="Председатель", label_en="Chairman")
        )  # fmt: skip
        posts.append(
            Post(body=body, role=Post.Role.MEMBER, seats=None, sort_order=2,
                 label_kk="Ассамблея мүшесі", label_ru="Член Ассамблеи", label_en="Member of the Assembly")
        )  # fmt: skip
    bulk_create_with_history(posts, Post, batch_size=1000)
    ecas = defaultdict(list)
    for pk, region_id in Association.objects.filter(
        kind=Association.Kind.ETHNOCULTURAL, level=Association.Level.REGIONAL
    ).values_list("pk", "region_id"):
        ecas[region_id].append(pk)
    return [
        _District(body=body, region=region, chairman=posts[2 * index], member=posts[2 * index + 1],
                  ecas=ecas[region.pk] or [None])
        for index, (body, region) in enumerate(zip(bodies, regions, strict=True))
    ]  # fmt: skip


def _days(district: _District) -> int:
    return (DEMO_DATE - district.body.founded).days


# Persons and their terms -------------------------------------------------------------------------


@dataclass
class _Career:
    """A member's successive terms in one district assembly, from ``start`` for ``span`` days."""

    district: _District
    basis: str
    on_behalf_of: int | None
    terms: int = 0
    start: datetime.date = EARLIEST
    span: int = 0


def _chairmen(rng: random.Random, districts: list[_District]) -> list[tuple[_District, datetime.date, datetime.date]]:
    """Each district's chairmen, one after another: (district, first day, last day)."""
    chairmen = []
    for district in districts:
        day = district.body.founded
        while day <= DEMO_DATE:
            last = day + datetime.timedelta(days=rng.randint(500, 2200))
            chairmen.append((district, day, last))
            day = last + datetime.timedelta(days=1)
    return chairmen


def _careers(rng: random.Random, districts: list[_District], count: int, terms: int) -> list[_Career]:
    """``count`` members spread over the districts by how long each has existed, with
    ``terms`` terms in all, each term about one to three years."""
    homes = rng.choices(districts, weights=[_days(district) for district in districts], k=count)
    careers = []
    for home in homes:
        eca = rng.random() < 0.75 and home.ecas[0] is not None
        careers.append(
            _Career(
                district=home,
                basis=Basis.ETHNOCULTURAL if eca else Basis.PUBLIC_FIGURE,
                on_behalf_of=rng.choice(home.ecas) if eca else None,
            )
        )
    _share_terms(rng, careers, terms)
    for career in careers:
        window = _days(career.district)
        career.span = max(min(window, career.terms * rng.randint(450, 1050)), career.terms)
        career.start = career.district.body.founded + datetime.timedelta(days=rng.randint(0, window - career.span))
    return careers


def _share_terms(rng: random.Random, careers: list[_Career], total: int) -> None:
    """Give each career between 1 and 20 terms, ``total`` in all."""
    average = total / len(careers)
    for career in careers:
        career.terms = max(1, min(20, round(rng.triangular(1, 2 * average - 1, average))))
    difference = total - sum(career.terms for career in careers)
    step = 1 if difference > 0 else -1
    while difference:
        career = rng.choice(careers)
        if 1 <= career.terms + step <= 20:
            career.terms += step
            difference -= step


_PERSON_COLUMNS = (
    "id", "surname", "given_name", "patronymic", "surname_ru", "given_name_ru", "patronymic_ru",
    "surname_latin", "given_name_latin", "patronymic_latin", "slug", "gender", "photo", "position",
    "position_kk", "position_ru", "position_en", "biography", "iin", "birth_date", "phone", "email",
    "ethnicity_public", "created_at", "updated_at", "ethnic_group_id",
)  # fmt: skip


def _persons(planner: _Planner, rng, first_id: int, starts: list[datetime.date], say: "_Progress") -> list[tuple]:
    """A new person for each first day in ``starts``, 25 to 60 years old on it, named as in the
    small demo set (unique slugs and valid, unique IINs included)."""
    now = timezone.now()
    rows = []
    with say.bar(len(starts), "persons planned") as bar:
        for index, start in enumerate(starts):
            person = planner.person(on=start, age=(25, 60))
            rows.append(
                (
                    first_id + index, person.surname, person.given_name, person.patronymic, person.surname_ru,
                    person.given_name_ru, person.patronymic_ru, person.surname_latin, person.given_name_latin,
                    person.patronymic_latin, person.slug, person.gender, "", person.position_kk, person.position_kk,
                    person.position_ru, person.position_en, "", person.iin, person.birth_date, person.phone,
                    person.email, person.ethnicity_public, now, now, person.ethnic_group.pk,
                )
            )  # fmt: skip
            if index % 1000 == 999:
                bar.update(1000)
        bar.update(len(starts) % 1000)
    return rows


_MEMBERSHIP_COLUMNS = (
    "id",
    "person_id",
    "body_id",
    "post_id",
    "basis",
    "on_behalf_of_id",
    "start_date",
    "end_date",
    "end_reason",
    "appointed_by_id",
    "ended_by_id",
    "note",
    "single_seat",
)


def _memberships(rng, chairmen, careers: list[_Career], first_person: int) -> list[tuple]:
    """The chairmen's memberships (one each, the single seat held by one at a time), then each
    member's successive terms (a term ends the day before the next begins)."""
    first_id = _next_id(Membership)
    rows = []
    for index, (district, first, last) in enumerate(chairmen):
        end, reason = (None, "") if last >= DEMO_DATE else (last, Reason.CHANGE_OF_POSITION)
        rows.append(
            (first_person + index, district.body.pk, district.chairman.pk, Basis.EX_OFFICIO, None, first, end, reason)
        )
    reasons, reason_weights = zip(*_LAST_REASONS, strict=True)
    for index, career in enumerate(careers, start=first_person + len(chairmen)):
        district, start, span = career.district, career.start, career.span
        cuts = sorted(rng.sample(range(1, span), career.terms - 1)) if career.terms > 1 else []
        bounds = [0, *cuts, span]
        current = start + datetime.timedelta(days=span) >= DEMO_DATE - datetime.timedelta(days=200)
        for term in range(career.terms):
            first = start + datetime.timedelta(days=bounds[term])
            last = start + datetime.timedelta(days=bounds[term + 1] - 1)
            if term < career.terms - 1:
                end, reason = last, Reason.COMPOSITION_RENEWED
            elif current:
                end, reason = None, ""
            else:
                end, reason = last, rng.choices(reasons, weights=reason_weights)[0]
            rows.append(
                (index, district.body.pk, district.member.pk, career.basis, career.on_behalf_of, first, end, reason)
            )
    return [(first_id + number, *row, None, None, "", row[3] == Basis.EX_OFFICIO) for number, row in enumerate(rows)]


# Meetings and attendance -------------------------------------------------------------------------

_MEETING_COLUMNS = (
    "id",
    "body_id",
    "number",
    "kind",
    "status",
    "convened_by_id",
    "start_date",
    "end_date",
    "venue",
    "venue_kk",
    "venue_ru",
    "venue_en",
    "theme",
    "theme_kk",
    "theme_ru",
    "theme_en",
    "note",
)


def _meetings(rng, districts, total: int) -> list[tuple]:
    """The districts' sessions, numbered in order in each body, ``total`` in all (shared by
    how long each district has existed), all held on working days up to the demo date."""
    first_id = _next_id(Meeting)
    weights = [_days(district) for district in districts]
    shares = [round(total * weight / sum(weights)) for weight in weights]
    shares[-1] += total - sum(shares)
    rows = []
    for district, count in zip(districts, shares, strict=True):
        founded = district.body.founded
        days = sorted(
            _workday(founded + datetime.timedelta(days=rng.randint(30, _days(district)))) for _ in range(count)
        )
        venue = (f"{district.region.name_kk}, аудан әкімдігі", f"{district.region.name_ru}, акимат района",
                 f"{district.region.name_en}, district akimat")  # fmt: skip
        for number, day in enumerate(days, start=1):
            theme = rng.choice(_THEMES)
            kind = Meeting.Kind.EXTRAORDINARY if rng.random() < 0.05 else Meeting.Kind.REGULAR
            meeting_id = first_id + len(rows)
            district.meetings.append((meeting_id, day))
            rows.append(
                (meeting_id, district.body.pk, number, kind, Meeting.Status.HELD, None, day, None, venue[0], *venue,
                 theme[0], *theme, "")
            )  # fmt: skip
    return rows


def _workday(day: datetime.date) -> datetime.date:
    day = min(day, DEMO_DATE)
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


_ATTENDANCE_COLUMNS = ("id", "meeting_id", "membership_id", "status")


def _attendance(rng, districts, memberships: list[tuple], total: int) -> Iterator[tuple]:
    """Who attended, for every member holding a seat on each meeting's day: the newest
    meetings first, until ``total`` rows (the oldest records are the ones never digitised)."""
    first_id = _next_id(Attendance)
    statuses, weights = zip(*_ATTENDANCE, strict=True)
    draw = _drawer(rng, statuses, list(_accumulate(weights)))
    by_body = defaultdict(list)
    for row in memberships:
        by_body[row[2]].append((row[6], row[7] or DEMO_DATE, row[0]))
    present = {}
    for district in districts:
        present.update(_held_on_each_day(by_body[district.body.pk], district.meetings))
    meetings = sorted(
        ((day, meeting_id) for district in districts for meeting_id, day in district.meetings), reverse=True
    )
    written = 0
    for _day, meeting_id in meetings:
        for membership_id in present[meeting_id]:
            yield (first_id + written, meeting_id, membership_id, draw())
            written += 1
            if written == total:
                return
    raise ValueError(f"only {written} attendance rows possible, {total} asked")


def _held_on_each_day(terms: list[tuple], meetings: list[tuple[int, datetime.date]]) -> dict[int, tuple]:
    """For each meeting, the memberships held on its day: one sweep over the terms by date."""
    terms = sorted(terms)
    ending = []
    active = {}
    following = 0
    held = {}
    for meeting_id, day in sorted(meetings, key=lambda meeting: meeting[1]):
        while following < len(terms) and terms[following][0] <= day:
            first, last, membership_id = terms[following]
            active[membership_id] = True
            heapq.heappush(ending, (last, membership_id))
            following += 1
        while ending and ending[0][0] < day:
            active.pop(heapq.heappop(ending)[1], None)
        held[meeting_id] = tuple(active)
    return held


def _accumulate(weights: Iterable[int]) -> Iterator[int]:
    running = 0
    for weight in weights:
        running += weight
        yield running


def _drawer(rng: random.Random, values: tuple, cumulative: list[int]) -> Callable[[], str]:
    top = cumulative[-1]

    def draw() -> str:
        point = rng.random() * top
        for value, bound in zip(values, cumulative, strict=True):
            if point < bound:
                return value
        return values[-1]

    return draw


# The foreign keys, checked once --------------------------------------------------------------------


def _check_foreign_keys(models) -> None:
    """Each foreign key of ``models`` by one anti-join: the bulk equivalent of the per-row
    triggers the load skipped. Raises (and so rolls the load back) on a dangling key."""
    with connection.cursor() as cursor:
        for model in models:
            for relation in model._meta.concrete_fields:
                if not relation.is_relation:
                    continue
                table, column = model._meta.db_table, relation.column
                target = relation.related_model._meta.db_table
                cursor.execute(
                    f"SELECT count(*) FROM {table} t WHERE t.{column} IS NOT NULL "
                    f"AND NOT EXISTS (SELECT 1 FROM {target} r WHERE r.id = t.{column})"
                )
                dangling = cursor.fetchone()[0]
                if dangling:
                    raise ValueError(f"{dangling} rows of {table}.{column} point at no {target}")
