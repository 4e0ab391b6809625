"""The production settings: `manage.py check --deploy` is clean with the environment the README
gives, and DEBUG cannot be turned on for a production host. Each check runs in a fresh
process, because the settings are read from the environment once, at start-up."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

# As in the README's "Production" section; the database is never connected to by `check`.
PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "apk.example.kz",
    "DATABASE_URL": "postgresql://assembly:unused@127.0.0.1:9/assembly",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "CSRF_TRUSTED_ORIGINS": "https://apk.example.kz",
    "NUM_PROXIES": "1",
}


def manage(*args: str, **environment: str) -> subprocess.CompletedProcess:
    """``manage.py`` with the real settings and only the given environment (nothing of the
    developer's own environment, which might relax a setting)."""
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "PYTHONUNBUFFERED": "1"}
    env |= {"DJANGO_SETTINGS_MODULE": "assembly.settings", **environment}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_deploy_is_clean_with_the_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_the_production_environment_is_incomplete():
    # The same command fails on a weak key: the test above would catch a relaxed setting.
    result = manage("check", "--deploy", "--fail-level", "WARNING", **(PRODUCTION | {"SECRET_KEY": "short"}))

    assert result.returncode != 0
    assert "security.W009" in result.stderr


@pytest.mark.parametrize("hosts", ["apk.example.kz", "localhost,apk.example.kz", "*"])
def test_debug_is_refused_with_a_production_host(hosts):
    result = manage("check", **(PRODUCTION | {"DEBUG": "true", "ALLOWED_HOSTS": hosts}))

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DEBUG=true is refused" in result.stderr


def test_debug_is_allowed_on_this_machine():
    result = manage("check", **(PRODUCTION | {"DEBUG": "true", "ALLOWED_HOSTS": "localhost,127.0.0.1,[::1]"}))

    assert result.returncode == 0, result.stdout + result.stderr


SHOW_SETTINGS = (
    "import json; from django.conf import settings as s; print(json.dumps({name: getattr(s, name, None) for name in ("
    "'DEBUG', 'SECURE_PROXY_SSL_HEADER', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', "
    "'CSRF_COOKIE_SECURE', 'CSRF_TRUSTED_ORIGINS')}))"
)


def settings_with(**environment: str) -> dict:
    result = manage("shell", "--no-imports", "-c", SHOW_SETTINGS, **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_production_environment_gives_the_strict_values():
    assert settings_with(**PRODUCTION) == {
        "DEBUG": False,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "CSRF_TRUSTED_ORIGINS": ["https://apk.example.kz"],
    }


def test_without_a_proxy_header_no_forwarded_header_is_trusted_and_https_can_be_relaxed():
    environment = {key: value for key, value in PRODUCTION.items() if key != "SECURE_PROXY_SSL_HEADER"}

    values = settings_with(**environment, SECURE_SSL_REDIRECT="false")

    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
