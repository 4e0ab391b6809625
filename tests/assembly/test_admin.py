"""The staff admin of the structure: legal acts, bodies with their posts, posts, and the
composition of a body on a date."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assembly.models import Body, Post
from tests.factories import BodyFactory, LegalActFactory, MembershipFactory, PostFactory, national_body, post_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored():
    """The admin's LocaleMiddleware leaves the language of the last request active in the thread."""
    with translation.override(translation.get_language()):
        yield


D = datetime.date


def admin_url(name: str, *args, lang: str = "en", query: str = "") -> str:
    """An admin URL, in English unless told: the tests read messages in their source language."""
    with translation.override(lang):
        url = reverse(f"admin:{name}", args=args)
    return f"{url}?{query}" if query else url


def client_in_group(django_user_model, group: str) -> Client:
    user = django_user_model.objects.create_user(group.split()[-1], password="pass-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def viewer_client(django_user_model):
    return client_in_group(django_user_model, "Secretariat viewer")


@pytest.fixture
def editor_client(django_user_model):
    return client_in_group(django_user_model, "Secretariat editor")


# Pages ---------------------------------------------------------------------------------


def objects_of(model: str):
    return {"legalact": LegalActFactory, "body": national_body, "post": lambda: post_of(national_body())}[model]()


@pytest.mark.parametrize("model", ["legalact", "body", "post"])
@pytest.mark.parametrize("who", ["superuser", "viewer"])
def test_changelist_change_form_and_history_open(model, who, staff_client, viewer_client):
    client = staff_client if who == "superuser" else viewer_client
    obj = objects_of(model)
    for lang in ("kk", "ru", "en"):
        assert client.get(admin_url(f"assembly_{model}_changelist", lang=lang)).status_code == 200
        assert client.get(admin_url(f"assembly_{model}_change", obj.pk, lang=lang)).status_code == 200
    assert client.get(admin_url(f"assembly_{model}_history", obj.pk)).status_code == 200
    assert (client.get(admin_url(f"assembly_{model}_add")).status_code == 200) is (who == "superuser")


def test_body_change_form_shows_its_posts_and_name_in_three_languages(staff_client):
    response = staff_client.get(admin_url("assembly_body_change", national_body().pk))
    form = response.context["adminform"].form
    assert {"name_kk", "name_ru", "name_en"} <= set(form.fields)
    (posts,) = response.context["inline_admin_formsets"]
    assert {form.instance.role for form in posts.formset.forms} == {"chairman", "deputy_chairman", "member"}


def test_the_editor_adds_a_body_with_its_posts(editor_client):
    data = {
        "slug": "abai-district-assembly",
        "kind": Body.Kind.ASSEMBLY,
        "name_kk": "Абай ауданының ассамблеясы",
        "name_ru": "Ассамблея Абайского района",
        "name_en": "",
        "parent": "",
        "region": "",
        "successor": "",
        "sort_order": "0",
        "founded": "2025-02-01",
        "dissolved": "",
        "posts-TOTAL_FORMS": "1",
        "posts-INITIAL_FORMS": "0",
        "posts-MIN_NUM_FORMS": "0",
        "posts-MAX_NUM_FORMS": "1000",
        "posts-0-role": Post.Role.MEMBER,
        "posts-0-label_kk": "Мүше",
        "posts-0-seats": "",
        "posts-0-sort_order": "0",
    }
    assert editor_client.post(admin_url("assembly_body_add"), data).status_code == 302
    body = Body.objects.get(slug="abai-district-assembly")
    assert body.name_ru == "Ассамблея Абайского района"
    assert body.posts.get().label_kk == "Мүше"


def test_the_viewer_cannot_add_or_change_a_body(viewer_client):
    body = national_body("council")
    assert viewer_client.get(admin_url("assembly_body_add")).status_code == 403
    assert viewer_client.post(admin_url("assembly_body_change", body.pk), {"slug": "changed"}).status_code == 403
    body.refresh_from_db()
    assert body.slug == "council"


# Composition on a date -----------------------------------------------------------------


def composition(client, body, on: str | None = None):
    return client.get(admin_url("assembly_body_composition", body.pk), {"on": on} if on is not None else {})


def listed(response) -> dict:
    assert response.status_code == 200
    return {post.role: [m.person for m in memberships] for post, memberships in response.context["posts"].items()}


def test_composition_lists_the_members_on_the_date_by_post(viewer_client):
    council = national_body("council")
    chairman = MembershipFactory(body=council, post=post_of(council, Post.Role.CHAIRMAN), start_date=D(2019, 5, 1))
    member = MembershipFactory(body=council, start_date=D(2020, 1, 15))
    next_day = MembershipFactory(body=council, start_date=D(2020, 1, 16))
    ended = MembershipFactory(body=council, start_date=D(2010, 1, 1), end_date=D(2020, 1, 15), end_reason="rotation")
    on_the_day = composition(viewer_client, council, "2020-01-15")
    assert listed(on_the_day) == {
        "chairman": [chairman.person],
        "member": sorted([member.person, ended.person], key=lambda person: person.surname),
    }
    assert list(on_the_day.context["posts"])[0].role == "chairman"
    assert next_day.person not in listed(on_the_day)["member"]
    day_after = listed(composition(viewer_client, council, "2020-01-16"))
    assert next_day.person in day_after["member"]
    assert ended.person not in day_after["member"]
    page = on_the_day.content.decode()
    assert member.person.full_name in page
    assert str(member.appointed_by) in page


def test_composition_defaults_to_today(staff_client):
    council = national_body("council")
    current = MembershipFactory(body=council, start_date=D(2020, 1, 15))
    response = composition(staff_client, council)
    assert response.context["form"]["on"].value() == response.context["date"]
    assert listed(response) == {"member": [current.person]}


@pytest.mark.parametrize("bad", ["2024-13-45", "yesterday", "15.01"])
def test_composition_with_a_bad_date_shows_a_message(staff_client, bad):
    response = composition(staff_client, national_body("council"), bad)
    assert response.status_code == 200
    assert response.context["posts"] is None
    assert response.context["form"].errors["on"]
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_composition_says_when_the_body_did_not_exist(staff_client):
    body = BodyFactory(founded=D(2025, 2, 1))
    PostFactory(body=body)
    response = composition(staff_client, body, "2024-01-01")
    assert response.context["body_existed"] is False
    assert "did not exist" in response.content.decode()


def test_composition_is_linked_from_the_body_change_page_and_changelist(staff_client):
    council = national_body("council")
    url = admin_url("assembly_body_composition", council.pk)
    assert url in staff_client.get(admin_url("assembly_body_change", council.pk)).content.decode()
    assert url in staff_client.get(admin_url("assembly_body_changelist")).content.decode()


def test_composition_needs_a_permission_to_view_bodies(django_user_model):
    user = django_user_model.objects.create_user("nobody", password="pass-for-tests", is_staff=True)
    client = Client()
    client.force_login(user)
    assert composition(client, national_body("council")).status_code == 403


def test_composition_queries_do_not_grow_with_members(staff_client):
    council = national_body("council")
    for _ in range(3):
        MembershipFactory(body=council)
    with CaptureQueriesContext(connection) as few:
        composition(staff_client, council, "2021-01-01")
    for _ in range(7):
        MembershipFactory(body=council)
    with CaptureQueriesContext(connection) as more:
        composition(staff_client, council, "2021-01-01")
    assert len(more) == len(few)


# Query counts ---------------------------------------------------------------------------


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


ROWS = {
    "legalact": lambda: LegalActFactory(),
    "body": lambda: BodyFactory(region=national_body("almaty-region-assembly").region),
    "post": lambda: PostFactory(),
}


@pytest.mark.parametrize(("model", "expected"), [("legalact", 7), ("body", 6), ("post", 5)])
def test_changelist_queries_are_pinned_and_do_not_grow_with_rows(
    staff_client, django_assert_num_queries, model, expected
):
    url = admin_url(f"assembly_{model}_changelist")
    for _ in range(3):
        ROWS[model]()
    with django_assert_num_queries(expected):
        staff_client.get(url)
    for _ in range(7):
        ROWS[model]()
    assert queries_of(staff_client, url) == expected
