"""The Content-Security-Policy (no inline code) leaves every kind of page working: the public
site, the staff admin with its import/export and history pages, and the API docs (Swagger
UI). Chromium reports each blocked script, style or image as a ``securitypolicyviolation``
event and a console error; the test fails on either."""

import pytest
from django.urls import reverse
from django.utils.translation import override

from .support import Tab, url

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "csp-admin-pass-2026"

# Runs before any script of the page (Playwright injects it, so the policy does not apply to it).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(`${event.violatedDirective}: ${event.blockedURI || "inline"} `
        + `at ${event.sourceFile || event.documentURI}:${event.lineNumber}`);
});
"""


class WatchedTab(Tab):
    """A tab that also records the policy's violations and console errors."""

    def __init__(self, page):
        super().__init__(page)
        self.console_errors: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._note_console_error)

    def _note_console_error(self, message) -> None:
        # A file that failed to load is in Tab.problems, with its address.
        if message.type == "error" and "Content Security Policy" in message.text:
            self.console_errors.append(message.text)

    def violations(self) -> list[str]:
        return self.page.evaluate("() => window.__cspViolations") + self.console_errors


def admin_url(name: str, *args) -> str:
    with override("en"):
        return reverse(f"admin:{name}", args=args)


@pytest.fixture
def watched_tab(new_tab):
    return WatchedTab(new_tab().page)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("csp-admin", "csp-admin@example.kz", PASSWORD)


def visit(tab: WatchedTab, path: str, failures: list[str]) -> None:
    tab.open(path)
    # Swagger UI builds the page after fetching the schema; give every page the same chance.
    tab.page.wait_for_load_state("networkidle")
    failures += [f"{path}: {problem}" for problem in tab.violations() + tab.problems]
    tab.problems.clear()
    tab.console_errors.clear()


def test_the_public_pages_break_no_rule_of_the_policy(site, watched_tab):
    failures = []
    for path in (
        url("kk", "home"),
        url("ru", "members:profile", site.qasym.slug),
        url("en", "composition"),
        url("en", "sessions:detail", site.session.pk),
    ):
        visit(watched_tab, path, failures)

    assert not failures, "\n".join(failures)


def test_the_staff_admin_works_under_the_policy(site, superuser, watched_tab):
    page = watched_tab.page
    failures = []
    visit(watched_tab, admin_url("login"), failures)
    page.fill("[name=username]", superuser.username)
    page.fill("[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("[type=submit]").click()
    assert page.locator("#user-tools").is_visible(), "the admin sign-in failed"

    person = site.kim
    for path in (
        admin_url("index"),
        admin_url("members_person_changelist"),
        admin_url("members_person_change", person.pk),
        admin_url("members_person_history", person.pk),
        admin_url("members_person_import"),
        admin_url("members_person_export"),
    ):
        visit(watched_tab, path, failures)

    assert not failures, "\n".join(failures)
    # The change form's scripts ran: the ethnic group is an autocomplete box (select2), and the
    # memberships inline has its "add another" link.
    watched_tab.open(admin_url("members_person_change", person.pk))
    assert page.locator(".select2-container").first.is_visible()
    assert page.locator(".add-row a").first.is_visible()
    # The export form's "select all" box (an inline handler, allowed by its hash) clears the fields.
    watched_tab.open(admin_url("members_person_export"))
    fields = page.locator('.selectable-field-export-row input[type="checkbox"]:visible')
    assert fields.count() > 1 and all(box.is_checked() for box in fields.all())
    page.locator(".select-toggle").first.uncheck()
    assert not any(box.is_checked() for box in fields.all())
    assert not watched_tab.violations()


def test_the_api_docs_work_under_the_policy(watched_tab):
    failures = []
    visit(watched_tab, reverse("api-docs"), failures)

    # Swagger UI rendered the schema: the title and the operations are on the page.
    assert watched_tab.page.locator(".swagger-ui .info .title").is_visible()
    assert watched_tab.page.locator(".opblock").count() > 0
    assert not failures, "\n".join(failures)
