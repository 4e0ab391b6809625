"""The logs: one JSON line per request (method, path, status, duration, user, request id),
the request id in every record made during the request and in the X-Request-ID header, and
no query string in the log.

The records are read from the console handler the settings configure, so the test covers the
real formatter and filter, not a stand-in."""

import io
import json
import logging
import uuid

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines(monkeypatch):
    """The JSON objects the console handler writes, with the request lines at INFO."""
    (handler,) = [handler for handler in logging.getLogger().handlers if handler.get_name() == "console"]
    stream = io.StringIO()
    monkeypatch.setattr(handler, "stream", stream)
    request_logger = logging.getLogger("assembly.request")
    level = request_logger.level
    # setLevel, not the attribute: it also clears the logger's cache of enabled levels.
    request_logger.setLevel(logging.DEBUG)

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    request_logger.setLevel(level)


def request_lines(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "assembly.request"]


def test_each_request_writes_one_json_line_with_what_happened(client, log_lines):
    response = client.get("/kk/members/")

    (line,) = request_lines(log_lines())
    assert response.status_code == 200
    assert line["level"] == "INFO"
    assert line["method"] == "GET"
    assert line["path"] == "/kk/members/"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["user_id"] is None
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert line["message"] == "GET /kk/members/ 200"
    assert "time" in line


def test_a_new_request_id_is_made_for_each_request(client, log_lines):
    first, second = client.get("/kk/"), client.get("/kk/")

    ids = [first.headers["X-Request-ID"], second.headers["X-Request-ID"]]
    assert ids[0] != ids[1]
    assert all(uuid.UUID(request_id) for request_id in ids)
    assert [line["request_id"] for line in request_lines(log_lines())] == ids


def test_the_proxys_request_id_is_kept(client, log_lines):
    from_proxy = uuid.uuid4().hex

    response = client.get("/kk/", headers={"X-Request-ID": from_proxy})

    assert response.headers["X-Request-ID"] == from_proxy
    assert request_lines(log_lines())[0]["request_id"] == from_proxy


@pytest.mark.parametrize("sent", ["not-a-uuid", "1; DROP TABLE", "a" * 500, '"}{"level": "forged'])
def test_a_request_id_that_is_not_a_uuid_is_replaced(client, log_lines, sent):
    response = client.get("/kk/", headers={"X-Request-ID": sent})

    request_id = response.headers["X-Request-ID"]
    assert request_id != sent and uuid.UUID(request_id)
    lines = log_lines()
    assert request_lines(lines)[0]["request_id"] == request_id
    assert all(line["level"] != "forged" for line in lines)


def test_every_record_of_the_request_carries_its_id(client, log_lines):
    # Django's own warning about the missing page is made inside the request.
    response = client.get("/kk/no-such-page/")

    lines = log_lines()
    warning = next(line for line in lines if line["logger"] == "django.request")
    assert warning["level"] == "WARNING"
    assert {line["request_id"] for line in lines} == {response.headers["X-Request-ID"]}
    assert request_lines(lines)[0]["status"] == 404


def test_a_server_error_is_logged_with_its_traceback_and_the_request_id(client, log_lines, monkeypatch):
    from assembly import views

    def broken(self, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(views.HomeView, "get_context_data", broken)
    client.raise_request_exception = False

    response = client.get("/kk/")

    lines = log_lines()
    error = next(line for line in lines if line["logger"] == "django.request")
    assert error["level"] == "ERROR"
    assert "RuntimeError: the database went away" in error["exc_info"]
    assert error["request_id"] == response.headers["X-Request-ID"]
    assert request_lines(lines)[0]["status"] == 500


def test_the_signed_in_users_id_is_logged(client, django_user_model, log_lines):
    user = django_user_model.objects.create_superuser("logged", "logged@example.kz", "pass-for-tests-2026")
    client.force_login(user)

    client.get("/en/admin/")

    assert request_lines(log_lines())[0]["user_id"] == user.pk


def test_the_query_string_and_form_data_are_never_logged(client, django_user_model, log_lines):
    django_user_model.objects.create_user("secretive", password="the-password-2026")

    client.get("/kk/members/?q=870412300123")
    client.get("/api/v1/persons/?search=870412300123")
    client.post("/en/admin/login/", {"username": "secretive", "password": "the-password-2026"})

    written = json.dumps(log_lines())
    assert "870412300123" not in written
    assert "the-password-2026" not in written
    assert [line["path"] for line in request_lines(log_lines())] == [
        "/kk/members/",
        "/api/v1/persons/",
        "/en/admin/login/",
    ]


def test_a_healthy_health_check_is_logged_only_at_debug_level(client, log_lines):
    client.get("/healthz")

    (line,) = request_lines(log_lines())
    assert line["level"] == "DEBUG"


def test_a_script_on_another_site_may_read_the_request_id_of_a_public_api_answer(client):
    response = client.get("/api/v1/regions/", headers={"Origin": "https://data.example.org"})

    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-Request-ID" in response.headers["Access-Control-Expose-Headers"]
