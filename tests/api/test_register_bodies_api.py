"""The public endpoints of the bodies, their posts and the associations (their query counts,
bad values and privacy are tested with the rest of the register in test_register_api.py)."""

import datetime

import pytest
from django.utils import timezone, translation

from assembly.models import Body, Post
from members.models import Association, Membership
from tests.factories import (
    AssociationFactory,
    BodyFactory,
    EthnicGroupFactory,
    LegalActFactory,
    MembershipFactory,
    api_client,
    national_body,
    region,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ("kk", "ru", "en")
BODIES, POSTS, ASSOCIATIONS = "/api/v1/bodies/", "/api/v1/posts/", "/api/v1/associations/"


@pytest.fixture
def anonymous():
    return api_client(language="kk")


def _get(client, url: str, params: dict | None = None) -> dict:
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return response.json()


def _rows(client, url: str, params: dict | None = None) -> list[dict]:
    return _get(client, url, {"page_size": 500, **(params or {})})["results"]


def _label(choice, language: str) -> str:
    with translation.override(language):
        return str(choice.label)


# Bodies.


def test_the_bodies_are_listed_national_first_then_by_region(anonymous):
    slugs = [row["slug"] for row in _rows(anonymous, BODIES)]

    assert slugs[:3] == ["assembly", "council", "secretariat"]
    assert {"almaty-assembly", "almaty-council", "astana-assembly"} <= set(slugs)
    assert len(slugs) == Body.objects.count()


def test_a_body_names_its_parent_region_and_successor(anonymous):
    council = national_body("council")
    body = BodyFactory(
        slug="medeu-assembly",
        name_kk="Медеу ауданы ассамблеясы",
        parent=national_body("almaty-assembly"),
        region=region("75"),
        founded=datetime.date(2025, 2, 1),
        dissolved=datetime.date(2026, 6, 30),
        successor=council,
    )

    answer = _get(anonymous, f"{BODIES}{body.slug}/")

    assert answer == {
        "slug": "medeu-assembly",
        "url": "http://testserver/api/v1/bodies/medeu-assembly/",
        "web_url": "http://testserver/kk/bodies/medeu-assembly/",
        "kind": "assembly",
        "kind_label": _label(Body.Kind.ASSEMBLY, "kk"),
        "name": "Медеу ауданы ассамблеясы",
        "name_translations": {"kk": "Медеу ауданы ассамблеясы", "ru": body.name_ru, "en": body.name_en},
        "parent": {
            "slug": "almaty-assembly",
            "url": "http://testserver/api/v1/bodies/almaty-assembly/",
            "name": national_body("almaty-assembly").name_kk,
        },
        "region": {"slug": "almaty", "url": "http://testserver/api/v1/regions/almaty/", "name": region("75").name_kk},
        "founded": "2025-02-01",
        "dissolved": "2026-06-30",
        "successor": {"slug": "council", "url": "http://testserver/api/v1/bodies/council/", "name": council.name_kk},
    }
    assert anonymous.get(answer["web_url"]).status_code == 200
    assert anonymous.get(answer["region"]["url"]).status_code == 200


def test_a_national_body_has_no_region_or_parent(anonymous):
    answer = _get(anonymous, f"{BODIES}assembly/")

    assert (answer["region"], answer["parent"], answer["successor"]) == (None, None, None)
    assert answer["founded"] == "1995-03-01"
    assert anonymous.get(f"{BODIES}no-such-body/").status_code == 404


@pytest.mark.parametrize(
    ("query", "check"),
    [
        ({"kind": "council"}, lambda row: row["kind"] == "council"),
        ({"region": "almaty"}, lambda row: row["region"] and row["region"]["slug"] == "almaty"),
        ({"national": "true"}, lambda row: row["region"] is None),
        ({"national": "false"}, lambda row: row["region"] is not None),
    ],
)
def test_the_bodies_filter(anonymous, query, check):
    rows = _rows(anonymous, BODIES, query)
    everything = _rows(anonymous, BODIES)

    assert rows
    assert [row for row in everything if check(row)] == rows


def test_the_bodies_of_a_region_include_those_below_its_assembly(anonymous):
    BodyFactory(slug="medeu-assembly", parent=national_body("almaty-assembly"), region=region("75"))

    slugs = {row["slug"] for row in _rows(anonymous, BODIES, {"region": "almaty"})}

    assert slugs == {"almaty-assembly", "almaty-council", "almaty-secretariat", "medeu-assembly"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_body_follows_the_language_asked_for(language):
    assembly = national_body("assembly")
    by_header = _get(api_client(language=language), f"{BODIES}assembly/")
    by_parameter = _get(api_client(language="kk"), f"{BODIES}assembly/", {"lang": language})

    for answer in (by_header, by_parameter):
        assert answer["name"] == getattr(assembly, f"name_{language}")
        assert answer["kind_label"] == _label(Body.Kind.ASSEMBLY, language)
        assert answer["web_url"] == f"http://testserver/{language}/bodies/assembly/"


# Posts.


def test_a_post_names_its_body_and_seats(anonymous):
    post = Post.objects.get(body__slug="assembly", role=Post.Role.CHAIRMAN)

    answer = _get(anonymous, f"{POSTS}{post.pk}/", {"lang": "en"})

    assert answer == {
        "id": post.pk,
        "url": f"http://testserver/api/v1/posts/{post.pk}/",
        "body": {
            "slug": "assembly",
            "url": "http://testserver/api/v1/bodies/assembly/",
            "name": national_body("assembly").name_en,
        },
        "role": "chairman",
        "role_label": _label(Post.Role.CHAIRMAN, "en"),
        "label": post.label_en,
        "label_translations": {"kk": post.label_kk, "ru": post.label_ru, "en": post.label_en},
        "seats": 1,
    }
    assert anonymous.get(f"{POSTS}999999/").status_code == 404


def test_the_posts_filter_by_body_and_role(anonymous):
    council = national_body("council")

    of_council = _rows(anonymous, POSTS, {"body": "council"})
    chairs = _rows(anonymous, POSTS, {"role": "chairman"})

    assert [row["id"] for row in of_council] == list(
        Post.objects.filter(body=council).order_by("sort_order", "pk").values_list("pk", flat=True)
    )
    assert chairs and all(row["role"] == "chairman" for row in chairs)
    assert len(chairs) == Post.objects.filter(role=Post.Role.CHAIRMAN).count()


def test_a_post_without_a_fixed_number_of_seats_has_null(anonymous):
    post = Post.objects.get(body__slug="assembly", role=Post.Role.MEMBER)

    assert _get(anonymous, f"{POSTS}{post.pk}/")["seats"] is None


# Associations.


def test_an_association_names_its_region_and_group_and_counts_its_current_members(anonymous):
    group = EthnicGroupFactory(slug="test-koreans", name_kk="Кәрістер тобы", name_ru="Корейцы", name_en="Koreans")
    association = AssociationFactory(
        slug="almaty-korean",
        name_kk="Кәріс бірлестігі",
        name_ru="Корейское объединение",
        name_en="Korean association",
        level=Association.Level.REGIONAL,
        region=region("75"),
        ethnic_group=group,
        founded=datetime.date(1990, 5, 1),
    )
    for _ in range(2):
        MembershipFactory(basis=Membership.Basis.ETHNOCULTURAL, on_behalf_of=association)
    MembershipFactory(
        basis=Membership.Basis.ETHNOCULTURAL,
        on_behalf_of=association,
        start_date=datetime.date(2010, 1, 1),
        end_date=timezone.localdate() - datetime.timedelta(days=1),
        end_reason=Membership.EndReason.ROTATION,
        ended_by=LegalActFactory(),
    )

    answer = _get(anonymous, f"{ASSOCIATIONS}almaty-korean/", {"lang": "ru"})

    assert answer == {
        "slug": "almaty-korean",
        "url": "http://testserver/api/v1/associations/almaty-korean/",
        "kind": "ethnocultural",
        "kind_label": _label(Association.Kind.ETHNOCULTURAL, "ru"),
        "level": "regional",
        "level_label": _label(Association.Level.REGIONAL, "ru"),
        "name": "Корейское объединение",
        "name_translations": {"kk": "Кәріс бірлестігі", "ru": "Корейское объединение", "en": "Korean association"},
        "region": {"slug": "almaty", "url": "http://testserver/api/v1/regions/almaty/", "name": region("75").name_ru},
        "ethnic_group": {
            "slug": "test-koreans",
            "url": "http://testserver/api/v1/ethnic-groups/test-koreans/",
            "name": "Корейцы",
        },
        "founded": "1990-05-01",
        "current_members": 2,
    }
    assert anonymous.get(answer["ethnic_group"]["url"]).status_code == 200
    assert anonymous.get(f"{ASSOCIATIONS}no-such-association/").status_code == 404


@pytest.fixture
def associations(db) -> dict[str, Association]:
    group = EthnicGroupFactory(slug="test-poles")
    return {
        "poles": AssociationFactory(
            name_kk="Поляктар бірлестігі", level=Association.Level.REGIONAL, region=region("75"), ethnic_group=group
        ),
        "germans": AssociationFactory(name_kk="Немістер қоғамы"),
        "ministry": AssociationFactory(
            name_kk="Мәдениет министрлігі", kind=Association.Kind.STATE_BODY, ethnic_group=None
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "state_body"}, {"ministry"}),
        ({"level": "regional"}, {"poles"}),
        ({"region": "almaty"}, {"poles"}),
        ({"ethnic_group": "test-poles"}, {"poles"}),
        ({"q": "немістер"}, {"germans"}),
        ({"kind": "ethnocultural", "level": "republican"}, {"germans"}),
    ],
)
def test_the_associations_filter(anonymous, associations, query, expected):
    names = {association.slug: name for name, association in associations.items()}

    assert {names[row["slug"]] for row in _rows(anonymous, ASSOCIATIONS, query)} == expected


def test_the_associations_are_ordered_by_name_in_the_language_of_the_answer(anonymous):
    AssociationFactory(slug="b", name_kk="Ә бірлестігі", name_ru="Б объединение", name_en="A association")
    AssociationFactory(slug="a", name_kk="А бірлестігі", name_ru="В объединение", name_en="B association")

    def ordered(params: dict) -> list[str]:
        return [row["slug"] for row in _rows(anonymous, ASSOCIATIONS, params)]

    assert ordered({}) == ["a", "b"]
    assert ordered({"lang": "ru"}) == ["b", "a"]
    assert ordered({"lang": "en", "ordering": "-name"}) == ["a", "b"]
    assert ordered({"ordering": "slug"}) == ["a", "b"]
