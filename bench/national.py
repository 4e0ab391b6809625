"""The national-scale benchmark: the public pages and the public API against 100,000 persons,
1,000,000 memberships, 20,000 meetings and 5,000,000 attendance rows.

    .venv/bin/python bench/national.py [--rebuild] [--duration 12] [--connections 32]

- The benchmarks' own PostgreSQL (``bench/harness.py``) holds two databases: ``bench_national``
  (``demo_data --scale national``, built once and kept; ``--rebuild`` builds it again) and
  ``bench_demo`` (the small demo set), so that each page's SQL query count is measured at both
  scales (``bench/pages.py``, through Django's test client, with the public cache off).
- gunicorn serves the site with the production settings on loopback, with the trivial view
  (``BENCH_TRIVIAL_VIEW=1``: ``/bench/trivial`` answers "ok" through the whole middleware stack)
  as the yardstick; wrk (``apt-get install wrk``) drives each address for ``--duration``
  seconds at ``--connections`` connections, once with the public page cache on
  (``PUBLIC_CACHE_SECONDS=300``) and once with it off (0), the trivial view first in each run.
- The member search is also timed alone: the search query itself over 200 random names in
  Kazakh, Russian and Latin letters (``bench/pages.py``) and through the API, one request at a
  time.
- Writes ``bench/out/national-<date>-<time>/results.json`` and ``bench/RESULTS.md``.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402
    OUT,
    POSTGRES_SETTINGS,
    PYTHON,
    ROOT,
    BenchPostgres,
    Client,
    Gunicorn,
    RedisServer,
    machine,
    say,
)
from harness import production_environment as base_environment  # noqa: E402

NATIONAL, DEMO = "bench_national", "bench_demo"
TARGET_PERSONS, TARGET_ATTENDANCE = 100_000, 5_000_000
TRIVIAL = "/bench/trivial"
CACHE_MODES = (("cache on", "300"), ("cache off", "0"))
# Issue 8's targets.
MAX_QUERIES, SEARCH_P95_MS, CACHED_RATIO, UNCACHED_RATIO, P99_MS = 10, 30, 0.5, 0.15, 100
IMPORT_RESULTS = OUT / "import-latest.json"
ANALYSIS = "<!-- analysis: written by hand, kept by bench/national.py -->"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rebuild", action="store_true", help="Build the national database again.")
    parser.add_argument("--duration", type=int, default=12, help="Seconds of load per address (default 12).")
    parser.add_argument("--connections", type=int, default=32, help="Open connections (default 32).")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers.")
    options = parser.parse_args()
    for tool in ("wrk", "redis-server"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is needed: apt-get install -y wrk redis-server")

    run_dir = OUT / f"national-{time.strftime('%Y%m%d-%H%M%S')}"
    run_dir.mkdir(parents=True, exist_ok=True)
    database = BenchPostgres()
    # Another benchmark may be using the server: stop it at the end only if this run started it.
    already_up = database.postmaster() is not None
    database.start()
    redis = RedisServer(run_dir / "redis.log")
    redis.start()
    results = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "options": vars(options)}
    try:
        results["load"] = ensure_database(database, NATIONAL, run_dir, national=True, rebuild=options.rebuild)
        ensure_database(database, DEMO, run_dir, national=False, rebuild=options.rebuild)
        environment = production_environment(database, NATIONAL, run_dir)
        run(environment, "collectstatic", "--noinput", "--verbosity", "0", log=run_dir / "setup.log")
        # The workers share one cache, as several instances behind a proxy do.
        served = {**environment, "REDIS_URL": redis.url}
        say("query counts and search times at both scales")
        results["demo"] = measure_pages(production_environment(database, DEMO, run_dir))
        results["national"] = measure_pages(environment)
        results["http"] = {}
        for mode, seconds in CACHE_MODES:
            results["http"][mode] = load_test(
                {**served, "PUBLIC_CACHE_SECONDS": seconds}, results["national"]["pages"], options, run_dir, mode
            )
        results["api_search"] = api_search(served, results["national"]["search_names"], run_dir)
    finally:
        redis.stop()
        if not already_up:
            database.stop()
    if IMPORT_RESULTS.exists():
        results["import"] = json.loads(IMPORT_RESULTS.read_text())
    (run_dir / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    report = render(results)
    path = ROOT / "bench" / "RESULTS.md"
    # The hand-written reading of the figures, below the marker, survives a new run.
    kept = path.read_text().partition(ANALYSIS)[2] if path.exists() else ""
    path.write_text(f"{report}\n{ANALYSIS}{kept or chr(10)}")
    print(report)
    say(f"results: {run_dir / 'results.json'} and bench/RESULTS.md")
    return 0


def production_environment(database: BenchPostgres, name: str, run_dir: Path) -> dict:
    environment = base_environment(database.url(name), run_dir)
    environment["BENCH_TRIVIAL_VIEW"] = "1"
    return environment


def run(environment: dict, *arguments: str, log: Path) -> str:
    with log.open("ab") as stream:
        stream.write(f"$ manage.py {' '.join(arguments)}\n".encode())
        completed = subprocess.run(
            [PYTHON, "manage.py", *arguments], cwd=ROOT, env=environment, check=True, capture_output=True
        )
        stream.write(completed.stdout + completed.stderr)
    return completed.stdout.decode()


def ensure_database(database: BenchPostgres, name: str, run_dir: Path, *, national: bool, rebuild: bool) -> dict:
    """The database ``name`` with its data: kept from an earlier run when complete."""
    if not rebuild and is_complete(database, name, national=national):
        say(f"database {name}: kept from an earlier run (--rebuild to build it again)")
        return {"kept": True}
    database.create_database(name)
    environment = production_environment(database, name, run_dir)
    log = run_dir / f"load-{name}.log"
    say(f"database {name}: migrate and demo_data{' --scale national' if national else ''} (log: {log})")
    started = time.monotonic()
    run(environment, "migrate", "--noinput", log=log)
    migrated = time.monotonic()
    output = run(environment, "demo_data", *(["--scale", "national"] if national else []), log=log)
    finished = time.monotonic()
    say(f"database {name}: loaded in {finished - migrated:.0f} s")
    return {"kept": False, "migrate_s": round(migrated - started, 1), "load_s": round(finished - migrated, 1),
            "output": output.strip().splitlines()}  # fmt: skip


def is_complete(database: BenchPostgres, name: str, *, national: bool) -> bool:
    try:
        connection = database.connect(name)
    except Exception:  # noqa: BLE001 - a missing database is the usual answer
        return False
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM members_person")
            persons = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM assembly_sessions_attendance")
            attendance = cursor.fetchone()[0]
    except Exception:  # noqa: BLE001 - a half-built database (no tables yet) is rebuilt
        return False
    finally:
        connection.close()
    if national:
        return persons >= TARGET_PERSONS and attendance >= TARGET_ATTENDANCE
    return 0 < persons < TARGET_PERSONS


def measure_pages(environment: dict) -> dict:
    completed = subprocess.run(
        [PYTHON, "bench/pages.py"],
        cwd=ROOT,
        env={**environment, "PUBLIC_CACHE_SECONDS": "0"},
        check=True,
        capture_output=True,
    )
    return json.loads(completed.stdout)


# The load ----------------------------------------------------------------------------------------

_LATENCY = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(port: int, address: str, options) -> dict:
    command = [
        "wrk", "--latency", "-t", "2", "-c", str(options.connections), "-d", f"{options.duration}s",
        "--timeout", "10s", f"http://127.0.0.1:{port}{address}",
    ]  # fmt: skip
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    latencies = {percent: float(value) * _UNIT[unit] for percent, value, unit in _LATENCY.findall(output)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": round(latencies["50"], 1),
        "p99_ms": round(latencies["99"], 1),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def load_test(environment: dict, pages: dict[str, str], options, run_dir: Path, mode: str) -> dict:
    server = Gunicorn(environment, workers=options.workers, log_path=run_dir / f"gunicorn-{mode.replace(' ', '-')}.log")
    server.start()
    try:
        client = Client(server.port)
        for address in [TRIVIAL, *pages.values()]:
            # As wrk sends it (the host with the port): the page is then cached under wrk's key.
            status = client.get(address, headers={"Host": f"127.0.0.1:{server.port}"}).status
            if status != 200:
                raise RuntimeError(f"{address} answered {status}")
        figures = {}
        for name, address in [("trivial view", TRIVIAL), *pages.items()]:
            drain(client)
            say(f"{mode}: {name} ({options.duration} s at {options.connections} connections)")
            figures[name] = wrk(server.port, address, options)
        trivial = figures["trivial view"]["rps"]
        for figure in figures.values():
            figure["ratio"] = round(figure["rps"] / trivial, 3)
        return figures
    finally:
        server.stop()


def drain(client: Client, *, limit: float = 120) -> None:
    """Wait until the workers are idle: gunicorn goes on answering the requests a previous
    address left queued after wrk has gone, and they would be counted against the next one."""
    deadline = time.monotonic() + limit
    quick = 0
    while quick < 3 and time.monotonic() < deadline:
        quick = quick + 1 if client.get(TRIVIAL).elapsed < 0.05 else 0
        time.sleep(0.2)


def api_search(environment: dict, names: list[str], run_dir: Path) -> dict:
    """The API's person search, one request at a time (no queueing): the time a visitor waits."""
    server = Gunicorn({**environment, "PUBLIC_CACHE_SECONDS": "0"}, workers=1, log_path=run_dir / "gunicorn-search.log")
    server.start()
    try:
        client = Client(server.port)
        times = []
        for name in names:
            response = client.get(f"/api/v1/persons/?q={urllib.parse.quote(name)}")
            if response.status != 200:
                raise RuntimeError(f"person search for {name!r} answered {response.status}")
            times.append(response.elapsed * 1000)
        times.sort()
        return {
            "requests": len(times),
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        }
    finally:
        server.stop()


