"""Every error answer is clear: on the site a page in the visitor's language (400, 403, the
CSRF failure; 404 and 500 are in tests/public/test_errors.py), under /api/ always JSON with a
``detail``, whichever layer refused the request (Django's own 404, 405, 400, 403 and 500
included)."""

import json

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.utils import translation
from rest_framework import exceptions

from assembly import views
from regional.api.public import RegionViewSet
from tests.public.helpers import LANGUAGES, heading, hrefs, html_lang, text, translated

pytestmark = pytest.mark.django_db


def failing_home(monkeypatch, error: Exception) -> None:
    def fail(self, **kwargs):
        raise error

    monkeypatch.setattr(views.HomeView, "get_context_data", fail)


def drf_message(detail, language: str = "en") -> str:
    with translation.override(language):
        return str(detail)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_bad_request_shows_the_400_page_in_the_visitors_language(client, monkeypatch, language):
    failing_home(monkeypatch, SuspiciousOperation("a forged multipart boundary"))

    response = client.get(f"/{language}/")

    assert response.status_code == 400
    assert "400.html" in [template.name for template in response.templates]
    assert html_lang(response) == language
    assert heading(response) == translated("Bad request", language)
    assert f"/{language}/members/" in hrefs(response)
    assert "forged" not in text(response)


def test_a_request_for_an_unknown_host_gets_the_400_page(client):
    response = client.get("/ru/", HTTP_HOST="attacker.example")

    assert response.status_code == 400
    assert html_lang(response) == "ru"
    assert heading(response) == translated("Bad request", "ru")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_forbidden_page_shows_the_403_page_in_the_visitors_language(client, monkeypatch, language):
    failing_home(monkeypatch, PermissionDenied("the secret reason"))

    response = client.get(f"/{language}/")

    assert response.status_code == 403
    assert "403.html" in [template.name for template in response.templates]
    assert html_lang(response) == language
    assert heading(response) == translated("Access denied", language)
    assert "the secret reason" not in text(response)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_without_its_csrf_token_shows_the_403_csrf_page(language):
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"/{language}/admin/login/", {"username": "someone", "password": "something"})

    assert response.status_code == 403
    assert "403_csrf.html" in [template.name for template in response.templates]
    assert html_lang(response) == language
    assert heading(response) == translated("The form could not be accepted", language)
    assert f'href="/{language}/"' in text(response)


def test_an_unknown_api_address_is_a_json_404(client):
    response = client.get("/api/v1/no-such-endpoint/", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"detail": drf_message(exceptions.NotFound.default_detail, "ru")}


@pytest.mark.parametrize("path", ["/api/no-such-thing", "/api/v2/regions/", "/api/v1/regions/atlantis/"])
def test_every_missing_api_address_is_a_json_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


def test_a_method_the_api_does_not_allow_is_a_json_405(client):
    response = client.delete("/api/v1/regions/")

    assert response.status_code == 405
    assert response.headers["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_a_server_error_under_the_api_is_a_json_500_without_the_exception(client, monkeypatch):
    def broken(self, request, *args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(RegionViewSet, "list", broken)
    client.raise_request_exception = False

    response = client.get("/api/v1/regions/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 500
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"detail": drf_message(exceptions.APIException.default_detail)}
    assert b"database went away" not in response.content


def test_a_bad_host_under_the_api_is_a_json_400(client):
    response = client.get("/api/v1/regions/", HTTP_HOST="attacker.example", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 400
    assert response.json() == {"detail": drf_message(exceptions.ParseError.default_detail, "ru")}


def test_a_csrf_failure_under_the_api_is_a_json_403():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/api/")

    assert response.status_code == 403
    assert response.headers["Content-Type"] == "application/json"
    assert "CSRF" in response.json()["detail"]


def test_a_permission_error_under_the_api_outside_drf_is_a_json_403(rf):
    request = rf.get("/api/v1/regions/")

    response = views.permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    assert response.headers["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"detail": drf_message(exceptions.PermissionDenied.default_detail, "kk")}


def test_the_site_outside_the_api_keeps_its_pages(client):
    response = client.get("/open-data/no-such-file.csv")

    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")
