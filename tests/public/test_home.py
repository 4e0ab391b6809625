import datetime

import pytest
from django.utils import timezone

from assembly.models import Post
from members.models import Membership
from tests.factories import (
    AssociationFactory,
    BodyFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    PostFactory,
    national_body,
    post_of,
    region,
)

from .helpers import LANGUAGES, html_lang, parse, text

pytestmark = pytest.mark.django_db


def test_the_root_redirects_to_the_kazakh_home_page(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/kk/"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_home_page_answers_in_each_language(client, language):
    response = client.get(f"/{language}/")

    assert response.status_code == 200
    assert html_lang(response) == language
    assert response.templates[0].name == "assembly/home.html"


def test_the_home_page_shows_the_next_and_the_latest_sessions(client):
    today = timezone.localdate()
    assembly = national_body("assembly")
    upcoming = MeetingFactory(
        body=assembly, number=90, status="planned", start_date=today + datetime.timedelta(days=40), theme_kk="Келешек"
    )
    latest = MeetingFactory(
        body=assembly, number=89, status="held", start_date=today - datetime.timedelta(days=3), theme_kk="Жақында"
    )
    regional = MeetingFactory(
        body=national_body("almaty-assembly"), status="planned", start_date=today + datetime.timedelta(days=5)
    )

    response = client.get("/kk/")

    assert list(response.context["next_meetings"]) == [upcoming]
    assert response.context["latest_meetings"][0] == latest
    assert regional not in response.context["latest_meetings"]
    page = text(response)
    assert "Келешек" in page and "Жақында" in page
    assert f"/kk/sessions/{upcoming.pk}/" in page


def test_the_home_page_counts_the_current_members_of_each_level(client):
    today = timezone.localdate()
    for _ in range(2):
        MembershipFactory(body=national_body("assembly"))
    MembershipFactory(body=national_body("council"))
    MembershipFactory(body=national_body("almaty-assembly"))
    district = BodyFactory(region=region("75"), parent=national_body("almaty-assembly"))
    PostFactory(body=district)
    MembershipFactory(body=district)
    MembershipFactory(
        body=national_body("assembly"),
        start_date=datetime.date(2019, 1, 1),
        end_date=today - datetime.timedelta(days=1),
        end_reason=Membership.EndReason.ROTATION,
    )

    response = client.get("/en/")

    assert response.context["figures"] == {"assembly": 2, "council": 1, "regional": 1}


def test_the_home_page_names_the_leadership(client):
    assembly = national_body("assembly")
    chairman = MembershipFactory(
        person=PersonFactory(surname="Тоқаев", given_name="Қасым-Жомарт", patronymic="Кемелұлы"),
        body=assembly,
        post=post_of(assembly, Post.Role.CHAIRMAN),
        start_date=datetime.date(2021, 4, 28),
    )

    response = client.get("/kk/")

    assert list(response.context["leaders"]) == [chairman]
    assert "Тоқаев Қасым-Жомарт Кемелұлы" in text(response)
    assert f'href="/kk/members/{chairman.person.slug}/"' in text(response)


def test_the_home_page_shows_meeting_themes_in_the_visitors_language_with_fallback(client):
    today = timezone.localdate()
    MeetingFactory(
        body=national_body("assembly"),
        status="planned",
        start_date=today + datetime.timedelta(days=10),
        theme_kk="Бірлік",
        theme_ru="Единство",
        theme_en="Unity",
    )
    MeetingFactory(
        body=national_body("assembly"),
        status="planned",
        start_date=today + datetime.timedelta(days=20),
        theme_kk="Тек қазақша",
    )

    assert "Единство" in text(client.get("/ru/"))
    english = text(client.get("/en/"))
    assert "Unity" in english and "Бірлік" not in english
    assert "Тек қазақша" in english


def _home_data(count: int) -> None:
    today = timezone.localdate()
    assembly = national_body("assembly")
    association = AssociationFactory()
    for index in range(count):
        MembershipFactory(body=assembly, basis=Membership.Basis.ETHNOCULTURAL, on_behalf_of=association)
        MembershipFactory(body=national_body("council"))
        MeetingFactory(body=national_body("council"), start_date=today - datetime.timedelta(days=index + 1))
        MeetingFactory(
            body=national_body("council"), status="planned", start_date=today + datetime.timedelta(days=index + 1)
        )


HOME_QUERIES = 6  # next meetings, latest meetings, three counts, leadership


def test_the_home_page_queries_do_not_grow_with_the_data(client, django_assert_num_queries):
    assembly = national_body("assembly")
    MembershipFactory(body=assembly, post=post_of(assembly, Post.Role.CHAIRMAN))
    MembershipFactory(
        body=assembly,
        post=post_of(assembly, Post.Role.DEPUTY_CHAIRMAN),
        basis=Membership.Basis.ETHNOCULTURAL,
        on_behalf_of=AssociationFactory(),
    )
    _home_data(3)
    with django_assert_num_queries(HOME_QUERIES):
        first = client.get("/kk/")
    _home_data(27)
    with django_assert_num_queries(HOME_QUERIES):
        second = client.get("/kk/")

    assert first.status_code == second.status_code == 200
    assert second.context["figures"]["council"] == 30


def test_the_home_page_links_to_every_section(client):
    links = {anchor.get("href") for anchor in parse(client.get("/ru/")).anchors}

    assert {
        "/ru/members/",
        "/ru/bodies/",
        "/ru/regions/",
        "/ru/associations/",
        "/ru/sessions/",
        "/ru/composition/",
    } <= links
