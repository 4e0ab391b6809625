"""Static files as production serves them: `collectstatic` with the production storage (content
hashes, compressed copies), then WhiteNoise serving the site's own files, the fonts and the API
docs' Swagger UI (drf-spectacular-sidecar) with a year-long cache. The other tests use the plain
storage (assembly/test_settings.py)."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

PRODUCTION_STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """STATIC_ROOT after `collectstatic` (once for the module: it takes a few seconds)."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def production_static(settings, collected):
    settings.STATIC_ROOT = collected
    settings.STORAGES = PRODUCTION_STORAGES
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    # A new client loads the middleware anew, so WhiteNoise reads the collected folder.
    return Client()


def assets(page: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/static/[^"]+)"', page)


def test_the_settings_name_the_production_storage():
    from assembly import settings as production

    assert production.STORAGES["staticfiles"]["BACKEND"] == PRODUCTION_STORAGES["staticfiles"]["BACKEND"]


@pytest.mark.parametrize("path", [lambda: "/kk/", lambda: reverse("api-docs")])
def test_every_asset_of_a_page_is_served_under_its_hashed_name_with_a_long_cache(production_static, path):
    page = production_static.get(path())
    urls = assets(page.content.decode())

    assert page.status_code == 200
    assert urls
    for url in urls:
        response = production_static.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200, url
        assert re.search(r"\.[0-9a-f]{12}\.", url), f"{url} is not a hashed name"
        assert "immutable" in response.headers["Cache-Control"], url
        b"".join(response.streaming_content)


def test_the_api_docs_load_swagger_ui_from_this_site(production_static):
    urls = assets(production_static.get(reverse("api-docs")).content.decode())

    assert any("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle." in url for url in urls)
    assert any("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui." in url and url.endswith(".css") for url in urls)


def test_compressed_copies_are_served_to_browsers_that_accept_them(production_static):
    (stylesheet,) = [url for url in assets(production_static.get("/kk/").content.decode()) if url.endswith(".css")]

    response = production_static.get(stylesheet, HTTP_ACCEPT_ENCODING="gzip")

    assert response.headers["Content-Encoding"] == "gzip"


def test_the_fonts_of_the_pdf_exports_are_collected_and_served(production_static):
    for font in ("fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf"):
        url = staticfiles_storage.url(font)
        response = production_static.get(url)
        assert url != f"/static/{font}" and response.status_code == 200, url
        b"".join(response.streaming_content)
