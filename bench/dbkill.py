"""The database-kill benchmark: the production server (gunicorn) under steady mixed traffic, writes
included; then its database server dies (SIGKILL to PostgreSQL and all its processes, or with
``--stop`` a clean fast shutdown), stays down for a while, and is started again.

    .venv/bin/python bench/dbkill.py [--before 30] [--down 20] [--after 30] [--stop] [--workers N]

It checks that
- while the database is down every answer is a clear 503, never a 500 and never a hang: /healthz
  answers 503 in JSON, the pages the 503 page, the API 503 in JSON, each with Retry-After;
- the site recovers by itself once the database is back (no restart of gunicorn);
- no write answered with success is lost, and every write that failed was answered with a clear
  error (503), never with a success.

It prints a timeline (database down, first 503, database up, first 200 after) and PASS or FAIL.
Only the benchmarks' own PostgreSQL server (``bench/out/pgdata``) is stopped: the development
server and the tests' databases are not touched.
"""

import argparse
import dataclasses
import http.client
import os
import sys
import threading
import time

from harness import OUT, BenchPostgres, Client, machine, say, serve_fresh_site, tear_down, write_results
from load import Ledger, Recorder, Site, Traffic, is_clear_unavailable, print_failures, print_report, scan_log

DATABASE = "bench_dbkill"
# How long a request may take while the database is down before it counts as hanging.
HANG_SECONDS = 5
# After the database is up again, this long for the workers to reconnect; a 503 later is a failure.
RECOVERY_SECONDS = 10
PROBES = {"healthz": "/healthz", "page": "/kk/members/", "api": "/api/v1/regions/"}


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=float, default=30, help="seconds of traffic before the kill (default 30)")
    parser.add_argument("--down", type=float, default=20, help="seconds the database stays down (default 20)")
    parser.add_argument("--after", type=float, default=30, help="seconds of traffic after the restart (default 30)")
    parser.add_argument("--stop", action="store_true", help="a clean fast shutdown instead of SIGKILL")
    parser.add_argument("--workers", type=int, default=2 * os.cpu_count() + 1, help="gunicorn workers")
    parser.add_argument("--concurrency", type=int, default=6, help="visitors reading at once (default 6)")
    return parser.parse_args()


@dataclasses.dataclass
class Probe:
    at: float
    name: str
    status: int | None
    seconds: float
    clear: bool


class Prober(threading.Thread):
    """Asks one address every 0.2 s (each in its own thread, so that a slow answer of one does not
    delay the others) and keeps every answer."""

    def __init__(self, name: str, port: int, started: float, stop: threading.Event):
        super().__init__(name=f"probe-{name}", daemon=True)
        self.probe_name = name
        self.path = PROBES[name]
        self.client = Client(port, timeout=30)
        self.started = started
        self.stop_event = stop
        self.probes: list[Probe] = []

    def run(self) -> None:
        while not self.stop_event.is_set():
            at = time.monotonic() - self.started
            try:
                response = self.client.get(self.path)
            except (OSError, http.client.HTTPException):
                self.probes.append(Probe(at, self.probe_name, None, time.monotonic() - self.started - at, False))
                continue
            clear = response.status == 200 or is_clear_unavailable(self.path, response)
            if response.status == 503 and self.probe_name != "healthz":
                json_answer = response.headers.get("content-type", "").startswith("application/json")
                clear = clear and json_answer == (self.probe_name == "api")
            self.probes.append(Probe(at, self.probe_name, response.status, response.elapsed, clear))
            time.sleep(0.2)


class Probes:
    def __init__(self, port: int, started: float):
        self.stop_event = threading.Event()
        self.threads = [Prober(name, port, started, self.stop_event) for name in PROBES]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        for thread in self.threads:
            thread.join(timeout=60)

    @property
    def probes(self) -> list[Probe]:
        return sorted((probe for thread in self.threads for probe in thread.probes), key=lambda probe: probe.at)

    def first(self, name: str, status: int, after: float) -> float | None:
        return next((p.at for p in self.probes if p.name == name and p.status == status and p.at >= after), None)


