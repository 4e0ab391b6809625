"""Every public page in the three languages: the ``lang`` attribute, the language switch,
and content fields in the visitor's language with the Kazakh, Russian, English fallback."""

import pytest
from django.urls import reverse
from django.utils import translation

from members.models import Membership
from tests.factories import (
    AssociationFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    national_body,
)

from .helpers import LANGUAGES, current_language_in_switch, html_lang, language_switch, parse, text

pytestmark = pytest.mark.django_db

PAGES = [
    ("home", {}),
    ("bodies", {}),
    ("body", {"slug": "council"}),
    ("composition", {}),
    ("members:directory", {}),
    ("members:profile", {"slug": "seitqaliev-aigul"}),
    ("members:associations", {}),
    ("regional:list", {}),
    ("regional:detail", {"slug": "almaty"}),
    ("sessions:list", {}),
    ("sessions:detail", {"pk": None}),
]


@pytest.fixture
def site(db):
    """A little of everything, so that every page has something to show."""
    association = AssociationFactory()
    person = PersonFactory(surname="Сейтқалиев", given_name="Айгүл", slug="seitqaliev-aigul")
    MembershipFactory(
        person=person, body=national_body("council"), basis=Membership.Basis.ETHNOCULTURAL, on_behalf_of=association
    )
    return {"meeting": MeetingFactory()}


def _url(name: str, kwargs: dict, language: str, site) -> str:
    if "pk" in kwargs:
        kwargs = {"pk": site["meeting"].pk}
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "kwargs"), PAGES, ids=[name for name, _ in PAGES])
def test_every_page_answers_in_each_language_with_its_lang_attribute(client, site, name, kwargs, language):
    url = _url(name, kwargs, language, site)
    assert url.startswith(f"/{language}/")

    response = client.get(url)

    assert response.status_code == 200
    assert html_lang(response) == language
    assert response["Content-Language"] == language


@pytest.mark.parametrize("source", LANGUAGES)
@pytest.mark.parametrize(("name", "kwargs"), PAGES, ids=[name for name, _ in PAGES])
def test_the_language_switch_points_at_the_same_page_in_every_language(client, site, name, kwargs, source):
    response = client.get(_url(name, kwargs, source, site))

    expected = {language: _url(name, kwargs, language, site) for language in LANGUAGES}
    assert language_switch(response) == expected
    assert parse(response).alternates == expected
    for language, url in language_switch(response).items():
        followed = client.get(url)
        assert followed.status_code == 200 and html_lang(followed) == language


def test_the_language_switch_keeps_the_query_string(client, site):
    response = client.get("/kk/members/?q=%D2%9A%D0%B0%D1%81%D1%8B%D0%BC&basis=ethnocultural&page=1")

    switch = language_switch(response)
    assert switch["en"] == "/en/members/?q=%D2%9A%D0%B0%D1%81%D1%8B%D0%BC&basis=ethnocultural&page=1"
    assert switch["ru"] == "/ru/members/?q=%D2%9A%D0%B0%D1%81%D1%8B%D0%BC&basis=ethnocultural&page=1"
    # In the HTML source the ampersands are escaped.
    assert 'href="/en/members/?q=%D2%9A%D0%B0%D1%81%D1%8B%D0%BC&amp;basis=ethnocultural&amp;page=1"' in text(response)


def test_the_current_language_is_marked_in_the_switch(client, site):
    for language in LANGUAGES:
        assert current_language_in_switch(client.get(f"/{language}/bodies/")) == [language]


def test_a_body_named_only_in_kazakh_shows_that_name_in_every_language(client):
    body = BodyFactory(name_kk="Тек қазақша аталған орган", name_ru="", name_en="", slug="only-kazakh")

    for language in LANGUAGES:
        response = client.get(f"/{language}/bodies/{body.slug}/")
        assert "Тек қазақша аталған орган" in text(response), language


def test_a_body_shows_its_name_in_the_visitors_language(client):
    body = BodyFactory(name_kk="Қазақша атауы", name_ru="Русское название", name_en="English name")

    assert "Русское название" in text(client.get(f"/ru/bodies/{body.slug}/"))
    english = text(client.get(f"/en/bodies/{body.slug}/"))
    assert "English name" in english and "Қазақша атауы" not in english and "Русское название" not in english


def test_a_missing_name_falls_back_to_kazakh_then_russian_then_english(client):
    kazakh_and_russian = BodyFactory(name_kk="Қазақша атауы", name_ru="Русское название", name_en="")
    russian_only = BodyFactory(name_kk="", name_ru="Только по-русски", name_en="")
    english_only = BodyFactory(name_kk="", name_ru="", name_en="English only")
    AssociationFactory(name_kk="Бірлестік", name_ru="", name_en="")

    english = text(client.get(f"/en/bodies/{kazakh_and_russian.slug}/"))
    assert "Қазақша атауы" in english and "Русское название" not in english
    assert "Только по-русски" in text(client.get(f"/en/bodies/{russian_only.slug}/"))
    assert "English only" in text(client.get(f"/kk/bodies/{english_only.slug}/"))
    assert "English only" in text(client.get(f"/ru/bodies/{english_only.slug}/"))
    assert "Бірлестік" in text(client.get("/en/associations/"))


def test_member_names_follow_the_script_of_the_language(client, site):
    person = PersonFactory(
        surname="Қасымов", given_name="Ерлан", patronymic="", surname_ru="Касымов", given_name_ru="Ерлан"
    )
    MembershipFactory(person=person, body=national_body("council"))

    assert "Қасымов Ерлан" in text(client.get("/kk/bodies/council/"))
    assert "Касымов Ерлан" in text(client.get("/ru/bodies/council/"))
    assert "Qasymov Erlan" in text(client.get("/en/bodies/council/"))
