"""The benchmarks' traffic: visitors reading the public site and the public API, regional offices
nominating candidates through the portal's forms and through the API, and the Secretariat
reviewing what they submit. Every answer is timed and checked; every write that was answered
with success goes into a ledger that ``Ledger.verify`` checks against the database at the end.

A plain thread per virtual user, each with its own cookie jar (``harness.Client``), running as
fast as the server answers (a closed loop). A load tool such as locust would add gevent and a web
UI for what here is a few hundred lines of checks that a tool would not make shorter: the
checks (CSRF, the portal's messages, the ledger) are the bulk of it.
"""

import dataclasses
import datetime
import http.client
import itertools
import math
import queue
import random
import re
import sys
import threading
import time
from collections import Counter, defaultdict
from urllib.parse import quote

from harness import OFFICE_PASSWORD, OFFICE_REGIONS, ROOT, STAFF_PASSWORD, STAFF_USER, Client, Response, office_user

sys.path.insert(0, str(ROOT))
from members.validators import build_iin  # noqa: E402  (the project's own IIN rules, without Django set up)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
LANGUAGES = ("kk", "ru", "en")
# A 503 the application means (the database is down): it says when to come back.
UNAVAILABLE = 503
OK, REFUSED, ERROR = "ok", "refused", "error"

_VERSION_FIELD = re.compile(r'name="([a-z_]+)-version"[^>]*value="(\d+)"')
_MESSAGE = re.compile(r'<li class="(success|error|warning|info)">(.*?)</li>', re.S)
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="(/static/[^"]+)"')


# Recording -------------------------------------------------------------------------------------


@dataclasses.dataclass
class Failure:
    at: float
    kind: str
    method: str
    path: str
    answer: str


class Recorder:
    """Every answer: its kind, status and time. An answer is an error unless its status is the one
    the request expects (a deliberate 404 or 400 included); with ``unavailable_ok`` a 503 from the
    application (with ``Retry-After``, or /healthz's JSON) is counted apart as a clear refusal."""

    def __init__(self, *, started: float, unavailable_ok: bool = False):
        self.started = started
        self.unavailable_ok = unavailable_ok
        self.lock = threading.Lock()
        self.samples: dict[str, list[float]] = defaultdict(list)
        self.statuses: Counter = Counter()
        self.refused: Counter = Counter()
        self.failures: list[Failure] = []
        self.refusal_times: list[float] = []
        self.total = 0

    def record(self, kind: str, method: str, path: str, response: Response | None, expected, error: str = "") -> str:
        """``OK``, ``REFUSED`` (a clear 503 while that is allowed) or ``ERROR``."""
        at = time.monotonic() - self.started
        expected = {expected} if isinstance(expected, int) else set(expected)
        with self.lock:
            self.total += 1
            if response is None:
                self.failures.append(Failure(at, kind, method, path, error))
                self.statuses["no answer"] += 1
                return ERROR
            self.statuses[response.status] += 1
            if response.status in expected:
                self.samples[kind].append(response.elapsed)
                return OK
            if self.unavailable_ok and is_clear_unavailable(path, response):
                self.refused[kind] += 1
                self.refusal_times.append(at)
                return REFUSED
            snippet = " ".join(response.text[:160].split())
            self.failures.append(Failure(at, kind, method, path, f"{response.status} {snippet}"))
            return ERROR

    def fail(self, kind: str, method: str, path: str, reason: str) -> None:
        """An answer with the expected status that is wrong all the same (a form refused with a
        message, a page without the form it should have)."""
        with self.lock:
            self.failures.append(Failure(time.monotonic() - self.started, kind, method, path, reason))

    def summary(self) -> dict:
        with self.lock:
            kinds = {
                kind: {
                    "count": len(times),
                    "p50_ms": percentile(times, 50),
                    "p95_ms": percentile(times, 95),
                    "p99_ms": percentile(times, 99),
                    "max_ms": round(max(times) * 1000, 1),
                }
                for kind, times in sorted(self.samples.items())
            }
            everything = [value for times in self.samples.values() for value in times]
            return {
                "requests": self.total,
                "answered_as_expected": len(everything),
                "errors": len(self.failures),
                "refused_503": sum(self.refused.values()),
                "statuses": {str(status): count for status, count in sorted(self.statuses.items(), key=str)},
                "all": {
                    "p50_ms": percentile(everything, 50),
                    "p95_ms": percentile(everything, 95),
                    "p99_ms": percentile(everything, 99),
                },
                "kinds": kinds,
            }


