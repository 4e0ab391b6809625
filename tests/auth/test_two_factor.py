"""Two-factor sign-in to the staff admin (``assembly.twofactor``, ``assembly.adminsite``):
with ``OTP_REQUIRED_FOR_ADMIN`` on, only a password and a valid code from the staff
member's authenticator app open the admin; a staff member without an app is sent to set
one up, and the device exists, confirmed, only after its first valid code."""

import base64
import re

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from assembly.twofactor import ENROL_SESSION_KEY
from tests.factories import regional_office_user, secretariat_user

pytestmark = pytest.mark.django_db

PASSWORD = "pass-for-tests"


@pytest.fixture(autouse=True)
def _two_factor_required(settings):
    settings.OTP_REQUIRED_FOR_ADMIN = True


def url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def code_of(key: str, *, steps_ago: int = 0) -> str:
    """The code an authenticator app shows for the hex secret ``key`` (``steps_ago`` periods back)."""
    return f"{TOTP(bytes.fromhex(key), drift=-steps_ago).token():06d}"


@pytest.fixture
def staff():
    return secretariat_user()


@pytest.fixture
def device(staff):
    return TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)


def sign_in(client: Client, user, **fields):
    return client.post(url("admin:login"), {"username": user.username, "password": PASSWORD, **fields})


def reaches_the_admin(client: Client) -> bool:
    return client.get(url("admin:index")).status_code == 200


def test_the_sign_in_form_asks_for_the_code():
    page = Client().get(url("admin:login")).content.decode()

    assert 'name="otp_token"' in page
    assert 'autocomplete="one-time-code"' in page


def test_the_password_alone_does_not_open_the_admin(staff, device):
    client = Client()

    response = sign_in(client, staff)

    assert response.status_code == 200
    assert "Enter the code that your authenticator app shows." in response.content.decode()
    assert not reaches_the_admin(client)


def test_the_password_and_the_current_code_open_the_admin(staff, device):
    client = Client()

    response = sign_in(client, staff, otp_token=code_of(device.key))

    assert response.status_code == 302
    assert reaches_the_admin(client)


def test_a_wrong_code_does_not_open_the_admin_and_counts_as_a_failed_sign_in(staff, device):
    client = Client()
    wrong = f"{(int(code_of(device.key)) + 1) % 1_000_000:06d}"

    response = sign_in(client, staff, otp_token=wrong)

    assert response.status_code == 200
    assert "The code is wrong or has expired." in response.content.decode()
    assert not reaches_the_admin(client)
    assert AccessAttempt.objects.get(username=staff.username).failures_since_start == 1


def test_a_used_code_is_not_accepted_again(staff, device):
    code = code_of(device.key)
    assert sign_in(Client(), staff, otp_token=code).status_code == 302

    client = Client()
    response = sign_in(client, staff, otp_token=code)

    assert response.status_code == 200
    assert not reaches_the_admin(client)


def test_wrong_codes_lock_out_like_wrong_passwords(settings, staff, device):
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    sign_in(client, staff, otp_token="000000")
    device.refresh_from_db()
    device.throttling_failure_timestamp = None
    device.save()

    response = sign_in(client, staff, otp_token="000001")

    assert response.status_code == 429
    assert not reaches_the_admin(client)


def test_a_session_signed_in_with_the_password_elsewhere_is_asked_for_the_code(staff, device):
    client = Client()
    client.force_login(staff)

    response = client.get(url("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(url("admin:login"))
    page = client.get(response["Location"]).content.decode()
    assert 'name="otp_token"' in page


def test_a_staff_member_without_an_app_is_sent_to_set_it_up(staff):
    client = Client()

    response = sign_in(client, staff, next=url("admin:index"))
    response = client.get(response["Location"], follow=True)

    assert response.redirect_chain[-1][0] == url("admin:two_factor") + "?next=" + url("admin:index").replace("/", "%2F")
    assert response.status_code == 200
    assert not TOTPDevice.objects.exists()


def test_the_set_up_page_shows_the_key_as_a_qr_code_and_as_text(staff):
    client = Client()
    client.force_login(staff)

    response = client.get(url("admin:two_factor"))

    page = response.content.decode()
    key = client.session[ENROL_SESSION_KEY]
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1)
    assert bytes.fromhex(key) == base64.b32decode(secret.replace(" ", ""))
    assert "<svg" in page and "<path" in page
    # Nothing the Content-Security-Policy would block.
    assert "style=" not in page.split('id="content-main"')[1]
    assert response["Cache-Control"].startswith("max-age=0")
    assert not TOTPDevice.objects.exists()


def test_setting_up_confirms_the_device_only_with_a_valid_first_code(staff):
    client = Client()
    client.force_login(staff)
    client.get(url("admin:two_factor"))
    key = client.session[ENROL_SESSION_KEY]

    response = client.post(url("admin:two_factor"), {"otp_token": "12345x"})
    assert response.status_code == 400
    response = client.post(url("admin:two_factor"), {"otp_token": code_of(key, steps_ago=5)})
    assert response.status_code == 400
    assert not TOTPDevice.objects.exists()
    assert not reaches_the_admin(client)

    response = client.post(
        url("admin:two_factor"), {"otp_token": code_of(key), "next": url("admin:auth_user_changelist")}
    )

    assert response.status_code == 302
    assert response["Location"] == url("admin:auth_user_changelist")
    device = TOTPDevice.objects.get()
    assert (device.user, device.key, device.confirmed) == (staff, key, True)
    assert ENROL_SESSION_KEY not in client.session
    assert reaches_the_admin(client)


def test_the_set_up_page_does_not_send_elsewhere(staff):
    client = Client()
    client.force_login(staff)
    client.get(url("admin:two_factor"))
    key = client.session[ENROL_SESSION_KEY]

    response = client.post(url("admin:two_factor"), {"otp_token": code_of(key), "next": "https://example.com/"})

    assert response["Location"] == url("admin:index")


def test_replacing_the_app_needs_a_session_verified_with_the_old_one(staff, device):
    client = Client()
    client.force_login(staff)

    response = client.get(url("admin:two_factor"))

    assert response.status_code == 302
    assert response["Location"].startswith(url("admin:login"))


def test_a_verified_staff_member_replaces_the_app(staff, device):
    client = Client()
    sign_in(client, staff, otp_token=code_of(device.key))
    page = client.get(url("admin:two_factor")).content.decode()
    assert "codes from the old one stop working" in page
    key = client.session[ENROL_SESSION_KEY]

    client.post(url("admin:two_factor"), {"otp_token": code_of(key)})

    assert list(TOTPDevice.objects.values_list("key", flat=True)) == [key]
    assert reaches_the_admin(client)


@pytest.mark.parametrize("who", ["anonymous", "regional office"])
def test_only_staff_may_set_up_an_app(who):
    client = Client()
    if who == "regional office":
        client.force_login(regional_office_user("75"))

    response = client.get(url("admin:two_factor"))

    assert response.status_code == 302
    assert response["Location"].startswith(url("admin:login"))
    assert ENROL_SESSION_KEY not in client.session


def test_with_two_factor_off_the_password_opens_the_admin_even_with_an_app(settings, staff, device):
    settings.OTP_REQUIRED_FOR_ADMIN = False
    client = Client()

    page = client.get(url("admin:login")).content.decode()
    response = sign_in(client, staff)

    assert 'name="otp_token"' not in page
    assert response.status_code == 302
    assert reaches_the_admin(client)
