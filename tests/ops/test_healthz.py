"""/healthz, for the load balancer: 200 while the database answers, 503 when it does not,
always JSON, never cached, open to anyone, never throttled, never in the sitemap."""

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)


def test_healthz_answers_ok_while_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}


def test_healthz_asks_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        client.get("/healthz")

    assert captured.captured_queries[0]["sql"] == "SELECT 1"


def test_healthz_answers_503_in_json_when_the_database_does_not_answer(client, database_down):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


def test_healthz_answers_503_and_no_error_page_for_a_signed_in_visitor(client, django_user_model, request):
    # A session cookie must not make anything on the way look the user up in the dead database.
    client.force_login(django_user_model.objects.create_user("visitor", password="pass-for-tests-2026"))
    request.getfixturevalue("database_down")

    response = client.get("/healthz")

    assert response.status_code == 503


@pytest.mark.parametrize("database_answers", [True, False])
def test_healthz_is_never_cached(client, request, database_answers):
    if not database_answers:
        request.getfixturevalue("database_down")

    response = client.get("/healthz")

    assert "no-store" in response.headers["Cache-Control"]
    assert "max-age=0" in response.headers["Cache-Control"]


def test_healthz_needs_no_credentials_and_lives_outside_the_language_prefix(client):
    assert client.get("/healthz", HTTP_ACCEPT_LANGUAGE="ru").status_code == 200
    assert client.get("/kk/healthz").status_code == 404


def test_healthz_answers_head_and_refuses_writes(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_healthz_is_not_throttled(client, settings):
    settings.API_PUBLIC_RATE = "1/minute"

    assert [client.get("/healthz").status_code for _ in range(5)] == [200] * 5


def test_healthz_is_not_in_the_sitemap(client):
    index = client.get("/sitemap.xml").content.decode()
    sections = [client.get(location.split("testserver", 1)[1]).content.decode() for location in _locations(index)]

    assert sections
    assert all("healthz" not in section for section in [index, *sections])


def test_a_plain_http_request_to_healthz_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/kk/").status_code == 301


def _locations(sitemap_index: str) -> list[str]:
    return [part.split("</loc>", 1)[0] for part in sitemap_index.split("<loc>")[1:]]
