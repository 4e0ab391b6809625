import pytest
from django.core.cache import caches

from tests.caching import urls


@pytest.fixture(autouse=True)
def public_cache_on(settings):
    """The cache of the public pages on (the test settings turn it off), empty at the start."""
    settings.PUBLIC_CACHE_SECONDS = 300
    for alias in ("default", "data_version"):
        caches[alias].clear()
    urls.calls.clear()
    yield
    for alias in ("default", "data_version"):
        caches[alias].clear()


@pytest.fixture
def test_pages(settings):
    """The counting pages of tests/caching/urls.py in place of the site's."""
    settings.ROOT_URLCONF = "tests.caching.urls"
    return urls.calls
