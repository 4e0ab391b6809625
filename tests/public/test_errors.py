"""The 404 and 500 pages, in each language."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from assembly import views

from .helpers import LANGUAGES, heading, hrefs, html_lang, language_switch, text, translated

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", ["no-such-page/", "members/no-such-person/", "sessions/999999/", "regions/atlantis/"])
def test_a_missing_page_is_a_404_in_the_visitors_language(client, language, path):
    response = client.get(f"/{language}/{path}")

    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    assert html_lang(response) == language
    assert heading(response) == translated("Page not found", language)
    assert f"/{language}/members/" in hrefs(response)


def test_the_404_page_offers_the_same_address_in_the_other_languages(client):
    response = client.get("/en/no-such-page/?from=link")

    assert language_switch(response) == {
        "kk": "/kk/no-such-page/?from=link",
        "ru": "/ru/no-such-page/?from=link",
        "en": "/en/no-such-page/?from=link",
    }


def test_an_address_without_a_language_is_a_404_in_kazakh(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert html_lang(response) == "kk"
    assert language_switch(response)["ru"] == "/ru/no-such-page/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_server_error_shows_the_500_page_in_the_visitors_language(client, monkeypatch, language):
    def broken(self, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(views.HomeView, "get_context_data", broken)
    client.raise_request_exception = False

    response = client.get(f"/{language}/")

    assert response.status_code == 500
    assert "500.html" in [template.name for template in response.templates]
    page = text(response)
    assert html_lang(response) == language
    assert translated("Something went wrong on our side", language) in page
    assert f'href="/{language}/"' in page
    assert "the database went away" not in page and "RuntimeError" not in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_500_template_renders_without_a_request(language):
    with translation.override(language):
        page = render_to_string("500.html")

    assert f'<html lang="{language}">' in page
    assert translated("Server error", language) in page
    assert "/static/css/site.css" in page


def test_the_500_template_falls_back_to_kazakh_without_an_active_language():
    with translation.override(None):
        page = render_to_string("500.html")

    assert '<html lang="kk">' in page
