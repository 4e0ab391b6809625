"""The lockout after repeated failed sign-ins (django-axes, ``assembly.logins``) at each of
the three doors: the staff admin, the regional office portal and the API token endpoint.
A user name is locked out at one client address; the right password is then refused until
the cool-off is over or someone unlocks it; the Secretariat sees the records."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.throttling import BaseThrottle

from assembly.logins import client_ip
from tests.factories import regional_office_user, secretariat_user

pytestmark = pytest.mark.django_db

LIMIT = 3
PASSWORD = "pass-for-tests"
ADDRESS = "198.51.100.10"
OTHER_ADDRESS = "198.51.100.20"
PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def _lockout_settings(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)


def url(name: str, *args, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def admin_door(username, password, *, language="en", **meta):
    client = Client(**meta)
    response = client.post(url("admin:login", language=language), {"username": username, "password": password})
    return response, response.status_code == 302 and "_auth_user_id" in client.session


def portal_door(username, password, *, language="en", **meta):
    client = Client(**meta)
    response = client.post(url("portal:login", language=language), {"username": username, "password": password})
    return response, response.status_code == 302 and "_auth_user_id" in client.session


def api_door(username, password, *, language="en", **meta):
    client = APIClient(headers={"Accept-Language": language}, **meta)
    response = client.post(reverse("api-token"), {"username": username, "password": password}, format="json")
    return response, response.status_code == 200 and "token" in response.json()


DOORS = {"admin": admin_door, "portal": portal_door, "api": api_door}


def lock_out(door, username, **meta):
    for _attempt in range(LIMIT):
        response, signed_in = door(username, "wrong-password", **meta)
        assert not signed_in
    return response


def expected_message(language: str) -> str:
    with translation.override(language):
        return translation.ngettext(
            "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
            "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
            15,
        ) % {"minutes": 15}


@pytest.fixture
def user():
    """A Secretariat editor: the one kind of user who may use all three doors."""
    return secretariat_user()


@pytest.mark.parametrize("door", DOORS.values(), ids=DOORS.keys())
def test_failed_sign_ins_below_the_limit_only_fail(door, user):
    for _attempt in range(LIMIT - 1):
        response, signed_in = door(user.username, "wrong-password", REMOTE_ADDR=ADDRESS)
        assert response.status_code in (200, 400)
        assert not signed_in

    response, signed_in = door(user.username, PASSWORD, REMOTE_ADDR=ADDRESS)

    assert signed_in


@pytest.mark.parametrize("door", DOORS.values(), ids=DOORS.keys())
def test_the_last_failure_locks_out_and_then_the_right_password_is_refused(door, user):
    response = lock_out(door, user.username, REMOTE_ADDR=ADDRESS)

    assert response.status_code == 429
    assert response["Retry-After"] == "900"

    response, signed_in = door(user.username, PASSWORD, REMOTE_ADDR=ADDRESS)

    assert response.status_code == 429
    assert not signed_in


@pytest.mark.parametrize("door", [admin_door, portal_door], ids=["admin", "portal"])
@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_locked_out_browser_gets_a_page_in_its_language(door, language, user):
    response = lock_out(door, user.username, language=language, REMOTE_ADDR=ADDRESS)

    page = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert f'<html lang="{language}">' in page
    assert 'class="site-header"' in page
    assert expected_message(language) in page


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_locked_out_api_client_gets_json_with_detail(language, user):
    response = lock_out(api_door, user.username, language=language, REMOTE_ADDR=ADDRESS)

    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": expected_message(language)}


def age_the_attempts(minutes: int) -> None:
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= datetime.timedelta(minutes=minutes)
        attempt.save()


@pytest.mark.parametrize("door", DOORS.values(), ids=DOORS.keys())
def test_the_lockout_ends_after_the_cool_off(door, user):
    lock_out(door, user.username, REMOTE_ADDR=ADDRESS)

    age_the_attempts(14)
    assert not door(user.username, PASSWORD, REMOTE_ADDR=ADDRESS)[1]

    # The refused try above started the cool-off again.
    age_the_attempts(16)
    assert door(user.username, PASSWORD, REMOTE_ADDR=ADDRESS)[1]


@pytest.mark.parametrize("door", DOORS.values(), ids=DOORS.keys())
def test_axes_reset_unlocks(door, user):
    lock_out(door, user.username, REMOTE_ADDR=ADDRESS)

    call_command("axes_reset", verbosity=0)

    assert door(user.username, PASSWORD, REMOTE_ADDR=ADDRESS)[1]


@pytest.mark.parametrize("door", DOORS.values(), ids=DOORS.keys())
def test_the_lockout_holds_one_user_name_at_one_address(door, user):
    colleague = secretariat_user()
    lock_out(door, user.username, REMOTE_ADDR=ADDRESS)

    assert not door(user.username, PASSWORD, REMOTE_ADDR=ADDRESS)[1]
    assert door(user.username, PASSWORD, REMOTE_ADDR=OTHER_ADDRESS)[1]
    assert door(colleague.username, PASSWORD, REMOTE_ADDR=ADDRESS)[1]


def test_a_lockout_at_one_door_holds_at_the_others(user):
    lock_out(portal_door, user.username, REMOTE_ADDR=ADDRESS)

    assert admin_door(user.username, PASSWORD, REMOTE_ADDR=ADDRESS)[0].status_code == 429
    assert api_door(user.username, PASSWORD, REMOTE_ADDR=ADDRESS)[0].status_code == 429


def test_a_regional_office_is_locked_out_of_its_portal_too():
    office = regional_office_user("75")
    lock_out(portal_door, office.username, REMOTE_ADDR=ADDRESS)

    assert portal_door(office.username, PASSWORD, REMOTE_ADDR=ADDRESS)[0].status_code == 429


def test_without_a_proxy_a_forged_forwarded_for_does_not_escape_the_lockout(settings, user):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": None}
    for attempt in range(LIMIT):
        portal_door(user.username, "wrong-password", REMOTE_ADDR=ADDRESS, HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")

    response, signed_in = portal_door(user.username, PASSWORD, REMOTE_ADDR=ADDRESS, HTTP_X_FORWARDED_FOR="192.0.2.99")

    assert response.status_code == 429
    assert not signed_in


def test_behind_a_proxy_the_lockout_holds_the_address_the_proxy_saw(settings, user):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    # Whatever the client writes in X-Forwarded-For, the proxy appends the address it saw.
    for attempt in range(LIMIT):
        forwarded = f"192.0.2.{attempt}, {ADDRESS}"
        portal_door(user.username, "wrong-password", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)

    assert AccessAttempt.objects.get().ip_address == ADDRESS
    locked, _signed_in = portal_door(
        user.username, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.99, {ADDRESS}"
    )
    assert locked.status_code == 429
    # Another client behind the same proxy is not locked out.
    assert portal_door(user.username, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OTHER_ADDRESS)[1]


@pytest.mark.parametrize("num_proxies", [None, 0, 1, 2])
@pytest.mark.parametrize(
    ("remote_addr", "forwarded"),
    [
        (ADDRESS, None),
        (PROXY, ADDRESS),
        (PROXY, f"192.0.2.7, {ADDRESS}"),
        (PROXY, f"192.0.2.7, {OTHER_ADDRESS}, {ADDRESS}"),
    ],
)
def test_the_lockout_and_the_api_throttles_see_the_same_client_address(settings, num_proxies, remote_addr, forwarded):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": num_proxies}
    meta = {"REMOTE_ADDR": remote_addr, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})}
    request = APIRequestFactory().post("/api/v1/auth/token/", **meta)

    expected = BaseThrottle().get_ident(request)
    if num_proxies is None and forwarded:
        # The API's throttles trust the header when told of no proxy; the lockout never does.
        expected = remote_addr
    assert client_ip(request) == expected


def test_behind_a_proxy_a_forwarded_for_that_is_no_address_counts_as_the_proxy(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    request = APIRequestFactory().post("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.10, <script>")

    assert client_ip(request) == PROXY


def test_the_record_of_a_failed_sign_in_keeps_no_secret(user):
    Client(REMOTE_ADDR=ADDRESS).post(
        url("admin:login"),
        {
            "username": user.username,
            "password": "secret-password-value",
            "otp_token": "246810",
            "csrfmiddlewaretoken": "secret-csrf-value",
        },
    )

    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (user.username, ADDRESS, 1)
    for secret in ("secret-password-value", "246810", "secret-csrf-value"):
        assert secret not in attempt.post_data
    assert AccessFailureLog.objects.filter(username=user.username, ip_address=ADDRESS).count() == 1


RECORDS = ["axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"]


@pytest.mark.parametrize("record", RECORDS)
@pytest.mark.parametrize("group", ["Secretariat viewer", "Secretariat editor"])
def test_the_secretariat_reads_the_records_of_sign_ins(record, group, user):
    lock_out(admin_door, user.username, REMOTE_ADDR=ADDRESS)
    assert admin_door(user.username, PASSWORD, REMOTE_ADDR=OTHER_ADDRESS)[1]
    client = Client()
    client.force_login(secretariat_user(group))

    response = client.get(url(f"admin:{record}_changelist"))

    assert response.status_code == 200
    assert user.username in response.content.decode()
    assert url(f"admin:{record}_changelist") in client.get(url("admin:index")).content.decode()


def test_a_secretariat_editor_unlocks_by_deleting_the_attempt_and_a_viewer_may_not(user):
    lock_out(portal_door, user.username, REMOTE_ADDR=ADDRESS)
    attempt = AccessAttempt.objects.get()
    viewer, editor = Client(), Client()
    viewer.force_login(secretariat_user("Secretariat viewer"))
    editor.force_login(secretariat_user("Secretariat editor"))
    delete = url("admin:axes_accessattempt_delete", attempt.pk)

    assert viewer.post(delete, {"post": "yes"}).status_code == 403
    assert editor.post(url("admin:axes_accessattempt_change", attempt.pk), {"username": "x"}).status_code == 403
    assert editor.post(delete, {"post": "yes"}).status_code == 302

    assert portal_door(user.username, PASSWORD, REMOTE_ADDR=ADDRESS)[1]


def test_the_records_of_sign_ins_are_not_for_regional_offices():
    client = Client()
    client.force_login(regional_office_user("75"))

    response = client.get(url("admin:axes_accessattempt_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(url("admin:login"))
