import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.http import HttpRequest

pytestmark = pytest.mark.django_db


def test_ensure_demo_staff_creates_a_staff_user_who_can_log_in(client):
    call_command("ensure_demo_staff", username="demo", password="demo-secretariat-2026")
    user = get_user_model().objects.get(username="demo")
    assert user.is_staff
    assert user.groups.filter(name="Secretariat editor").exists()
    # django-axes checks every sign-in against the lockouts, which needs a request.
    assert client.login(request=HttpRequest(), username="demo", password="demo-secretariat-2026")
    assert client.get("/kk/admin/").status_code == 200


def test_ensure_demo_staff_resets_the_password_of_an_existing_user():
    call_command("ensure_demo_staff", username="demo", password="first-password-1")
    call_command("ensure_demo_staff", username="demo", password="second-password-2")
    user = get_user_model().objects.get(username="demo")
    assert user.check_password("second-password-2")
    assert get_user_model().objects.filter(username="demo").count() == 1


@pytest.mark.parametrize(("username", "password"), [("demo", "short"), ("  ", "long-enough-password")])
def test_ensure_demo_staff_refuses_bad_input(username, password):
    with pytest.raises(CommandError, match="at least 8 characters"):
        call_command("ensure_demo_staff", username=username, password=password)
    assert not get_user_model().objects.exists()
