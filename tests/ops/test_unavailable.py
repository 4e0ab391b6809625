"""While the database cannot be reached the site answers 503 with Retry-After: the site's page in
the visitor's language, JSON under /api/; never the 500 error page. Any other error stays a 500."""

import json

import psycopg2
import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client

from assembly import views
from tests.public.helpers import LANGUAGES, heading, html_lang, translated

pytestmark = pytest.mark.django_db

REFUSED = 'connection to server on socket "/run/postgresql/.s.PGSQL.5432" failed: Connection refused'


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError(REFUSED)

    monkeypatch.setattr(connection, "cursor", refuse)


def failing_home(monkeypatch, error: Exception) -> None:
    def fail(self, **kwargs):
        raise error

    monkeypatch.setattr(views.HomeView, "get_context_data", fail)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_page_answers_the_503_page_in_the_visitors_language(client, database_down, language):
    response = client.get(f"/{language}/members/")

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "503.html" in [template.name for template in response.templates]
    assert html_lang(response) == language
    assert heading(response) == translated("The service is temporarily unavailable", language)


@pytest.mark.parametrize(
    "error",
    [
        OperationalError(REFUSED),
        InterfaceError("connection already closed"),
        # The driver's own, which Django does not wrap when it closes a server-side cursor (the
        # list of a filter's choices, read while the page is drawn): found by bench/dbkill.py.
        psycopg2.OperationalError("server closed the connection unexpectedly"),
        psycopg2.InterfaceError("cursor already closed"),
    ],
)
def test_both_kinds_of_lost_connection_answer_503(client, monkeypatch, error):
    failing_home(monkeypatch, error)

    response = client.get("/kk/")

    assert response.status_code == 503
    assert "Connection refused" not in response.content.decode()


def test_the_api_answers_503_in_json(client, database_down):
    response = client.get("/api/v1/regions/")

    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Retry-After"] == "30"
    assert json.loads(response.content) == {
        "detail": translated("The service is temporarily unavailable. Please try again in a few minutes.", "kk")
    }


def test_a_signed_in_user_gets_the_503_page_without_a_lookup_of_the_user(client, django_user_model, request):
    client.force_login(django_user_model.objects.create_user("visitor", password="pass-for-tests-2026"))
    request.getfixturevalue("database_down")

    response = client.get("/en/")

    assert response.status_code == 503
    assert html_lang(response) == "en"


def test_a_form_posted_while_the_database_is_down_answers_503(client, database_down):
    response = client.post("/en/portal/login/", {"username": "office", "password": "some-password-2026"})

    assert response.status_code == 503
    assert html_lang(response) == "en"


def test_the_lost_connection_is_logged_as_a_warning(client, database_down, caplog):
    client.get("/kk/members/")

    records = [record for record in caplog.records if record.name == "assembly.unavailable"]
    assert [record.levelname for record in records] == ["WARNING"]
    assert records[0].getMessage() == f"Database unavailable: OperationalError: {REFUSED}"


def test_any_other_error_is_still_a_500(monkeypatch):
    failing_home(monkeypatch, RuntimeError("a bug"))

    response = Client(raise_request_exception=False).get("/kk/")

    assert response.status_code == 500
    assert "Retry-After" not in response.headers
