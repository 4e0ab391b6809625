"""Password rules (``AUTH_PASSWORD_VALIDATORS``) wherever a password is set: the admin's
forms for another user's password, a new user and one's own password, and the commands
that prepare the demo users."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


WEAK = "12345678"  # long enough, but common and all digits
STRONG = "quiet-harbour-1995"


def url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def test_the_admin_refuses_a_weak_password_for_a_user(staff_client, django_user_model):
    user = django_user_model.objects.create_user("aigerim", password="first-password-1")
    page = url("admin:auth_user_password_change", user.pk)

    response = staff_client.post(page, {"password1": WEAK, "password2": WEAK})

    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("first-password-1")

    response = staff_client.post(page, {"password1": STRONG, "password2": STRONG})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(STRONG)


def test_the_admin_refuses_a_weak_password_for_a_new_user(staff_client, django_user_model):
    data = {"username": "nurlan", "usable_password": "true", "password1": "nurlan-1", "password2": "nurlan-1"}

    response = staff_client.post(url("admin:auth_user_add"), data)

    assert response.status_code == 200
    assert "The password is too similar to the username." in response.content.decode()
    assert not django_user_model.objects.filter(username="nurlan").exists()


def test_the_admin_refuses_a_weak_new_password_of_ones_own(staff_client, staff_user):
    data = {"old_password": "pass-for-tests", "new_password1": WEAK, "new_password2": WEAK}

    response = staff_client.post(url("admin:password_change"), data)

    assert response.status_code == 200
    assert "This password is entirely numeric." in response.content.decode()
    staff_user.refresh_from_db()
    assert staff_user.check_password("pass-for-tests")


def test_the_demo_commands_accept_the_makefiles_passwords():
    call_command("ensure_demo_staff", username="demo", password="demo-secretariat-2026")
    call_command("ensure_demo_office", username="demo-almaty", password="demo-office-2026", region="75")

    assert get_user_model().objects.get(username="demo").check_password("demo-secretariat-2026")
    assert get_user_model().objects.get(username="demo-almaty").check_password("demo-office-2026")


@pytest.mark.parametrize(
    ("command", "options"),
    [("ensure_demo_staff", {}), ("ensure_demo_office", {"region": "75"})],
)
@pytest.mark.parametrize(
    ("password", "message"),
    [(WEAK, "too common"), ("demo-user-2", "too similar to the username")],
)
def test_the_demo_commands_refuse_a_weak_password(command, options, password, message):
    with pytest.raises(CommandError, match=message):
        call_command(command, username="demo-user", password=password, **options)

    assert not get_user_model().objects.filter(username="demo-user").exists()


def test_a_demo_command_keeps_the_old_password_when_the_new_one_is_weak():
    call_command("ensure_demo_staff", username="demo", password="demo-secretariat-2026")

    with pytest.raises(CommandError, match="entirely numeric"):
        call_command("ensure_demo_staff", username="demo", password="98765432109")

    assert get_user_model().objects.get(username="demo").check_password("demo-secretariat-2026")
