"""The soak benchmark: the production server (gunicorn, DEBUG off) on loopback against a database of
its own, under mixed traffic for several minutes: visitors of the public pages and API, regional
offices nominating through the portal's forms and the API, the Secretariat reviewing.

    .venv/bin/python bench/soak.py [--minutes 5] [--workers N] [--concurrency C]

Prints the requests served, every error (any answer but the expected one: a deliberate 404 or 400
is expected), latency percentiles per kind of request, and whether every write answered with
success is in the database. Exit status 0 when there were no errors and nothing was lost.
"""

import argparse
import os
import sys
import time

from harness import OUT, BenchPostgres, machine, say, serve_fresh_site, tear_down, write_results
from load import Ledger, Recorder, Site, Traffic, print_failures, print_report, scan_log

DATABASE = "bench_soak"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5, help="how long the traffic runs (default 5)")
    parser.add_argument(
        "--workers", type=int, default=2 * os.cpu_count() + 1, help="gunicorn workers (default: twice the cores + 1)"
    )
    parser.add_argument("--concurrency", type=int, default=8, help="visitors reading at once (default 8)")
    return parser.parse_args()


def main() -> int:
    options = arguments()
    run_dir = OUT / time.strftime("soak-%Y%m%d-%H%M%S")
    database, server = BenchPostgres(), None
    try:
        server = serve_fresh_site(database, DATABASE, run_dir, workers=options.workers)
        site = Site.discover(server.port)
        started = time.monotonic()
        recorder, ledger = Recorder(started=started), Ledger()
        traffic = Traffic(port=server.port, site=site, recorder=recorder, ledger=ledger, readers=options.concurrency)
        writers = len(traffic.users) - options.concurrency
        say(f"traffic for {options.minutes:g} min: {options.concurrency} visitors, {writers} portal/API writers")
        say(f"machine: {machine()}; load average before: {os.getloadavg()[0]:.1f}")
        traffic.start()
        deadline = started + options.minutes * 60
        load_averages = []
        while (left := deadline - time.monotonic()) > 0:
            time.sleep(min(30, left))
            elapsed = time.monotonic() - started
            load_averages.append(round(os.getloadavg()[0], 1))
            say(
                f"{elapsed:5.0f} s: {recorder.total} requests ({recorder.total / elapsed:.1f}/s), "
                f"{len(recorder.failures)} errors, load average {load_averages[-1]}"
            )
        traffic.stop()
        seconds = time.monotonic() - started
        summary = recorder.summary()
        verification = ledger.verify_in(database, DATABASE)
        server.stop()
        log_findings = scan_log(run_dir / "gunicorn.log")
        print_report(summary, verification, log_findings, seconds=seconds)
        print_failures(recorder)
        passed = not recorder.failures and not verification["lost"] and not verification["mismatched"]
        passed = passed and not log_findings["errors"] and not log_findings["worker_timeouts"]
        results = {
            "date": time.strftime("%Y-%m-%d %H:%M"),
            "minutes": options.minutes,
            "workers": options.workers,
            "concurrency": options.concurrency,
            "machine": machine(),
            "load_average": load_averages,
            "seconds": round(seconds, 1),
            "summary": summary,
            "writes": verification,
            "log": log_findings,
            "passed": passed,
        }
        return write_results(run_dir, results, passed=passed)
    finally:
        tear_down(database, DATABASE, server)


if __name__ == "__main__":
    sys.exit(main())
