"""Finding people: the name search in any script, the region filter (with and without
JavaScript), and the language switch that keeps the page and its filters."""

import pytest
from django.utils.translation import get_language_info

from .support import name_in, text, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The filter form's fields, by name: their labels are checked by axe, their wording may change.
NAME_FIELD = "form[role=search] [name=q]"
REGION_FIELD = "form[role=search] [name=region]"
SUBMIT = "form[role=search] [type=submit]"


def listed_names(tab) -> set[str]:
    return set(tab.page.locator(".member-list .name").all_inner_texts())


def names(lang: str, *persons) -> set[str]:
    return {name_in(lang, person) for person in persons}


def switch_language(tab, lang: str) -> None:
    languages = tab.page.get_by_role("navigation", name=text(tab.lang(), "Language"))
    with tab.page.expect_navigation():
        languages.get_by_role("link", name=get_language_info(lang)["name_local"], exact=True).click()


def test_name_search_finds_the_person_whatever_the_script(site, new_tab):
    tab = new_tab()
    for lang, query in (("kk", "Қасым"), ("ru", "Касым"), ("en", "Qasym")):
        tab.open(url(lang, "members:directory"))
        assert len(listed_names(tab)) > 1
        field = tab.page.locator(NAME_FIELD)
        field.fill(query)
        with tab.page.expect_navigation():
            field.press("Enter")
        assert listed_names(tab) == names(lang, site.qasym), f"searching {query} in {lang}"
        assert tab.page.locator(NAME_FIELD).input_value() == query
        tab.open(tab.page.url)
        assert listed_names(tab) == names(lang, site.qasym), "the address of a search shows the same result"
    assert not tab.problems


def test_region_filter_narrows_the_directory_with_and_without_javascript(site, new_tab):
    lang = "ru"
    for javascript in (True, False):
        tab = new_tab(javascript=javascript)
        tab.open(url(lang, "members:directory"))
        assert listed_names(tab) >= names(lang, site.qasym, site.kim, site.akim, site.ospanova)
        tab.page.locator(REGION_FIELD).select_option("almaty")
        with tab.page.expect_navigation():
            tab.page.locator(SUBMIT).click()
        assert "region=almaty" in tab.page.url
        # Kim sits for an Almaty association; the akim chairs Almaty's assembly.
        assert listed_names(tab) == names(lang, site.kim, site.akim), f"javascript={javascript}"
        assert tab.page.locator(REGION_FIELD).input_value() == "almaty"
        assert not tab.problems


def test_language_links_keep_the_page_and_its_filters(site, new_tab):
    tab = new_tab()
    tab.open(url("kk", "members:directory", query="region=almaty"))
    for lang in ("ru", "en", "kk"):
        switch_language(tab, lang)
        assert tab.page.url.endswith(url(lang, "members:directory", query="region=almaty"))
        assert tab.lang() == lang
        assert listed_names(tab) == names(lang, site.kim, site.akim)
    tab.open(url("kk", "members:profile", site.qasym.slug))
    switch_language(tab, "en")
    assert tab.page.url.endswith(url("en", "members:profile", site.qasym.slug))
    assert tab.page.locator("h1").inner_text() == "Äliev Qasym Nūrlanūly"