def main() -> int:
    options = arguments()
    run_dir = OUT / time.strftime("dbkill-%Y%m%d-%H%M%S")
    database, server = BenchPostgres(), None
    try:
        server = serve_fresh_site(database, DATABASE, run_dir, workers=options.workers)
        site = Site.discover(server.port)
        started = time.monotonic()
        recorder, ledger = Recorder(started=started, unavailable_ok=True), Ledger()
        traffic = Traffic(port=server.port, site=site, recorder=recorder, ledger=ledger, readers=options.concurrency)
        prober = Probes(server.port, started)
        say(f"machine: {machine()}")
        traffic.start()
        prober.start()
        load_averages = [round(os.getloadavg()[0], 1)]

        def now() -> float:
            return time.monotonic() - started

        say(f"steady traffic for {options.before:g} s")
        time.sleep(options.before)
        how = "stopped (fast shutdown)" if options.stop else "killed (SIGKILL)"
        load_averages.append(round(os.getloadavg()[0], 1))
        down_at = now()
        database.stop() if options.stop else database.kill()
        say(f"database {how} at {down_at:.1f} s; down for {options.down:g} s")
        time.sleep(options.down)
        start_at = now()
        database.start()
        up_at = now()
        say(f"database started at {start_at:.1f} s, ready at {up_at:.1f} s; traffic for {options.after:g} s more")
        time.sleep(options.after)
        load_averages.append(round(os.getloadavg()[0], 1))
        traffic.stop()
        prober.stop()
        seconds = now()

        summary = recorder.summary()
        verification = ledger.verify_in(database, DATABASE)
        server.stop()
        log_findings = scan_log(run_dir / "gunicorn.log")

        checks = judge(prober, recorder, down_at=down_at, up_at=up_at)
        checks["no write answered with success was lost"] = not verification["lost"] and not verification["mismatched"]
        checks["every failed write got a clear error (503), none a 500 or no answer"] = not recorder.failures
        checks["no 500 in the server log, no worker timeout"] = not (
            log_findings["errors"] or log_findings["worker_timeouts"]
        )

        print_report(summary, verification, log_findings, seconds=seconds)
        print_failures(recorder)
        print()
        print("Timeline (seconds since the traffic started):")
        for line in timeline(prober, how=how, down_at=down_at, start_at=start_at, up_at=up_at):
            print(f"  {line}")
        print()
        for check, passed in checks.items():
            print(f"  [{'ok' if passed else 'FAILED'}] {check}")
        passed = all(checks.values())
        results = {
            "date": time.strftime("%Y-%m-%d %H:%M"),
            "mode": "stop" if options.stop else "kill",
            "workers": options.workers,
            "machine": machine(),
            "load_average": load_averages,
            "down_at": round(down_at, 1),
            "start_at": round(start_at, 1),
            "up_at": round(up_at, 1),
            "first_503": {name: prober.first(name, 503, down_at) for name in PROBES},
            "first_200_after": {name: prober.first(name, 200, up_at) for name in PROBES},
            "checks": checks,
            "summary": summary,
            "writes": verification,
            "log": log_findings,
            "passed": passed,
        }
        return write_results(run_dir, results, passed=passed)
    finally:
        tear_down(database, DATABASE, server)


def judge(prober: Probes, recorder: Recorder, *, down_at: float, up_at: float) -> dict[str, bool]:
    """The checks of the outage and the recovery, from the probes and the traffic's refusals."""
    outage = [p for p in prober.probes if down_at <= p.at <= up_at]
    recovered_by = up_at + RECOVERY_SECONDS
    late = [p for p in prober.probes if p.at > recovered_by and p.status != 200]
    late_refusals = [at for at in recorder.refusal_times if at > recovered_by]
    early_refusals = [at for at in recorder.refusal_times if at < down_at]
    first_503 = [prober.first(name, 503, down_at) for name in PROBES]
    checks = {
        "while down, /healthz, the page and the API answered 503 (JSON, the 503 page, JSON)": all(first_503)
        and all(p.clear for p in outage),
        f"while down, no answer took longer than {HANG_SECONDS} s": all(
            p.status is not None and p.seconds <= HANG_SECONDS for p in outage
        ),
        f"recovered by itself within {RECOVERY_SECONDS} s of the database being ready": all(
            (first := prober.first(name, 200, up_at)) is not None and first <= recovered_by for name in PROBES
        ),
        "after the recovery, no 503 and nothing but 200 from the probes": not late and not late_refusals,
        "no 503 before the database went down": not early_refusals,
    }
    return checks


def timeline(prober: Probes, *, how: str, down_at: float, start_at: float, up_at: float) -> list[str]:
    events = [(down_at, f"database {how}"), (start_at, "database start asked"), (up_at, "database ready")]
    never = []
    for name in PROBES:
        first_503, first_200 = prober.first(name, 503, down_at), prober.first(name, 200, up_at)
        if first_503 is None:
            never.append(f"no 503 from {name} at all")
        else:
            events.append((first_503, f"first 503 from {name} ({first_503 - down_at:.1f} s after)"))
        if first_200 is None:
            never.append(f"no 200 from {name} after the restart")
        else:
            events.append((first_200, f"first 200 from {name} ({first_200 - up_at:.1f} s after it was ready)"))
    return [f"{at:7.1f}  {event}" for at, event in sorted(events)] + [f"  never  {event}" for event in never]


if __name__ == "__main__":
    sys.exit(main())
