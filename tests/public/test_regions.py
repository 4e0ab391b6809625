"""The list of regions and the page of a region: who represents my region?"""

import datetime

import pytest
from django.utils import timezone

from assembly.models import Body, Post
from members.models import Association, Membership
from regional.models import Region
from tests.factories import (
    AssociationFactory,
    BodyFactory,
    LegalActFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    national_body,
    post_of,
    region,
)

from .helpers import LANGUAGES, html_lang, links, text

pytestmark = pytest.mark.django_db


def _ended(**fields) -> Membership:
    return MembershipFactory(
        start_date=datetime.date(2016, 1, 1),
        end_date=timezone.localdate() - datetime.timedelta(days=1),
        end_reason=Membership.EndReason.ROTATION,
        ended_by=LegalActFactory(),
        **fields,
    )


@pytest.fixture
def almaty(db):
    assembly = national_body("almaty-assembly")
    association = AssociationFactory(
        level=Association.Level.REGIONAL,
        region=region("75"),
        name_kk="Алматы татар орталығы",
        name_ru="Татарский центр Алматы",
        name_en="Tatar centre of Almaty",
    )
    return {
        "assembly": assembly,
        "association": association,
        "akim": MembershipFactory(
            person=PersonFactory(surname="Әкімов"), body=assembly, post=post_of(assembly, Post.Role.CHAIRMAN)
        ),
        "members": [
            MembershipFactory(
                person=PersonFactory(surname="Татаров"),
                body=assembly,
                basis=Membership.Basis.ETHNOCULTURAL,
                on_behalf_of=association,
            ),
            MembershipFactory(person=PersonFactory(surname="Қайраткер"), body=assembly),
        ],
        "former": _ended(person=PersonFactory(surname="Бұрынғы"), body=assembly),
        "council_only": MembershipFactory(
            person=PersonFactory(surname="Кеңесші"), body=national_body("almaty-council")
        ),
        "representative": MembershipFactory(
            person=PersonFactory(surname="Өкілов"),
            body=national_body("assembly"),
            basis=Membership.Basis.ETHNOCULTURAL,
            on_behalf_of=association,
        ),
        "elsewhere": MembershipFactory(
            person=PersonFactory(surname="Астаналық"), body=national_body("astana-assembly")
        ),
    }


# The list.


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_list_shows_every_region_in_the_visitors_language(client, language):
    response = client.get(f"/{language}/regions/")

    assert response.status_code == 200
    assert html_lang(response) == language
    assert len(response.context["rows"]) == 20
    name = {"kk": "Шымкент қаласы", "ru": "город Шымкент", "en": "Shymkent"}[language]
    assert (f"/{language}/regions/shymkent/", name) in links(response)


def test_the_list_names_each_chairman_and_counts_the_members_today(client, almaty):
    response = client.get("/kk/regions/")

    row = next(row for row in response.context["rows"] if row["region"].slug == "almaty")
    assert row["chair"] == almaty["akim"]
    # The akim and two members; not the former member, nor the regional council's.
    assert row["assembly"].member_count == 3
    astana = next(row for row in response.context["rows"] if row["region"].slug == "astana")
    assert astana["assembly"].member_count == 1 and astana["chair"] is None
    assert f'href="/kk/members/{almaty["akim"].person.slug}/"' in text(response)


def test_the_list_leaves_out_a_region_that_no_longer_exists(client):
    Region.objects.filter(kato="10").update(valid_until=datetime.date(2020, 1, 1), valid_from=None)

    slugs = [row["region"].slug for row in client.get("/en/regions/").context["rows"]]

    assert "abai-region" not in slugs and len(slugs) == 19


REGION_LIST_QUERIES = 3  # assemblies with their counts, chairs, regions


def _regional_members(count: int) -> None:
    for slug in ("almaty-assembly", "astana-assembly", "shymkent-assembly"):
        for _ in range(count):
            MembershipFactory(body=national_body(slug))


def test_the_list_queries_do_not_grow_with_the_data(client, django_assert_num_queries):
    for slug in ("almaty-assembly", "astana-assembly"):
        MembershipFactory(body=national_body(slug), post=post_of(national_body(slug), Post.Role.CHAIRMAN))
    _regional_members(1)
    with django_assert_num_queries(REGION_LIST_QUERIES):
        client.get("/kk/regions/")
    _regional_members(10)
    with django_assert_num_queries(REGION_LIST_QUERIES):
        response = client.get("/kk/regions/")

    assert (
        next(row for row in response.context["rows"] if row["region"].slug == "almaty")["assembly"].member_count == 12
    )


