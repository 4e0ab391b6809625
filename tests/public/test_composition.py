"""The composition page: charts by region, basis, gender and ethnic group (aggregates only)."""

import datetime

import pytest
from django.utils import timezone

from assembly.selectors import SMALL_GROUP
from members.models import Association, Membership, Person
from tests.factories import (
    AssociationFactory,
    EthnicGroupFactory,
    LegalActFactory,
    MembershipFactory,
    PersonFactory,
    national_body,
    region,
)

from .helpers import LANGUAGES, fetch_counting_queries, html_lang, label, text, translated

pytestmark = pytest.mark.django_db

DATE_NOT_UNDERSTOOD = "That date was not understood; today's composition is shown."
POOLED = "Other groups (fewer than %(n)s members each)"


def _chart(response, index: int) -> dict[str, int]:
    _title, rows = response.context["charts"][index]
    return {str(row["label"]): row["count"] for row in rows}


@pytest.fixture
def groups(db):
    """Three ethnic groups of 3, 2 and 1 members of the Assembly; one member with none recorded."""
    big = EthnicGroupFactory(name_kk="Үлкен топ", name_ru="Большая группа", name_en="Large group")
    middle = EthnicGroupFactory(name_kk="Орта топ", name_ru="Средняя группа", name_en="Middle group")
    single = EthnicGroupFactory(name_kk="Жалғыз топ", name_ru="Одинокая группа", name_en="Lone group")
    almaty_association = AssociationFactory(level=Association.Level.REGIONAL, region=region("75"), ethnic_group=big)
    people = []
    for group, count in ((big, 3), (middle, 2), (single, 1), (None, 1)):
        for _ in range(count):
            person = PersonFactory(ethnic_group=group, ethnicity_public=False, gender=Person.Gender.MALE)
            people.append(person)
            MembershipFactory(person=person, basis=Membership.Basis.ETHNOCULTURAL, on_behalf_of=almaty_association)
    woman = PersonFactory(surname="Әйел", gender=Person.Gender.FEMALE)
    MembershipFactory(person=woman)
    MembershipFactory(body=national_body("council"), start_date=datetime.date(2024, 1, 1))
    return {"big": big, "middle": middle, "single": single, "people": [*people, woman]}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_draws_four_bar_charts_and_the_years_line(client, groups, language):
    response = client.get(f"/{language}/composition/")

    assert response.status_code == 200
    assert html_lang(response) == language
    page = text(response)
    titles = [str(title) for title, _rows in response.context["charts"]]
    assert len(titles) == 4
    for title in titles:
        assert title in page
    # Drawn on the server as SVG: a bar per row, a line over the years; no external service.
    rows = sum(len(chart_rows) for _title, chart_rows in response.context["charts"])
    assert page.count("<rect") >= rows > 0
    assert "<polyline" in page
    assert "https://" not in page.split("<main", 1)[1]


def test_ethnic_groups_are_shown_as_totals_with_small_groups_pooled(client, groups):
    for language in LANGUAGES:
        response = client.get(f"/{language}/composition/")
        with_language = {"kk": "Үлкен топ", "ru": "Большая группа", "en": "Large group"}[language]
        pooled = translated(POOLED, language) % {"n": SMALL_GROUP}

        assert _chart(response, 3) == {with_language: 3, pooled: 3}
        page = text(response)
        for hidden in ("Орта топ", "Средняя группа", "Middle group", "Жалғыз топ", "Одинокая группа", "Lone group"):
            assert hidden not in page, (language, hidden)


def test_no_member_is_named_on_the_composition_page(client, groups):
    page = text(client.get("/kk/composition/"))

    for person in groups["people"]:
        assert person.surname not in page
        assert person.slug not in page


def test_the_other_charts_count_by_region_basis_and_gender(client, groups):
    response = client.get("/en/composition/")

    assert _chart(response, 0) == {"Almaty": 7, translated("Republic-wide", "en"): 1}
    assert _chart(response, 1) == {
        label(Membership.Basis.ETHNOCULTURAL, "en"): 7,
        label(Membership.Basis.PUBLIC_FIGURE, "en"): 1,
    }
    assert _chart(response, 2) == {label(Person.Gender.MALE, "en"): 7, label(Person.Gender.FEMALE, "en"): 1}


def test_the_council_can_be_chosen(client, groups):
    response = client.get("/kk/composition/?body=council")

    assert response.context["body"] == national_body("council")
    assert sum(_chart(response, 2).values()) == 1
    assert _chart(response, 3) == {}


def test_the_composition_on_a_past_date(client, groups):
    MembershipFactory(
        start_date=datetime.date(2010, 2, 1),
        end_date=datetime.date(2012, 12, 31),
        end_reason=Membership.EndReason.ROTATION,
        ended_by=LegalActFactory(),
    )

    response = client.get("/kk/composition/?on=2011-06-01")

    assert response.context["date"] == datetime.date(2011, 6, 1)
    assert _chart(response, 1) == {label(Membership.Basis.PUBLIC_FIGURE, "kk"): 1}
    years = dict(response.context["years"])
    assert years[2011] == 1 and years[2010] == 0
    assert max(years) == 2011


def test_the_years_chart_counts_the_members_on_the_first_of_january(client, groups):
    years = dict(client.get("/kk/composition/").context["years"])

    assert min(years) == 1995
    assert max(years) == timezone.localdate().year
    assert years[2020] == 0 and years[2021] == 8


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
def test_a_far_date_is_answered_and_the_years_end_this_year(client, groups, value):
    response = client.get(f"/kk/composition/?on={value}")

    assert response.status_code == 200
    years = dict(response.context["years"])
    assert not years or max(years) == timezone.localdate().year


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unknown_body_is_explained_and_the_assembly_is_shown(client, groups, language):
    response = client.get(f"/{language}/composition/?body=no-such-body")

    assert response.status_code == 200
    assert response.context["body"] == national_body("assembly")
    assert translated("That body was not found; the Assembly is shown.", language) in text(response)
    assert sum(_chart(response, 2).values()) == 8


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_bad_date_is_explained_and_today_is_used(client, groups, language):
    response = client.get(f"/{language}/composition/?on=31.02.2024")

    assert response.status_code == 200
    assert response.context["date"] == timezone.localdate()
    assert translated(DATE_NOT_UNDERSTOOD, language) in text(response)


COMPOSITION_QUERIES = 6  # the bodies to choose from, four breakdowns, the years


COMPOSITION_URLS = [
    (f"/kk/composition/{query}", COMPOSITION_QUERIES)
    for query in ("", "?body=council&on=2024-06-01", "?body=nope&on=bad", "?body=almaty-assembly")
]


def test_the_page_queries_do_not_grow_with_the_data(client, django_assert_num_queries):
    def more(count):
        association = AssociationFactory(level=Association.Level.REGIONAL, region=region("71"))
        for _ in range(count):
            group = EthnicGroupFactory()
            for body in ("assembly", "council"):
                MembershipFactory(
                    person=PersonFactory(ethnic_group=group),
                    body=national_body(body),
                    basis=Membership.Basis.ETHNOCULTURAL,
                    on_behalf_of=association,
                )

    more(3)
    fetch_counting_queries(client, django_assert_num_queries, COMPOSITION_URLS)
    more(27)
    large = fetch_counting_queries(client, django_assert_num_queries, COMPOSITION_URLS)

    assert sum(row["count"] for row in large[0].context["charts"][2][1]) == 30