def is_clear_unavailable(path: str, response: Response) -> bool:
    if response.status != UNAVAILABLE:
        return False
    if path.startswith("/healthz"):
        return response.headers.get("content-type", "").startswith("application/json")
    return "retry-after" in response.headers


def percentile(values: list[float], rank: int) -> float | None:
    """Nearest rank, in milliseconds."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(rank / 100 * len(ordered)) - 1)] * 1000, 1)


# The ledger of writes --------------------------------------------------------------------------


ABSENT = "absent"


@dataclasses.dataclass
class Entry:
    """A nomination as its writers know it. ``possible``: the states the database may show: one
    once every write was answered with success; more after a write that failed (a failed answer
    does not say whether the write was committed before the failure)."""

    iin: str
    region: str
    via: str
    pk: int | None = None
    version: int = 0
    possible: set = dataclasses.field(default_factory=lambda: {ABSENT})
    uncertain: bool = False
    documents: list = dataclasses.field(default_factory=list)
    returned_once: bool = False


class Ledger:
    def __init__(self):
        self.lock = threading.Lock()
        self.entries: list[Entry] = []
        self.writes = Counter()
        self.failed_writes = Counter()
        # Each run takes its own stretch of birth dates, should it write into a database used before.
        self._serial = itertools.count(random.randrange(2000 * 5000))

    def new_entry(self, region: str, via: str) -> Entry:
        with self.lock:
            while True:
                index = next(self._serial)
                # Serials 8000-9999: the demo register's people use lower ones.
                birth_date = datetime.date(1950, 1, 1) + datetime.timedelta(days=index // 2000)
                iin = build_iin(birth_date, "female" if index % 2 else "male", 8000 + index % 2000)
                if iin:
                    break
            entry = Entry(iin=iin, region=region, via=via)
            self.entries.append(entry)
            return entry

    def succeeded(self, entry: Entry, write: str, status: str, version: int | None = None) -> None:
        with self.lock:
            self.writes[write] += 1
            entry.possible = {status}
            if version is not None:
                entry.version = version

    def failed(self, entry: Entry, write: str, status_if_committed: str) -> None:
        with self.lock:
            self.failed_writes[write] += 1
            entry.possible = entry.possible | {status_if_committed}
            entry.uncertain = True

    def verify_in(self, database, name: str) -> dict:
        """``verify`` against the database ``name`` of the benchmarks' server ``database``."""
        connection = database.connect(name)
        try:
            return self.verify(connection)
        finally:
            connection.close()

    def verify(self, connection) -> dict:
        """Every write answered with success is in the database; report the failed writes that
        were committed all the same."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT iin, id, status, version FROM regional_nomination")
            rows = {iin: (pk, status, version) for iin, pk, status, version in cursor.fetchall()}
            cursor.execute("SELECT id FROM regional_nominationdocument")
            documents = {pk for (pk,) in cursor.fetchall()}
        lost, mismatched, committed_anyway = [], [], 0
        for entry in self.entries:
            row = rows.get(entry.iin)
            state = row[1] if row else ABSENT
            if state not in entry.possible:
                (lost if state == ABSENT else mismatched).append(
                    f"{entry.iin} ({entry.via}, pk {entry.pk}): database {state}, expected {sorted(entry.possible)}"
                )
            elif entry.uncertain and len(entry.possible) > 1 and state == max(entry.possible, key=_progress):
                committed_anyway += 1
            missing = [pk for pk in entry.documents if pk not in documents]
            if missing:
                lost.append(f"{entry.iin}: documents {missing} missing")
        return {
            "nominations": len(self.entries),
            "confirmed_writes": dict(self.writes),
            "failed_writes": dict(self.failed_writes),
            "lost": lost,
            "mismatched": mismatched,
            "failed_but_committed": committed_anyway,
        }


_ORDER = ["absent", "draft", "submitted", "returned", "resubmitted", "accepted"]


def _progress(state: str) -> int:
    return _ORDER.index(state) if state in _ORDER else len(_ORDER)


# What there is to read -------------------------------------------------------------------------


@dataclasses.dataclass
class Site:
    persons: list[dict]
    bodies: list[str]
    sessions: list[int]
    regions: list[str]
    associations: list[str]
    stylesheet: str

    @classmethod
    def discover(cls, port: int) -> "Site":
        """The slugs and ids to visit, asked of the public API itself (not timed)."""
        client = Client(port)
        rng = random.Random(7)

        def results(path: str) -> list[dict]:
            response = client.get(path)
            if response.status != 200:
                raise RuntimeError(f"discovery: {path} answered {response.status}")
            return response.json()["results"]

        count = client.get("/api/v1/persons/?page_size=1").json()["count"]
        pages = max(1, math.ceil(count / 200))
        sample = rng.sample(range(1, pages + 1), min(3, pages))
        persons = [person for page in sample for person in results(f"/api/v1/persons/?page_size=200&page={page}")]
        home = client.get("/kk/").text
        stylesheet = _STYLESHEET.search(home)
        return cls(
            persons=[
                {"slug": p["slug"], "surname": p["surname"], "ru": p["full_name_ru"], "latin": p["full_name_latin"]}
                for p in persons
            ],
            bodies=[body["slug"] for body in results("/api/v1/bodies/?page_size=500")],
            sessions=[meeting["id"] for meeting in results("/api/v1/sessions/?page_size=500")],
            regions=[region["slug"] for region in results("/api/v1/regions/?page_size=500")],
            associations=[association["slug"] for association in results("/api/v1/associations/?page_size=100")],
            stylesheet=stylesheet.group(1) if stylesheet else "/static/css/site.css",
        )


# The virtual users -----------------------------------------------------------------------------


class VirtualUser(threading.Thread):
    def __init__(self, name: str, *, port: int, recorder: Recorder, stop: threading.Event, seed: int):
        super().__init__(name=name, daemon=True)
        self.client = Client(port)
        self.recorder = recorder
        self.stop_event = stop
        self.rng = random.Random(seed)

    def call(self, kind: str, method: str, path: str, expected=200, **kwargs) -> Response | None:
        try:
            if method == "GET":
                response = self.client.get(path)
            elif method == "FORM":
                response = self.client.post_form(path, kwargs["fields"], kwargs.get("files"))
            elif method == "JSON":
                response = self.client.post_json(path, kwargs["data"])
            else:
                response = self.client.post_multipart(path, kwargs["fields"], kwargs["files"])
        except (OSError, http.client.HTTPException) as error:
            self.recorder.record(kind, method, path, None, expected, error=f"{type(error).__name__}: {error}")
            return None
        outcome = self.recorder.record(kind, method, path, response, expected)
        if outcome == REFUSED:
            self.pause_after_refusal()
        return response if outcome == OK else None

    def signed_in(self, username: str, password: str) -> bool:
        """Signed in through the portal's login form (with the CSRF token its page set), and with
        an API token; a failed attempt is tried again on the next step."""
        if self.client.token:
            return True
        fields = {"username": username, "password": password}
        if (
            self.call("portal sign-in page", "GET", "/en/portal/login/")
            and self.call("portal sign-in", "FORM", "/en/portal/login/", expected=302, fields=fields)
            and (answer := self.call("api token", "JSON", "/api/v1/auth/token/", data=fields))
        ):
            self.client.token = answer.json()["token"]
            return True
        self.pause_after_refusal()
        return False

    def pause_after_refusal(self) -> None:
        # A refused visitor comes back a little later rather than at once.
        time.sleep(0.2)

    def run(self) -> None:
        # A step is finished even when the run ends during it: a write whose answer came is
        # confirmed (or not) before the ledger is checked.
        while not self.stop_event.is_set():
            self.step()


class Reader(VirtualUser):
    """A visitor of the public pages and a user of the public API."""

    def __init__(self, *args, site: Site, **kwargs):
        super().__init__(*args, **kwargs)
        self.site = site
        self.plan = [
            (self.home, 8), (self.directory, 6), (self.directory_filtered, 6), (self.directory_search, 6),
            (self.profile, 12), (self.bodies, 3), (self.body, 6), (self.sessions, 4), (self.session, 6),
            (self.regions, 3), (self.region, 5), (self.composition, 2), (self.static, 3), (self.api_list, 10),
            (self.api_detail, 8), (self.api_on, 5), (self.api_search, 5), (self.deliberate_4xx, 2), (self.healthz, 1),
        ]  # fmt: skip
        self.actions, self.weights = zip(*self.plan, strict=True)

    def step(self) -> None:
        self.rng.choices(self.actions, self.weights)[0]()

    def language(self) -> str:
        return self.rng.choice(LANGUAGES)

    def date(self) -> str:
        return (datetime.date(1996, 1, 1) + datetime.timedelta(days=self.rng.randrange(30 * 365))).isoformat()

    def person(self) -> dict:
        return self.rng.choice(self.site.persons)

    def term(self) -> str:
        person = self.person()
        name = self.rng.choice([person["surname"], person["ru"].split()[0], person["latin"].split()[0]])
        return name[: self.rng.randint(3, len(name))] if self.rng.random() < 0.5 else name

    def home(self):
        return self.call("page home", "GET", f"/{self.language()}/")

    def directory(self):
        return self.call("page members", "GET", f"/{self.language()}/members/")

    def directory_filtered(self):
        filters = self.rng.choice(
            [
                f"body={self.rng.choice(self.site.bodies)}",
                f"region={self.rng.choice(self.site.regions)}",
                f"association={self.rng.choice(self.site.associations)}",
                f"on={self.date()}&body=assembly",
                "basis=association&past=on",
            ]
        )
        return self.call("page members filtered", "GET", f"/{self.language()}/members/?{filters}")

    def directory_search(self):
        return self.call(
            "page members search", "GET", f"/{self.language()}/members/?q={quote(self.term(), safe='')}&past=on"
        )

    def profile(self):
        return self.call("page profile", "GET", f"/{self.language()}/members/{self.person()['slug']}/")

    def bodies(self):
        return self.call("page bodies", "GET", f"/{self.language()}/bodies/")

    def body(self):
        on = f"?on={self.date()}" if self.rng.random() < 0.3 else ""
        return self.call("page body", "GET", f"/{self.language()}/bodies/{self.rng.choice(self.site.bodies)}/{on}")

    def sessions(self):
        return self.call("page sessions", "GET", f"/{self.language()}/sessions/")

    def session(self):
        return self.call("page session", "GET", f"/{self.language()}/sessions/{self.rng.choice(self.site.sessions)}/")

    def regions(self):
        return self.call("page regions", "GET", f"/{self.language()}/regions/")

    def region(self):
        return self.call("page region", "GET", f"/{self.language()}/regions/{self.rng.choice(self.site.regions)}/")

    def composition(self):
        return self.call("page composition", "GET", f"/{self.language()}/composition/?on={self.date()}")

    def static(self):
        return self.call("static file", "GET", self.site.stylesheet)

    def api_list(self):
        # The long lists are paged through; the short ones (20 regions, 63 bodies) have one page.
        path, pages = self.rng.choice(
            [
                ("/api/v1/persons/", 20), ("/api/v1/memberships/", 20), ("/api/v1/sessions/", 6),
                ("/api/v1/associations/", 5), ("/api/v1/decisions/", 5), ("/api/v1/bodies/", 1),
                ("/api/v1/regions/", 1), ("/api/v1/ethnic-groups/", 1),
            ]
        )  # fmt: skip
        return self.call("api list", "GET", f"{path}?lang={self.language()}&page={self.rng.randint(1, pages)}")

    def api_detail(self):
        path = self.rng.choice(
            [
                f"/api/v1/persons/{self.person()['slug']}/",
                f"/api/v1/bodies/{self.rng.choice(self.site.bodies)}/",
                f"/api/v1/sessions/{self.rng.choice(self.site.sessions)}/",
                f"/api/v1/regions/{self.rng.choice(self.site.regions)}/",
            ]
        )
        return self.call("api detail", "GET", path)

    def api_on(self):
        path = self.rng.choice(
            [
                f"/api/v1/memberships/?on={self.date()}&body=assembly",
                f"/api/v1/memberships/?current=true&region={self.rng.choice(self.site.regions)}",
                f"/api/v1/ethnic-groups/?on={self.date()}",
            ]
        )
        return self.call("api on=", "GET", path)

    def api_search(self):
        return self.call("api person search", "GET", f"/api/v1/persons/?q={quote(self.term(), safe='')}")

    def deliberate_4xx(self):
        kind, path, status = self.rng.choice(
            [
                (
                    "page 404 (deliberate)",
                    f"/{self.language()}/members/no-such-person-{self.rng.randint(1, 9999)}/",
                    404,
                ),
                ("api 404 (deliberate)", "/api/v1/bodies/no-such-body/", 404),
                ("api 400 (deliberate)", "/api/v1/persons/?ordering=no_such_field", 400),
            ]
        )
        return self.call(kind, "GET", path, expected=status)

    def healthz(self):
        return self.call("healthz", "GET", "/healthz")


class Office(VirtualUser):
    """A regional office: signs in through the portal's form and gets an API token; nominates
    candidates through the portal (the form with the decision's file, then the submit step) and
    through the API (create, upload the decision, submit), answers returned nominations, and
    reads its list and pages."""

    def __init__(self, *args, kato: str, ledger: Ledger, review: queue.Queue, returned: queue.Queue, **kwargs):
        super().__init__(*args, **kwargs)
        self.kato = kato
        self.ledger = ledger
        self.review = review
        self.returned = returned

    def step(self) -> None:
        if not self.signed_in(office_user(self.kato), OFFICE_PASSWORD):
            return
        try:
            entry = self.returned.get_nowait()
        except queue.Empty:
            entry = None
        if entry is not None:
            self.answer(entry)
        elif self.rng.random() < 0.6:
            self.nominate_through_portal()
        else:
            self.nominate_through_api()
        for _ in range(2):
            if self.rng.random() < 0.5:
                self.call("portal list", "GET", f"/en/portal/?status={self.rng.choice(['', 'draft', 'submitted'])}")

    def candidate(self, entry: Entry) -> dict:
        birth = datetime.date(1900 + int(entry.iin[:2]) + (100 if entry.iin[6] in "56" else 0), 1, 1)
        birth = birth.replace(month=int(entry.iin[2:4]), day=int(entry.iin[4:6]))
        return {
            "track": "national",
            "surname": self.rng.choice(["Бенчев", "Сынақов", "Жүктемеев", "Тестова"]),
            "given_name": self.rng.choice(["Әлия", "Бақыт", "Нұрлан", "Гүлнар"]),
            "iin": entry.iin,
            "birth_date": birth.isoformat(),
            "gender": "female" if entry.iin[6] in "246" else "male",
            "basis": "council",
            "decision_number": f"B-{entry.iin[-4:]}",
            "decision_date": "2026-01-15",
            "position_kk": "жүктеме сынағы",
        }

    def nominate_through_portal(self) -> None:
        entry = self.ledger.new_entry(self.kato, "portal")
        if not self.call("portal new form", "GET", "/en/portal/new/"):
            return
        created = self.call(
            "portal create (form + file)",
            "FORM",
            "/en/portal/new/",
            expected=302,
            fields=self.candidate(entry),
            files={"decision_file": ("decision.pdf", "application/pdf", PDF)},
        )
        if created is None:
            self.ledger.failed(entry, "portal create", "draft")
            return
        entry.pk = int(created.location.rstrip("/").rsplit("/", 1)[1])
        self.ledger.succeeded(entry, "portal create", "draft", version=1)
        detail = self.call("portal detail", "GET", created.location)
        if detail is None:
            return
        version = dict(_VERSION_FIELD.findall(detail.text)).get("submit")
        if version is None:
            self.recorder.fail("portal detail", "GET", created.location, "the page has no submit form")
            return
        self.portal_step(entry, "submit", {"submit-version": version}, "submitted")

    def portal_step(self, entry: Entry, action: str, fields: dict, status: str) -> None:
        path = f"/en/portal/{entry.pk}/steps/{action}/"
        answer = self.call(f"portal step {action}", "FORM", path, expected=302, fields=fields)
        if answer is None:
            self.ledger.failed(entry, f"portal {action}", status)
            return
        # The step's answer is a redirect either way; the page it leads to says whether it was done.
        page = self.call("portal detail", "GET", answer.location)
        if page is None:
            self.ledger.failed(entry, f"portal {action}", status)
            return
        messages = _MESSAGE.findall(page.text)
        if not any(tag == "success" for tag, _text in messages):
            self.recorder.fail(f"portal step {action}", "FORM", path, f"refused: {messages}")
            self.ledger.failed(entry, f"portal {action}", status)
            return
        self.ledger.succeeded(entry, f"portal {action}", status, version=int(fields[f"{action}-version"]) + 1)
        self.hand_on(entry, status)

    def hand_on(self, entry: Entry, status: str) -> None:
        if status in ("submitted", "resubmitted"):
            self.review.put(entry)

    def nominate_through_api(self) -> None:
        entry = self.ledger.new_entry(self.kato, "api")
        created = self.call("api create", "JSON", "/api/v1/nominations/", expected=201, data=self.candidate(entry))
        if created is None:
            self.ledger.failed(entry, "api create", "draft")
            return
        body = created.json()
        entry.pk = body["id"]
        self.ledger.succeeded(entry, "api create", "draft", version=body["version"])
        uploaded = self.call(
            "api upload document",
            "MULTIPART",
            f"/api/v1/nominations/{entry.pk}/documents/",
            expected=201,
            fields={"kind": "decision"},
            files={"file": ("decision.pdf", "application/pdf", PDF)},
        )
        if uploaded is None:
            self.ledger.failed(entry, "api upload", "draft")
            return
        entry.documents.append(uploaded.json()["id"])
        self.ledger.succeeded(entry, "api upload", "draft")
        self.api_step(entry, "submit", {"version": entry.version}, "submitted")

    def api_step(self, entry: Entry, action: str, data: dict, status: str) -> None:
        path = f"/api/v1/nominations/{entry.pk}/{action}/"
        answer = self.call(f"api step {action}", "JSON", path, data=data)
        if answer is None:
            self.ledger.failed(entry, f"api {action}", status)
            return
        self.ledger.succeeded(entry, f"api {action}", answer.json()["status"], version=answer.json()["version"])
        self.hand_on(entry, status)

    def answer(self, entry: Entry) -> None:
        comment = "The reasons are answered: the decision is attached again."
        if entry.via == "portal":
            page = self.call("portal detail", "GET", f"/en/portal/{entry.pk}/")
            version = dict(_VERSION_FIELD.findall(page.text)).get("resubmit") if page else None
            if version is None:
                if page is not None:
                    self.recorder.fail(
                        "portal detail", "GET", f"/en/portal/{entry.pk}/", "the page has no resubmit form"
                    )
                return
            self.portal_step(
                entry, "resubmit", {"resubmit-version": version, "resubmit-comment": comment}, "resubmitted"
            )
        else:
            self.api_step(entry, "answer", {"version": entry.version, "comment": comment}, "resubmitted")


class Secretariat(VirtualUser):
    """A Secretariat editor: takes the submitted nominations in turn and accepts them, or returns
    some once for revision; half through the portal's forms, half through the API."""

    def __init__(self, *args, ledger: Ledger, review: queue.Queue, returned: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.ledger = ledger
        self.review = review
        self.returned = returned

    def step(self) -> None:
        if not self.signed_in(STAFF_USER, STAFF_PASSWORD):
            return
        try:
            entry = self.review.get(timeout=0.5)
        except queue.Empty:
            self.call("portal dashboard", "GET", "/en/portal/dashboard/")
            return
        give_back = not entry.returned_once and self.rng.random() < 0.3
        action = "return" if give_back else "accept"
        status = "returned" if give_back else "accepted"
        comment = "Attach the decision signed by the chairman." if give_back else ""
        if self.rng.random() < 0.5:
            self.through_portal(entry, action, status, comment)
        else:
            data = {"action": action, "version": entry.version, "comment": comment}
            answer = self.call(f"api step {action}", "JSON", f"/api/v1/nominations/{entry.pk}/transition/", data=data)
            if answer is None:
                self.ledger.failed(entry, f"api {action}", status)
                return
            self.ledger.succeeded(entry, f"api {action}", answer.json()["status"], version=answer.json()["version"])
            self.after(entry, give_back)

    def through_portal(self, entry: Entry, action: str, status: str, comment: str) -> None:
        page = self.call("portal detail", "GET", f"/en/portal/{entry.pk}/")
        version = dict(_VERSION_FIELD.findall(page.text)).get(action) if page else None
        if version is None:
            if page is not None:
                self.recorder.fail("portal detail", "GET", f"/en/portal/{entry.pk}/", f"the page has no {action} form")
            return
        path = f"/en/portal/{entry.pk}/steps/{action}/"
        fields = {f"{action}-version": version, f"{action}-comment": comment}
        answer = self.call(f"portal step {action}", "FORM", path, expected=302, fields=fields)
        if answer is None:
            self.ledger.failed(entry, f"portal {action}", status)
            return
        result = self.call("portal detail", "GET", answer.location)
        if result is None:
            self.ledger.failed(entry, f"portal {action}", status)
            return
        messages = _MESSAGE.findall(result.text)
        if not any(tag == "success" for tag, _text in messages):
            self.recorder.fail(f"portal step {action}", "FORM", path, f"refused: {messages}")
            self.ledger.failed(entry, f"portal {action}", status)
            return
        self.ledger.succeeded(entry, f"portal {action}", status, version=int(version) + 1)
        self.after(entry, action == "return")

    def after(self, entry: Entry, given_back: bool) -> None:
        if given_back:
            entry.returned_once = True
            self.returned[entry.region].put(entry)


class Traffic:
    """The whole cast: ``readers`` visitors, one office per benchmark region, one Secretariat editor."""

    def __init__(self, *, port: int, site: Site, recorder: Recorder, ledger: Ledger, readers: int, seed: int = 1):
        self.stop_event = threading.Event()
        review: queue.Queue = queue.Queue()
        returned = {kato: queue.Queue() for kato in OFFICE_REGIONS}
        common = {"port": port, "recorder": recorder, "stop": self.stop_event}
        self.users: list[VirtualUser] = [
            Reader(f"reader-{index}", site=site, seed=seed * 1000 + index, **common) for index in range(readers)
        ]
        self.users += [
            Office(
                f"office-{kato}",
                kato=kato,
                ledger=ledger,
                review=review,
                returned=returned[kato],
                seed=seed * 2000 + index,
                **common,
            )
            for index, kato in enumerate(OFFICE_REGIONS)
        ]
        self.users.append(
            Secretariat("secretariat", ledger=ledger, review=review, returned=returned, seed=seed, **common)
        )

    def start(self) -> None:
        for user in self.users:
            user.start()

    def stop(self) -> None:
        self.stop_event.set()
        for user in self.users:
            user.join(timeout=120)


# The report ------------------------------------------------------------------------------------


def print_report(summary: dict, verification: dict, log_findings: dict, *, seconds: float) -> None:
    print()
    print(f"Requests served: {summary['requests']} in {seconds:.0f} s ({summary['requests'] / seconds:.1f}/s)")
    print(f"  statuses: {summary['statuses']}")
    print(f"  errors: {summary['errors']}")
    if summary["refused_503"]:
        print(f"  refused with a clear 503 (database down): {summary['refused_503']}")
    print()
    print(f"  {'kind of request':34} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind, row in summary["kinds"].items():
        print(
            f"  {kind:34} {row['count']:>7} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['p99_ms']:>8} {row['max_ms']:>8}"
        )
    overall = summary["all"]
    print(f"  {'all':34} {summary['answered_as_expected']:>7} {overall['p50_ms']:>8} {overall['p95_ms']:>8} "
          f"{overall['p99_ms']:>8}")  # fmt: skip
    print()
    print(f"Writes: {verification['nominations']} nominations started")
    print(f"  confirmed: {verification['confirmed_writes']}")
    if verification["failed_writes"]:
        print(f"  failed (answered with an error): {verification['failed_writes']}")
        print(f"  of which committed all the same: {verification['failed_but_committed']}")
    print(f"  lost (success answered, not in the database): {len(verification['lost'])}")
    for line in verification["lost"][:20]:
        print(f"    {line}")
    print(f"  in another state than answered: {len(verification['mismatched'])}")
    for line in verification["mismatched"][:20]:
        print(f"    {line}")
    print(
        f"Server log: {log_findings['errors']} error lines, {log_findings['unavailable_503']} lines of 503 answers, "
        f"{log_findings['worker_timeouts']} worker timeouts"
    )
    for line in log_findings["examples"]:
        print(f"    {line}")


def print_failures(recorder: Recorder, limit: int = 40) -> None:
    if not recorder.failures:
        return
    print()
    print("Errors (time since start, kind, request, answer):")
    grouped = Counter((failure.kind, failure.answer[:120]) for failure in recorder.failures)
    for (kind, answer), count in grouped.most_common(limit):
        example = next(f for f in recorder.failures if f.kind == kind and f.answer[:120] == answer)
        print(f"  {count:>5} x {kind}: {example.method} {example.path[:80]} -> {answer} (first at {example.at:.1f} s)")


_LOG_ERROR = re.compile(r'"level": "(ERROR|CRITICAL)"|\[(ERROR|CRITICAL)\]')


def scan_log(path) -> dict:
    """Error lines of the application and of gunicorn (a worker killed for taking too long); the
    lines of the 503 answers (Django logs every 5xx answer as an error) are counted apart."""
    errors, unavailable, timeouts, examples = 0, 0, 0, []
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            if "WORKER TIMEOUT" in line:
                timeouts += 1
            if '"message": "Service Unavailable: ' in line:
                unavailable += 1
            elif _LOG_ERROR.search(line):
                errors += 1
                if len(examples) < 5:
                    examples.append(line.strip()[:300])
    return {"errors": errors, "unavailable_503": unavailable, "worker_timeouts": timeouts, "examples": examples}
