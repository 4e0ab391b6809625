"""Keyboard only: the skip link comes first and moves focus to the content, every
element that Tab reaches shows a visible focus ring, and a citizen finds who is on the
Council today without a mouse."""

import pytest

from assembly.models import Body

from .support import FOCUS_INDICATOR, LANGUAGES, in_language, name_in, text, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# WCAG 1.4.11: a focus ring needs 3:1 against what surrounds it.
FOCUS_CONTRAST = 3
# Links, controls and focusable scroll regions that are shown (the skip link is shown on focus).
INTERACTIVE = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex='-1'])"
VISIBLE_UNREACHED = """(selector) => [...document.querySelectorAll(selector)]
    .filter((el) => !el.hasAttribute("data-tabbed") && !el.classList.contains("skip-link"))
    .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden")
    .map((el) => el.outerHTML.slice(0, 100))"""


# The focus indicator of the element Tab moved to, which is marked as reached; None once
# focus has left the page or come round to the first element again.
NEXT_FOCUS = f"""() => {{
    const el = document.activeElement;
    if (el === window.firstTabbed) return null;
    const indicator = ({FOCUS_INDICATOR})();
    if (indicator) {{
        window.firstTabbed = window.firstTabbed || el;
        el.setAttribute("data-tabbed", "");
    }}
    return indicator;
}}"""


def focused(tab) -> dict:
    return tab.page.evaluate(
        "() => ({id: document.activeElement.id, className: document.activeElement.className,"
        " text: document.activeElement.textContent.trim()})"
    )


def press_tab_until(tab, name: str, limit: int = 60) -> None:
    for _ in range(limit):
        tab.page.keyboard.press("Tab")
        if focused(tab)["text"] == name:
            return
    raise AssertionError(f"Tab never reached “{name}” on {tab.page.url}")


def test_tab_reaches_the_skip_link_first_and_enter_moves_focus_to_main(site, new_tab):
    tab = new_tab()
    for lang in LANGUAGES:
        tab.open(url(lang, "members:directory"))
        tab.page.keyboard.press("Tab")
        assert focused(tab) == {"id": "", "className": "skip-link", "text": text(lang, "Skip to content")}
        box = tab.page.locator(".skip-link").bounding_box()
        assert box["y"] >= 0 and box["x"] >= 0, "the focused skip link is off screen"
        tab.page.keyboard.press("Enter")
        assert focused(tab)["id"] == "main"
        tab.page.keyboard.press("Tab")
        assert tab.page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
        assert tab.page.evaluate("() => document.activeElement.name") == "q", "Tab after the skip goes to the search"


def test_every_element_reached_by_tab_shows_a_visible_focus_ring(site, new_tab):
    lang = "kk"
    paths = [
        url(lang, "home"),
        url(lang, "members:directory"),
        url(lang, "members:profile", site.qasym.slug),
        url(lang, "sessions:detail", site.session.pk),
        url(lang, "composition"),
    ]
    failures = []
    for viewport in ("desktop", "phone"):
        tab = new_tab(viewport)
        for path in paths:
            tab.open(path)
            for _ in range(300):
                tab.page.keyboard.press("Tab")
                indicator = tab.page.evaluate(NEXT_FOCUS)
                if indicator is None:
                    break
                if not indicator["visible"]:
                    failures.append(f"{path} ({viewport}): focused but not visible: {indicator['element']}")
                elif indicator["width"] < 2 or indicator["contrast"] < FOCUS_CONTRAST:
                    failures.append(
                        f"{path} ({viewport}): focus ring {indicator['width']}px at {indicator['contrast']}:1 "
                        f"on {indicator['element']}"
                    )
            failures += [
                f"{path} ({viewport}): not reachable by Tab: {html}"
                for html in tab.page.evaluate(VISIBLE_UNREACHED, INTERACTIVE)
            ]
    assert not failures, "\n".join(failures)


def test_keyboard_only_who_is_on_the_council_today(site, new_tab):
    tab = new_tab()
    council = Body.objects.get(slug="council")
    for lang in LANGUAGES:
        tab.open(url(lang, "home"))
        press_tab_until(tab, text(lang, "Leadership and bodies"))
        with tab.page.expect_navigation():
            tab.page.keyboard.press("Enter")
        press_tab_until(tab, in_language(lang, lambda: council.name))
        with tab.page.expect_navigation():
            tab.page.keyboard.press("Enter")
        assert tab.page.url.endswith(url(lang, "body", "council"))
        composition = tab.page.get_by_role("region", name=text(lang, "Composition today"))
        names = composition.get_by_role("link").all_inner_texts()
        assert {name_in(lang, site.qasym), name_in(lang, site.kim)} <= set(names)
        assert name_in(lang, site.former) not in names
