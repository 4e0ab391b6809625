"""The three questions of the issue, answered on a phone in each language by following
links from the home page: who represents my region, who is on the Council today, what
did the last session decide."""

import pytest

from assembly.models import Body
from regional.models import Region

from .support import LANGUAGES, in_language, name_in, text, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def follow(tab, link) -> None:
    with tab.page.expect_navigation():
        link.click()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_citizen_answers_the_three_questions_on_a_phone(lang, site, new_tab):
    tab = new_tab("phone")
    page = tab.page
    main_menu = page.get_by_role("navigation", name=text(lang, "Main"))

    # Who represents my region?
    tab.open(url(lang, "home"))
    follow(tab, main_menu.get_by_role("link", name=text(lang, "Regions"), exact=True))
    almaty = Region.objects.get(slug="almaty")
    follow(tab, page.get_by_role("link", name=in_language(lang, lambda: almaty.name), exact=True))
    heading = page.get_by_role("heading", name=text(lang, "Representatives of the region in the Assembly"))
    representatives = heading.locator("xpath=following-sibling::ul[1]").inner_text()
    assert name_in(lang, site.kim) in representatives
    assert name_in(lang, site.ospanova) not in representatives

    # Who is on the Council today?
    tab.open(url(lang, "home"))
    follow(tab, main_menu.get_by_role("link", name=text(lang, "Leadership and bodies"), exact=True))
    council = Body.objects.get(slug="council")
    follow(tab, page.get_by_role("link", name=in_language(lang, lambda: council.name), exact=True))
    composition = page.get_by_role("region", name=text(lang, "Composition today"))
    members = set(composition.get_by_role("link").all_inner_texts())
    assert {name_in(lang, site.qasym), name_in(lang, site.kim)} <= members
    assert name_in(lang, site.former) not in members

    # What did the last session decide?
    tab.open(url(lang, "home"))
    sessions = page.get_by_role("region", name=text(lang, "Sessions"), exact=True)
    follow(tab, sessions.get_by_role("link", name=in_language(lang, lambda: site.session.title), exact=True))
    assert page.url.endswith(url(lang, "sessions:detail", site.session.pk))
    decision = site.session.decisions.get()
    decisions = page.get_by_role("region", name=text(lang, "Decisions"), exact=True).inner_text()
    assert in_language(lang, lambda: decision.text) in decisions
    assert text(lang, "adopted") in decisions
    assert not tab.problems