# The report --------------------------------------------------------------------------------------


def render(results: dict) -> str:
    lines = [
        "# National-scale benchmark",
        "",
        "Written by `bench/national.py` (`make bench`); the figures of its last run.",
        "",
        f"- Date: {results['date']}",
        f"- Machine: {results['machine']}; the load tool (wrk), gunicorn and PostgreSQL share it.",
        f"- Load: wrk, {results['options']['connections']} connections, 2 threads, "
        f"{results['options']['duration']} s per address; gunicorn {results['options']['workers']} sync workers "
        "(`--preload`), production settings (`DEBUG` off), loopback; the cache in Redis (`REDIS_URL`, shared by "
        "the workers), each address requested once before it is measured.",
        "- PostgreSQL 18 (embedded), "
        + ", ".join(f"`{name} = {value}`" for name, value in POSTGRES_SETTINGS.items())
        + ".",
        "",
    ]
    load = results.get("load", {})
    if load.get("output"):
        lines += ["## The national data set (`demo_data --scale national`)", ""]
        lines += [f"- migrate {load['migrate_s']} s, demo_data {load['load_s']} s", ""]
        lines += [f"    {line}" for line in load["output"]] + [""]
    lines += ["## Queries per page (public cache off)", ""]
    lines += ["| page | address (national) | demo scale | national scale | same, ≤ 10 |", "|---|---|---:|---:|---|"]
    demo, national = results["demo"], results["national"]
    for name, address in national["pages"].items():
        small, large = demo["queries"][name]["queries"], national["queries"][name]["queries"]
        met = "yes" if small == large <= MAX_QUERIES else "**no**"
        lines.append(f"| {name} | `{address}` | {small} | {large} | {met} |")
    lines += ["", f"Persons: {demo['persons']} (demo scale), {national['persons']} (national scale).", ""]
    for mode, figures in results["http"].items():
        ratio = CACHED_RATIO if mode == "cache on" else UNCACHED_RATIO
        lines += [f"## Throughput, {mode}", ""]
        lines += [f"| address | req/s | p50 ms | p99 ms | ratio to trivial (≥ {ratio}) | p99 < {P99_MS} ms | errors |"]
        lines += ["|---|---:|---:|---:|---:|---|---:|"]
        for name, figure in figures.items():
            errors = figure["non_2xx"] + (1 if figure["socket_errors"] else 0)
            ratio_met = "" if name == "trivial view" else (" ✓" if figure["ratio"] >= ratio else " ✗")
            p99_met = "yes" if figure["p99_ms"] < P99_MS else "no"
            lines.append(
                f"| {name} | {figure['rps']:.0f} | {figure['p50_ms']} | {figure['p99_ms']} | "
                f"{figure['ratio']:.2f}{ratio_met} | {p99_met} | {errors} |"
            )
        lines.append("")
    search = national["search"]
    lines += [
        "## Member search",
        "",
        f"- The query alone (public persons matching every word, a page of 20 by name and the count), "
        f"{search['searches']} random names in Kazakh, Russian and Latin letters, national scale: "
        f"p50 {search['p50_ms']} ms, **p95 {search['p95_ms']} ms** (target < {SEARCH_P95_MS} ms), "
        f"max {search['max_ms']} ms; {search['found']} found their person.",
        f"- Through the API (`/api/v1/persons/?q=`), one request at a time: p50 {results['api_search']['p50_ms']} ms, "
        f"p95 {results['api_search']['p95_ms']} ms.",
        "",
        "The plan of one search (EXPLAIN ANALYZE):",
        "",
        *[f"    {line}" for line in search["explain"]],
        "",
    ]
    if "import" in results:
        imported = results["import"]
        lines += ["## Import (`bench/import_bench.py`)", ""]
        lines += [f"- {line}" for line in imported["lines"]] + [""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
