"""Every page type of the public site, in Kazakh, Russian and English, on a desktop and
a phone: it loads with its style sheet and script, declares its language, fits a
phone's width, and axe-core finds no serious or critical accessibility violation.
Screenshots go to .test-artifacts/screenshots/ (git-ignored)."""

import pytest

from .support import LANGUAGES, text, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGE_TYPES = {
    "home": lambda site, lang: url(lang, "home"),
    "member-directory": lambda site, lang: url(lang, "members:directory"),
    "member-profile": lambda site, lang: url(lang, "members:profile", site.qasym.slug),
    "bodies": lambda site, lang: url(lang, "bodies"),
    "council-on-a-date": lambda site, lang: url(lang, "body", "council", query="on=2024-06-01"),
    "regions": lambda site, lang: url(lang, "regional:list"),
    "region": lambda site, lang: url(lang, "regional:detail", "almaty"),
    "associations": lambda site, lang: url(lang, "members:associations"),
    "sessions": lambda site, lang: url(lang, "sessions:list"),
    "session": lambda site, lang: url(lang, "sessions:detail", site.session.pk),
    "composition": lambda site, lang: url(lang, "composition"),
    "open-data": lambda site, lang: url(lang, "open-data"),
    "not-found": lambda site, lang: f"{url(lang, 'home')}no-such-page/",
}
# Pages where site.js adds a Print button.
PRINTABLE = {"member-profile", "council-on-a-date", "session"}
# The header's background colour in site.css: proof that the style sheet was applied.
HEADER_BACKGROUND = "rgb(0, 59, 79)"
# To keep the suite within its time: axe runs on the desktop in every language and on
# the phone in the state language, screenshots are taken in the state language; every
# language is still loaded on the phone and checked for width.
STATE_LANGUAGE = "kk"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_type_loads_declares_its_language_and_passes_axe(lang, site, new_tab):
    desktop, phone = new_tab("desktop"), new_tab("phone")
    failures = []
    for page_type, path_of in PAGE_TYPES.items():
        path = path_of(site, lang)
        for viewport, tab in (("desktop", desktop), ("phone", phone)):
            tab.open(path, status=404 if page_type == "not-found" else 200)
            where = f"{path} ({viewport})"
            if tab.lang() != lang:
                failures.append(f'{where}: <html lang="{tab.lang()}">, expected "{lang}"')
            headings = tab.page.locator("h1").count()
            if headings != 1:
                failures.append(f"{where}: {headings} <h1> elements, expected one")
            background = tab.page.eval_on_selector(".site-header", "e => getComputedStyle(e).backgroundColor")
            if background != HEADER_BACKGROUND:
                failures.append(f"{where}: the style sheet is not applied (header background {background})")
            if viewport == "desktop" or lang == STATE_LANGUAGE:
                failures += [f"{where}: {violation}" for violation in tab.serious_accessibility_violations()]
            if lang == STATE_LANGUAGE:
                tab.screenshot(f"{page_type}-{lang}-{viewport}")
        overflow = phone.horizontal_overflow()
        if overflow:
            failures.append(f"{path} (phone): the page is {overflow}px wider than a 390px screen")
        if page_type in PRINTABLE and not desktop.page.get_by_role("button", name=text(lang, "Print")).is_visible():
            failures.append(f"{path}: no Print button: site.js did not run")
        if page_type == "not-found" and desktop.page.locator("h1").inner_text() != text(lang, "Page not found"):
            failures.append(f"{path}: the 404 page does not say so in {lang}")
    failures += desktop.problems + phone.problems
    assert not failures, "\n".join(failures)
