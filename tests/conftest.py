import pytest


@pytest.fixture
def staff_user(django_user_model):
    """A superuser for the staff admin."""
    return django_user_model.objects.create_superuser("staff", "staff@example.kz", "pass-for-tests")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client
