"""Fixtures of the browser tests: one headless Chromium for the whole run (Debian's
``chromium`` driven by Playwright), pytest-django's live server, and the test data.

The tests fail, never skip, when Chromium or axe-core is missing.
"""

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

from .support import CHROMIUM, CHROMIUM_ARGS, VIEWPORTS, Tab, build_site_data, missing_tools


@pytest.fixture(scope="session")
def browser():
    missing = missing_tools()
    if missing:
        pytest.fail("The browser tests need:\n" + "\n".join(missing), pytrace=False)
    # Playwright's synchronous API keeps an event loop running in this thread. Django
    # then takes the test code for async code: its guard refuses the ORM, and it keeps
    # a second set of database connections that lacks the test database's serialized
    # contents (so serialized_rollback would restore nothing). Keep the connections the
    # test database was set up with, and lift the guard while the browser runs.
    held = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        for alias, connection in held.items():
            connections[alias] = connection
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(transactional_db):
    return build_site_data()


@pytest.fixture
def new_tab(browser, live_server):
    """Opens a page on the live server: ``new_tab("phone", javascript=False)``."""
    contexts = []

    def open_tab(viewport: str = "desktop", *, javascript: bool = True) -> Tab:
        context = browser.new_context(
            base_url=live_server.url,
            viewport=VIEWPORTS[viewport],
            is_mobile=viewport == "phone",
            has_touch=viewport == "phone",
            java_script_enabled=javascript,
        )
        contexts.append(context)
        return Tab(context.new_page())

    yield open_tab
    for context in contexts:
        context.close()