# The page of a region.


def test_the_region_page_shows_its_assembly_chairman_and_members(client, almaty):
    response = client.get("/kk/regions/almaty/")

    assert response.context["assembly"] == almaty["assembly"]
    assert response.context["chair"] == almaty["akim"]
    assert set(response.context["members"]) == {almaty["akim"], *almaty["members"]}
    page = text(response)
    for key in ("former", "council_only", "elsewhere"):
        assert f"/kk/members/{almaty[key].person.slug}/" not in page
    assert "Алматы татар орталығы" in page


def test_the_region_page_names_the_national_members_who_represent_the_region(client, almaty):
    other = AssociationFactory(level=Association.Level.REGIONAL, region=region("71"))
    MembershipFactory(body=national_body("assembly"), basis=Membership.Basis.ETHNOCULTURAL, on_behalf_of=other)

    response = client.get("/en/regions/almaty/")

    assert list(response.context["representatives"]) == [almaty["representative"]]
    page = text(response)
    assert f'href="/en/members/{almaty["representative"].person.slug}/"' in page
    assert "Tatar centre of Almaty" in page


def test_the_region_page_lists_the_meetings_of_the_regions_bodies(client, almaty):
    session = MeetingFactory(body=almaty["assembly"], number=12, start_date=datetime.date(2024, 2, 1))
    council_meeting = MeetingFactory(body=national_body("almaty-council"), start_date=datetime.date(2024, 3, 1))
    MeetingFactory(body=national_body("astana-assembly"), start_date=datetime.date(2024, 4, 1))

    response = client.get("/ru/regions/almaty/")

    assert list(response.context["meetings"]) == [council_meeting, session]
    page = text(response)
    assert f'href="/ru/sessions/{session.pk}/"' in page
    assert "XII" in page


def test_the_region_page_lists_the_regions_bodies_including_lower_levels(client):
    district = BodyFactory(
        name_kk="Медеу ауданының ассамблеясы", region=region("75"), parent=national_body("almaty-assembly")
    )

    response = client.get("/kk/regions/almaty/")

    slugs = [body.slug for body in response.context["bodies"]]
    assert set(slugs) == {"almaty-assembly", "almaty-council", "almaty-secretariat", district.slug}
    # The district's assembly does not take the place of the region's.
    assert response.context["assembly"].slug == "almaty-assembly"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_region_page_answers_in_each_language(client, almaty, language):
    response = client.get(f"/{language}/regions/almaty/")

    assert response.status_code == 200
    assert html_lang(response) == language
    assert {"kk": "Алматы қаласы", "ru": "город Алматы", "en": "Almaty"}[language] in text(response)


def test_an_unknown_region_is_404(client):
    assert client.get("/kk/regions/atlantis/").status_code == 404


def test_a_region_without_an_assembly_still_has_a_page(client):
    region_without = Region.objects.create(kato="99", slug="new-region", kind=Region.Kind.OBLAST, name_kk="Жаңа облыс")

    response = client.get(f"/kk/regions/{region_without.slug}/")

    assert response.status_code == 200
    assert response.context["assembly"] is None


REGION_QUERIES = 6  # region, bodies, chair, members, representatives, meetings


def test_the_region_page_queries_do_not_grow_with_the_data(client, almaty, django_assert_num_queries):
    def more(count):
        for index in range(count):
            MembershipFactory(body=almaty["assembly"])
            MembershipFactory(
                body=national_body("assembly"), basis=Membership.Basis.ETHNOCULTURAL, on_behalf_of=almaty["association"]
            )
            MeetingFactory(
                body=almaty["assembly"], start_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=index)
            )

    more(1)
    with django_assert_num_queries(REGION_QUERIES):
        client.get("/kk/regions/almaty/")
    more(12)
    with django_assert_num_queries(REGION_QUERIES):
        response = client.get("/kk/regions/almaty/")

    assert len(response.context["members"]) == 16
    assert Body.objects.filter(region__slug="almaty").count() == 3
