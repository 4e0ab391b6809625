"""The security headers of every kind of answer: pages, the admin, the API and its docs, error
pages, the health check. The browser test (tests/browser/test_csp.py) proves the pages still
work under the policy."""

import re

import pytest
from django.urls import reverse
from django.utils.translation import override

from tests.factories import memberships_of, national_body

pytestmark = pytest.mark.django_db

UNSAFE = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*")
HASH = re.compile(r"^'sha256-[A-Za-z0-9+/]{43}='$")


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response.headers["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


@pytest.mark.parametrize(
    "path",
    [
        "/kk/",
        "/ru/members/",
        "/en/sessions/",
        "/kk/no-such-page/",
        "/kk/portal/login/",
        "/api/v1/regions/",
        "/api/v1/no-such-endpoint/",
        "/api/schema/",
        "/healthz",
    ],
)
def test_every_answer_carries_a_strict_content_security_policy(client, path):
    assert_strict(path, client.get(path))


def test_a_members_page_carries_the_policy(client):
    (membership,) = memberships_of(national_body("assembly"), 1)
    with override("ru"):
        path = reverse("members:profile", args=[membership.person.slug])

    response = client.get(path)

    assert response.status_code == 200
    assert_strict(path, response)


def assert_strict(path, response):
    assert_strict_rules(path, policy(response))


def assert_strict_rules(path, rules):
    assert rules["default-src"] == ["'self'"]
    assert rules["object-src"] == ["'none'"]
    assert rules["frame-ancestors"] == ["'none'"]
    for directive, sources in rules.items():
        assert not set(sources) & set(UNSAFE), f"{path}: {directive} {sources}"
    # No directive opens scripts or styles wider than default-src.
    assert "script-src" not in rules and "style-src" not in rules


def test_the_api_docs_allow_only_swagger_uis_own_inline_style_and_data_images(client):
    response = client.get(reverse("api-docs"))

    assert response.status_code == 200
    rules = policy(response)
    assert rules.pop("style-src")[0] == "'self'" and HASH.match(policy(response)["style-src"][1])
    assert rules.pop("img-src") == ["'self'", "data:"]
    assert_strict_rules("/api/docs/", rules)


@pytest.mark.parametrize("path, signed_in", [("/en/admin/login/", False), ("/kk/admin/members/person/", True)])
def test_the_admin_allows_only_some_inline_attributes_by_their_hashes(client, staff_user, path, signed_in):
    if signed_in:
        client.force_login(staff_user)

    response = client.get(path)

    assert response.status_code == 200
    rules = policy(response)
    for directive in ("script-src-attr", "style-src-attr"):
        sources = rules.pop(directive)
        assert sources[0] == "'unsafe-hashes'" and len(sources) > 1
        assert all(HASH.match(source) for source in sources[1:]), sources
    assert_strict_rules(path, rules)


def test_outside_the_admin_no_inline_attribute_is_allowed(client):
    rules = policy(client.get("/en/members/"))

    assert "script-src-attr" not in rules and "style-src-attr" not in rules


@pytest.mark.parametrize("path", ["/kk/", "/api/v1/regions/", "/en/admin/login/"])
def test_frames_referrers_and_sniffing_are_refused(client, path):
    response = client.get(path)

    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_https_answers_carry_strict_transport_security_with_subdomains_and_preload(client):
    response = client.get("/kk/", secure=True)

    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_the_session_and_csrf_cookies_are_secure_and_the_session_cookie_is_hidden_from_scripts(
    client, django_user_model
):
    django_user_model.objects.create_superuser("cookie-admin", "cookie@example.kz", "pass-for-tests-2026")
    client.get("/en/admin/login/")
    response = client.post(
        "/en/admin/login/?next=/en/admin/",
        {"username": "cookie-admin", "password": "pass-for-tests-2026"},
    )

    assert response.status_code == 302, "the sign-in failed"
    assert response.cookies["sessionid"]["secure"] is True
    assert response.cookies["sessionid"]["httponly"] is True
    assert client.cookies["csrftoken"]["secure"] is True
