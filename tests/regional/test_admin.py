"""The staff admin of the regions: reference data that staff read and nobody adds or
deletes there."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from regional.models import Region
from tests.factories import region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored():
    """The admin's LocaleMiddleware leaves the language of the last request active in the thread."""
    with translation.override(translation.get_language()):
        yield


def admin_url(name: str, *args, lang: str = "en") -> str:
    with translation.override(lang):
        return reverse(f"admin:{name}", args=args)


@pytest.fixture
def viewer_client(django_user_model):
    user = django_user_model.objects.create_user("viewer", password="pass-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name="Secretariat viewer"))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["superuser", "viewer"])
@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_changelist_change_form_and_history_open(who, lang, staff_client, viewer_client):
    client = staff_client if who == "superuser" else viewer_client
    almaty = region("75")
    changelist = client.get(admin_url("regional_region_changelist", lang=lang))
    assert changelist.status_code == 200
    assert len(changelist.context["cl"].result_list) == Region.objects.count() == 20
    change = client.get(admin_url("regional_region_change", almaty.pk, lang=lang))
    assert change.status_code == 200
    assert change.context["has_change_permission"] is (who == "superuser")
    assert client.get(admin_url("regional_region_history", almaty.pk, lang=lang)).status_code == 200


def test_regions_are_never_added_or_deleted_in_the_admin(staff_client):
    almaty = region("75")
    assert staff_client.get(admin_url("regional_region_add")).status_code == 403
    assert staff_client.post(admin_url("regional_region_delete", almaty.pk), {"post": "yes"}).status_code == 403
    assert Region.objects.filter(pk=almaty.pk).exists()


def test_search_finds_a_region_by_name_in_any_language_or_kato(staff_client):
    for term in ("Алматы", "Almaty", "75"):
        response = staff_client.get(admin_url("regional_region_changelist"), {"q": term})
        assert region("75") in response.context["cl"].result_list


def test_a_correction_by_a_superuser_is_in_the_history(staff_client):
    almaty = region("75")
    url = admin_url("regional_region_change", almaty.pk)
    form = staff_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["name_en"] = "Almaty city"
    assert staff_client.post(url, data).status_code == 302
    page = staff_client.get(admin_url("regional_region_history", almaty.pk)).content.decode()
    assert "Almaty city" in page
    assert "staff" in page


def test_changelist_queries_are_pinned_and_do_not_grow_with_rows(staff_client, django_assert_num_queries):
    url = admin_url("regional_region_changelist")
    with django_assert_num_queries(5):
        staff_client.get(url)
    for kato in ("91", "92", "93"):
        Region.objects.create(kato=kato, slug=f"test-{kato}", kind=Region.Kind.OBLAST, name_kk=f"Облыс {kato}")
    with CaptureQueriesContext(connection) as queries:
        staff_client.get(url)
    assert len(queries) == 5
