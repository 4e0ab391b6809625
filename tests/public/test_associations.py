"""The directory of ethnocultural and other associations."""

import datetime

import pytest
from django.utils import timezone

from members.models import Association, Membership
from tests.factories import AssociationFactory, EthnicGroupFactory, LegalActFactory, MembershipFactory, region

from .helpers import LANGUAGES, fetch_counting_queries, html_lang, text, translated

pytestmark = pytest.mark.django_db

NOT_UNDERSTOOD = "Some filter values were not understood and have been ignored:"


def _listed(response) -> set[str]:
    return {association.slug for association in response.context["object_list"]}


@pytest.fixture
def associations(db):
    korean = EthnicGroupFactory(slug="korean", name_kk="Корей", name_ru="Кореец", name_en="Korean")
    return {
        "korean": AssociationFactory(
            slug="korean-association",
            name_kk="Корей бірлестігі",
            name_ru="Ассоциация корейцев",
            name_en="Association of Koreans",
            ethnic_group=korean,
        ),
        "almaty_korean": AssociationFactory(
            slug="almaty-korean-centre",
            name_kk="Алматы корей орталығы",
            name_ru="Корейский центр Алматы",
            name_en="Korean centre of Almaty",
            level=Association.Level.REGIONAL,
            region=region("75"),
            ethnic_group=korean,
        ),
        "tatar": AssociationFactory(slug="tatar-congress", name_kk="Татар конгресі", name_en="Tatar congress"),
        "union": AssociationFactory(
            slug="youth-union",
            name_kk="Жастар одағы",
            name_en="Youth union",
            kind=Association.Kind.PUBLIC,
            ethnic_group=None,
            level=Association.Level.REGIONAL,
            region=region("71"),
        ),
        "ministry": AssociationFactory(
            slug="ministry-of-culture",
            name_kk="Мәдениет министрлігі",
            name_en="Ministry of Culture",
            kind=Association.Kind.STATE_BODY,
            ethnic_group=None,
        ),
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_directory_lists_every_association_in_the_visitors_language(client, associations, language):
    response = client.get(f"/{language}/associations/")

    assert response.status_code == 200
    assert html_lang(response) == language
    assert _listed(response) == {a.slug for a in associations.values()}
    name = {"kk": "Корей бірлестігі", "ru": "Ассоциация корейцев", "en": "Association of Koreans"}[language]
    assert name in text(response)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=ethnocultural", {"korean", "almaty_korean", "tatar"}),
        ("kind=state_body", {"ministry"}),
        ("level=regional", {"almaty_korean", "union"}),
        ("region=almaty", {"almaty_korean"}),
        ("ethnic_group=korean", {"korean", "almaty_korean"}),
        ("ethnic_group=korean&level=republican", {"korean"}),
        ("q=корей", {"korean", "almaty_korean"}),
        ("q=Koreans", {"korean"}),
        ("q=корейцев", {"korean"}),
    ],
)
def test_the_directory_filters(client, associations, query, expected):
    response = client.get(f"/ru/associations/?{query}")

    assert _listed(response) == {associations[key].slug for key in expected}


@pytest.mark.parametrize(
    ("parameter", "value"),
    [("kind", "secret-society"), ("level", "galactic"), ("region", "atlantis"), ("ethnic_group", "martians")],
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_bad_filter_value_is_explained_and_ignored(client, associations, parameter, value, language):
    response = client.get(f"/{language}/associations/", {parameter: value})

    assert response.status_code == 200
    assert parameter in response.context["filterset"].form.errors
    assert translated(NOT_UNDERSTOOD, language) in text(response)
    assert _listed(response) == {a.slug for a in associations.values()}


def test_the_directory_counts_the_current_members_and_links_to_them(client, associations):
    korean = associations["korean"]
    for _ in range(2):
        MembershipFactory(basis=Membership.Basis.ETHNOCULTURAL, on_behalf_of=korean)
    MembershipFactory(
        basis=Membership.Basis.ETHNOCULTURAL,
        on_behalf_of=korean,
        start_date=datetime.date(2016, 1, 1),
        end_date=timezone.localdate() - datetime.timedelta(days=1),
        end_reason=Membership.EndReason.RECALL,
        ended_by=LegalActFactory(),
    )

    response = client.get("/kk/associations/")

    counts = {association.slug: association.current_members for association in response.context["object_list"]}
    assert counts["korean-association"] == 2
    assert counts["tatar-congress"] == 0
    assert 'href="/kk/members/?association=korean-association"' in text(response)
    assert "association=tatar-congress" not in text(response)


def test_the_directory_is_paginated(client):
    for index in range(31):
        AssociationFactory(slug=f"association-{index:02d}")

    first = client.get("/kk/associations/")
    second = client.get("/kk/associations/?page=2")
    bad = client.get("/kk/associations/?page=zero")

    assert len(first.context["object_list"]) == 30
    assert len(second.context["object_list"]) == 1
    assert bad.status_code == 200 and bad.context["page_obj"].number == 1


ASSOCIATION_QUERIES = 4  # count, page, and the region and ethnic group choices


ASSOCIATION_URLS = [
    ("/kk/associations/", ASSOCIATION_QUERIES),
    ("/kk/associations/?kind=ethnocultural&level=republican&q=a", ASSOCIATION_QUERIES),
    # A chosen region is looked up once to validate it.
    ("/kk/associations/?region=almaty", ASSOCIATION_QUERIES + 1),
]


def test_the_directory_queries_do_not_grow_with_the_data(client, django_assert_num_queries):
    def more(count):
        for _ in range(count):
            republican = AssociationFactory()
            MembershipFactory(basis=Membership.Basis.ETHNOCULTURAL, on_behalf_of=republican)
            AssociationFactory(level=Association.Level.REGIONAL, region=region("75"))

    more(3)
    small = fetch_counting_queries(client, django_assert_num_queries, ASSOCIATION_URLS)
    more(27)
    large = fetch_counting_queries(client, django_assert_num_queries, ASSOCIATION_URLS)

    counts = [
        (before.context["page_obj"].paginator.count, after.context["page_obj"].paginator.count)
        for before, after in zip(small, large, strict=True)
    ]
    assert counts == [(6, 60), (3, 30), (3, 30)]
