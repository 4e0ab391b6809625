import pytest


@pytest.fixture
def staff_user(django_user_model):
    """A superuser for the staff admin."""
    return django_user_model.objects.create_superuser("staff", "staff@example.kz", "pass-for-tests")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture(autouse=True)
def _reset_language():
    """A request through the test client leaves its language active; start each test in
    the default language so that results do not depend on test order."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
