"""The staff admin of nominations: the Secretariat reads every region's nominations with
their steps, documents and history, filters them, and changes nothing there (changes go
through the procedure's services)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from regional.models import Nomination, RegionalOfficeUser
from tests.factories import NominationFactory, advance_nomination, region, regional_office_user, secretariat_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored(settings, tmp_path):
    """The admin's LocaleMiddleware leaves the language of the last request active in the thread."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    with translation.override(translation.get_language()):
        yield


def admin_url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(f"admin:{name}", args=args)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def nominations():
    almaty = advance_nomination(NominationFactory(created_by=regional_office_user("75")), "returned")
    akmola = NominationFactory(created_by=regional_office_user("11"), track="regional")
    return almaty, akmola


@pytest.mark.parametrize("who", ["superuser", "editor", "viewer"])
def test_the_secretariat_reads_every_region_s_nominations(who, nominations, staff_user):
    user = {"superuser": staff_user, "editor": secretariat_user(), "viewer": secretariat_user("Secretariat viewer")}
    client = client_of(user[who])
    almaty, akmola = nominations
    changelist = client.get(admin_url("regional_nomination_changelist"))
    assert changelist.status_code == 200
    assert set(changelist.context["cl"].result_list) == {almaty, akmola}
    change = client.get(admin_url("regional_nomination_change", almaty.pk))
    assert change.status_code == 200
    assert change.context["has_change_permission"] is False
    page = change.content.decode()
    assert "decision.pdf" in page  # the documents inline
    assert page.count("return for revision") >= 1  # the steps inline
    assert client.get(admin_url("regional_nomination_history", almaty.pk)).status_code == 200


def test_filters_by_region_status_and_track(nominations):
    client = client_of(secretariat_user("Secretariat viewer"))
    almaty, akmola = nominations
    url = admin_url("regional_nomination_changelist")
    cases = [
        ({"region__id__exact": region("11").pk}, {akmola}),
        ({"status__exact": "returned"}, {almaty}),
        ({"track__exact": "regional"}, {akmola}),
        ({"q": almaty.iin}, {almaty}),
    ]
    for query, expected in cases:
        assert set(client.get(url, query).context["cl"].result_list) == expected, query


def test_nothing_is_added_changed_or_deleted_in_the_admin(nominations, staff_user):
    client = client_of(staff_user)
    almaty, _akmola = nominations
    assert client.get(admin_url("regional_nomination_add")).status_code == 403
    assert client.post(admin_url("regional_nomination_change", almaty.pk), {"surname": "Басқа"}).status_code == 403
    assert client.post(admin_url("regional_nomination_delete", almaty.pk), {"post": "yes"}).status_code == 403
    almaty.refresh_from_db()
    assert (almaty.surname.startswith("Әбенов"), almaty.status) == (True, "returned")


def test_others_do_not_reach_the_nominations(nominations):
    office = client_of(regional_office_user("75"))
    response = office.get(admin_url("regional_nomination_changelist"))
    assert response.status_code == 302 and "login" in response["Location"]
    staff = client_of(get_user_model().objects.create_user("staff-only", is_staff=True))
    assert staff.get(admin_url("regional_nomination_changelist")).status_code == 403
    assert staff.get(admin_url("regional_nomination_change", nominations[0].pk)).status_code == 403


def test_changelist_queries_do_not_grow_with_rows(nominations, staff_user):
    client = client_of(secretariat_user("Secretariat viewer"))
    url = admin_url("regional_nomination_changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for _ in range(3):
        NominationFactory(created_by=regional_office_user("11"))
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert len(response.context["cl"].result_list) == Nomination.objects.count() == 5
    assert len(after) == len(before)


def test_a_superuser_assigns_a_regional_office_user_a_region(staff_user):
    client = client_of(staff_user)
    user = get_user_model().objects.create_user("new-office-user")
    response = client.post(admin_url("regional_regionalofficeuser_add"), {"user": user.pk, "region": region("75").pk})
    assert response.status_code == 302
    profile = RegionalOfficeUser.objects.get(user=user)
    assert profile.region.kato == "75"
    change = client.get(admin_url("regional_regionalofficeuser_change", profile.pk))
    assert "user" in change.context["adminform"].readonly_fields
