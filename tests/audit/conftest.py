import pytest
from django.utils import translation

from tests.factories import regional_office_user, secretariat_user


@pytest.fixture(autouse=True)
def _in_english():
    """The pages are read in their source language; a request leaves its language active."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.fixture
def editor():
    return secretariat_user("Secretariat editor", first_name="Дана", last_name="Әлиева")


@pytest.fixture
def viewer():
    return secretariat_user("Secretariat viewer")


@pytest.fixture
def office():
    return regional_office_user("75")
