"""The member directory and the public profile of a member."""

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.html import escape

from assembly.models import Post
from members import services
from members.models import Association, Membership
from tests.factories import (
    AssociationFactory,
    BodyFactory,
    CandidateFactory,
    EthnicGroupFactory,
    LegalActFactory,
    MembershipFactory,
    PersonFactory,
    PostFactory,
    national_body,
    post_of,
    region,
)

from .helpers import LANGUAGES, fetch_counting_queries, heading, hrefs, html_lang, text, translated

pytestmark = pytest.mark.django_db

NOT_UNDERSTOOD = "Some filter values were not understood and have been ignored:"


def _listed(response) -> list[str]:
    return [person.surname for person in response.context["object_list"]]


def _ended(**fields) -> Membership:
    """A membership that ended yesterday."""
    fields.setdefault("start_date", datetime.date(2016, 1, 1))
    return MembershipFactory(
        end_date=timezone.localdate() - datetime.timedelta(days=1),
        end_reason=Membership.EndReason.ROTATION,
        ended_by=LegalActFactory(),
        **fields,
    )


# The directory.


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_directory_answers_in_each_language(client, language):
    MembershipFactory(person=PersonFactory(surname="Әбенов"))

    response = client.get(f"/{language}/members/")

    assert response.status_code == 200
    assert html_lang(response) == language
    assert _listed(response) == ["Әбенов"]


def test_the_directory_lists_current_members_only_unless_past_ones_are_asked_for(client):
    MembershipFactory(person=PersonFactory(surname="Бүгінгі"))
    _ended(person=PersonFactory(surname="Бұрынғы"))
    MembershipFactory(
        person=PersonFactory(surname="Болашақ"), start_date=timezone.localdate() + datetime.timedelta(days=1)
    )

    assert _listed(client.get("/kk/members/")) == ["Бүгінгі"]
    assert set(_listed(client.get("/kk/members/?past=on"))) == {"Болашақ", "Бүгінгі", "Бұрынғы"}


def test_a_member_is_listed_once_with_the_memberships_that_match(client):
    person = PersonFactory(surname="Екіорынды")
    _ended(person=person, body=national_body("assembly"), start_date=datetime.date(2010, 1, 1))
    MembershipFactory(person=person, body=national_body("council"))
    MembershipFactory(person=person, body=national_body("almaty-assembly"))

    current = client.get("/en/members/")
    everything = client.get("/en/members/?past=on")

    assert _listed(current) == ["Екіорынды"]
    assert {m.body.slug for m in current.context["object_list"][0].listed_memberships} == {"council", "almaty-assembly"}
    assert len(everything.context["object_list"][0].listed_memberships) == 3


def test_the_directory_on_a_past_date_lists_the_members_of_that_day(client):
    _ended(person=PersonFactory(surname="Бұрынғы"), start_date=datetime.date(2016, 1, 1))
    MembershipFactory(person=PersonFactory(surname="Бүгінгі"), start_date=datetime.date(2022, 1, 1))

    assert _listed(client.get("/kk/members/?on=2018-06-01")) == ["Бұрынғы"]


def test_the_directory_filters_by_body(client):
    MembershipFactory(person=PersonFactory(surname="Кеңестегі"), body=national_body("council"))
    MembershipFactory(person=PersonFactory(surname="Ассамблеядағы"), body=national_body("assembly"))

    assert _listed(client.get("/kk/members/?body=council")) == ["Кеңестегі"]


def test_the_region_filter_covers_the_regions_bodies_and_the_national_members_representing_it(client):
    almaty = region("75")
    almaty_association = AssociationFactory(level=Association.Level.REGIONAL, region=almaty)
    astana_association = AssociationFactory(level=Association.Level.REGIONAL, region=region("71"))
    MembershipFactory(person=PersonFactory(surname="Алматылық"), body=national_body("almaty-assembly"))
    MembershipFactory(person=PersonFactory(surname="Алматы кеңесінде"), body=national_body("almaty-council"))
    MembershipFactory(
        person=PersonFactory(surname="Өкіл"),
        body=national_body("assembly"),
        basis=Membership.Basis.ETHNOCULTURAL,
        on_behalf_of=almaty_association,
    )
    MembershipFactory(
        person=PersonFactory(surname="Астаналық өкіл"),
        body=national_body("assembly"),
        basis=Membership.Basis.ETHNOCULTURAL,
        on_behalf_of=astana_association,
    )
    MembershipFactory(person=PersonFactory(surname="Астаналық"), body=national_body("astana-assembly"))
    MembershipFactory(person=PersonFactory(surname="Республикалық"), body=national_body("assembly"))

    listed = _listed(client.get("/kk/members/?region=almaty"))

    assert sorted(listed) == sorted(["Алматылық", "Алматы кеңесінде", "Өкіл"])


def test_the_directory_filters_by_association_and_by_basis(client):
    association = AssociationFactory(slug="korean-association")
    MembershipFactory(
        person=PersonFactory(surname="Ким"), basis=Membership.Basis.ETHNOCULTURAL, on_behalf_of=association
    )
    MembershipFactory(
        person=PersonFactory(surname="Министр"),
        basis=Membership.Basis.STATE_BODY,
        on_behalf_of=AssociationFactory(kind=Association.Kind.STATE_BODY, ethnic_group=None),
    )
    MembershipFactory(person=PersonFactory(surname="Қайраткер"), basis=Membership.Basis.PUBLIC_FIGURE)

    assert _listed(client.get("/kk/members/?association=korean-association")) == ["Ким"]
    assert _listed(client.get("/kk/members/?basis=state_body")) == ["Министр"]
    assert _listed(client.get("/kk/members/?basis=public_figure&body=assembly")) == ["Қайраткер"]


@pytest.mark.parametrize("query", ["Қасым", "Касым", "Qasym", "kasym", "қасымов ЖОМАРТ"])
def test_the_search_finds_a_name_written_in_any_script(client, query):
    MembershipFactory(person=PersonFactory(surname="Қасымов", given_name="Жомарт", patronymic=""))
    MembershipFactory(person=PersonFactory(surname="Асанов", given_name="Марат", patronymic=""))

    response = client.get("/en/members/", {"q": query})

    assert _listed(response) == ["Қасымов"]


def test_the_directory_is_paginated_and_its_page_links_keep_the_filters(client):
    council = national_body("council")
    for index in range(31):
        MembershipFactory(person=PersonFactory(surname=f"Мүше{index:02d}"), body=council)

    first = client.get("/kk/members/?body=council")
    second = client.get("/kk/members/?body=council&page=2")

    assert len(first.context["object_list"]) == 30
    assert _listed(second) == ["Мүше30"]
    assert "?body=council&page=2" in hrefs(first)
    assert "?body=council&page=1" in hrefs(second)
    # A bad page number shows a page, not an error.
    for page, shown in (("abc", 1), ("", 1), ("0", 2), ("-1", 2), ("999", 2), ("99999999999999999999", 2)):
        response = client.get("/kk/members/", {"body": "council", "page": page})
        assert response.status_code == 200
        assert response.context["page_obj"].number == shown, page


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("body", "no-such-body"),
        ("region", "atlantis"),
        ("association", "no-such-association"),
        ("basis", "bribery"),
        ("on", "2024-02-30"),
        ("on", "yesterday"),
    ],
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_bad_filter_value_is_explained_and_ignored(client, parameter, value, language):
    MembershipFactory(person=PersonFactory(surname="Бірінші"), body=national_body("council"))
    MembershipFactory(person=PersonFactory(surname="Екінші"))

    response = client.get(f"/{language}/members/", {parameter: value, "q": "Бірінші"})

    assert response.status_code == 200
    assert parameter in response.context["filterset"].form.errors
    assert translated(NOT_UNDERSTOOD, language) in text(response)
    assert 'role="alert"' in text(response)
    # The other filters still apply; the bad one is left out.
    assert _listed(response) == ["Бірінші"]


def test_a_null_character_in_the_search_is_explained(client):
    MembershipFactory()

    response = client.get("/kk/members/", {"q": "Қасым\x00"})

    assert response.status_code == 200
    assert "q" in response.context["filterset"].form.errors
    assert len(response.context["object_list"]) == 1


def test_a_good_request_shows_no_error_notice(client):
    MembershipFactory()

    response = client.get("/kk/members/?body=assembly&basis=public_figure&on=2021-01-01")

    assert not response.context["filterset"].form.errors
    assert translated(NOT_UNDERSTOOD, "kk") not in text(response)


def test_the_directory_links_each_member_to_the_profile_and_shows_the_body_and_association(client):
    association = AssociationFactory(name_kk="Корей бірлестігі", name_en="Korean association")
    membership = MembershipFactory(
        person=PersonFactory(surname="Ким", given_name="Ирина", patronymic=""),
        body=national_body("council"),
        basis=Membership.Basis.ETHNOCULTURAL,
        on_behalf_of=association,
    )

    page = text(client.get("/en/members/"))

    assert f'href="/en/members/{membership.person.slug}/"' in page
    assert "Kim İrina" in page
    assert "Korean association" in page
    assert "Member of the Council" in page
    assert 'href="/en/bodies/council/"' in page


DIRECTORY_QUERIES = 6  # count, page, prefetched memberships, and the body, region, association choices


def _members(count: int) -> None:
    association = AssociationFactory(level=Association.Level.REGIONAL, region=region("75"))
    for _ in range(count):
        MembershipFactory(basis=Membership.Basis.ETHNOCULTURAL, on_behalf_of=association)
        MembershipFactory(body=national_body("almaty-assembly"))


DIRECTORY_URLS = [
    ("/kk/members/", DIRECTORY_QUERIES),
    ("/kk/members/?q=Сейт&past=on&basis=ethnocultural", DIRECTORY_QUERIES),
    # A chosen region is looked up once to validate it.
    ("/kk/members/?region=almaty&q=Сейт", DIRECTORY_QUERIES + 1),
]


def test_the_directory_queries_do_not_grow_with_the_data(client, django_assert_num_queries):
    _members(3)
    small = fetch_counting_queries(client, django_assert_num_queries, DIRECTORY_URLS)
    _members(27)
    large = fetch_counting_queries(client, django_assert_num_queries, DIRECTORY_URLS)

    for before, after in zip(small, large, strict=True):
        assert len(before.context["object_list"]) < len(after.context["object_list"])


# The profile.


@pytest.fixture
def profiled(db):
    group = EthnicGroupFactory(name_kk="Ұйғыр", name_ru="Уйгур", name_en="Uyghur")
    association = AssociationFactory(
        name_kk="Достық орталығы", name_ru="Центр дружбы", name_en="Friendship centre", ethnic_group=None
    )
    person = PersonFactory(
        surname="Әлиев",
        given_name="Мұрат",
        patronymic="Кәрімұлы",
        surname_ru="Алиев",
        given_name_ru="Мурат",
        patronymic_ru="Каримович",
        position_kk="Қауымдастық төрағасы",
        position_ru="Председатель общества",
        position_en="Chairman of the society",
        biography_kk="Қазақша өмірбаян мәтіні",
        biography_en="Public biography",
        ethnic_group=group,
        ethnicity_public=False,
        phone="+7 701 000 11 22",
        email="aliev@example.kz",
    )
    _ended(
        person=person,
        body=national_body("council"),
        start_date=datetime.date(2015, 3, 2),
        basis=Membership.Basis.ETHNOCULTURAL,
        on_behalf_of=association,
    )
    MembershipFactory(
        person=person,
        body=national_body("assembly"),
        post=post_of(national_body("assembly"), Post.Role.DEPUTY_CHAIRMAN),
        start_date=datetime.date(2022, 5, 4),
        basis=Membership.Basis.ETHNOCULTURAL,
        on_behalf_of=association,
    )
    return person


def test_the_profile_shows_the_public_fields_in_the_visitors_language(client, profiled):
    english = client.get(f"/en/members/{profiled.slug}/")
    russian = client.get(f"/ru/members/{profiled.slug}/")
    kazakh = client.get(f"/kk/members/{profiled.slug}/")

    assert heading(english) == "Äliev Mūrat Kärımūly"
    assert "Chairman of the society" in text(english) and "Public biography" in text(english)
    assert heading(russian) == "Алиев Мурат Каримович"
    assert "Председатель общества" in text(russian)
    # No Russian biography: the Kazakh one is shown.
    assert "Қазақша өмірбаян мәтіні" in text(russian)
    assert heading(kazakh) == "Әлиев Мұрат Кәрімұлы"


def test_the_profile_lists_memberships_with_dates_posts_and_association(client, profiled):
    response = client.get(f"/ru/members/{profiled.slug}/")
    page = text(response)

    memberships = list(response.context["memberships"])
    assert [m.body.slug for m in memberships] == ["assembly", "council"]
    assert "Заместитель Председателя" in page and "Член Совета" in page
    assert "Центр дружбы" in page
    assert "04.05.2022" in page and "02.03.2015" in page
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert yesterday.strftime("%d.%m.%Y") in page
    assert 'href="/ru/bodies/council/"' in page


def test_the_profile_hides_the_private_fields(client, profiled):
    for language in LANGUAGES:
        page = text(client.get(f"/{language}/members/{profiled.slug}/"))
        for private in (profiled.iin, "+7 701 000 11 22", "aliev@example.kz", "17.05.1975", "1975-05-17", "1975"):
            assert private not in page, (language, private)


def test_the_profile_shows_the_ethnic_group_only_with_consent(client, profiled):
    groups = (("kk", "Ұйғыр"), ("ru", "Уйгур"), ("en", "Uyghur"))
    for language, name in groups:
        assert name not in text(client.get(f"/{language}/members/{profiled.slug}/"))

    services.person_update(person=profiled, ethnicity_public=True)

    for language, name in groups:
        assert name in text(client.get(f"/{language}/members/{profiled.slug}/"))


def test_a_person_who_never_was_a_member_has_no_public_profile(client):
    candidate = CandidateFactory().person
    stranger = PersonFactory()

    for person in (candidate, stranger):
        for language in LANGUAGES:
            assert client.get(f"/{language}/members/{person.slug}/").status_code == 404
    assert client.get("/kk/members/no-such-person/").status_code == 404


def test_a_past_member_keeps_a_profile(client):
    membership = _ended()

    response = client.get(f"/kk/members/{membership.person.slug}/")

    assert response.status_code == 200
    with translation.override("kk"):
        assert escape(membership.get_end_reason_display()) in text(response)


def test_the_profile_queries_do_not_grow_with_the_memberships(client, profiled, django_assert_num_queries):
    with django_assert_num_queries(2):
        client.get(f"/kk/members/{profiled.slug}/")
    for slug in ("almaty-assembly", "almaty-council", "secretariat"):
        body = national_body(slug)
        post = None if slug != "secretariat" else post_of(body, Post.Role.STAFF)
        MembershipFactory(person=profiled, body=body, post=post)
    with django_assert_num_queries(2):
        response = client.get(f"/kk/members/{profiled.slug}/")

    assert len(response.context["memberships"]) == 5


# The lists of the directory's filters.


def _options(response, name: str) -> list[str]:
    field = response.context["filterset"].form[name]
    return [str(value) for value, _label in field.field.widget.choices if value != ""]


def _district(kato: str, slug: str):
    regional = national_body("almaty-assembly") if kato == "75" else national_body("astana-assembly")
    return BodyFactory(slug=slug, region=region(kato), parent=regional)


def test_the_directory_lists_national_bodies_and_those_of_the_chosen_region(client):
    _district("75", "almaty-district-1")
    _district("71", "astana-district-1")
    AssociationFactory(slug="republican-eca", level=Association.Level.REPUBLICAN)
    AssociationFactory(slug="almaty-eca", level=Association.Level.REGIONAL, region=region("75"))
    AssociationFactory(slug="astana-eca", level=Association.Level.REGIONAL, region=region("71"))

    everyone = client.get("/en/members/")
    almaty = client.get("/en/members/?region=almaty")

    bodies, almaty_bodies = set(_options(everyone, "body")), set(_options(almaty, "body"))
    assert {"assembly", "council", "secretariat"} <= bodies
    assert not {"almaty-assembly", "almaty-district-1", "astana-district-1"} & bodies
    assert {"assembly", "almaty-assembly", "almaty-district-1"} <= almaty_bodies
    assert "astana-district-1" not in almaty_bodies
    associations, almaty_associations = set(_options(everyone, "association")), set(_options(almaty, "association"))
    assert "republican-eca" in associations
    assert not {"almaty-eca", "astana-eca"} & associations
    assert {"republican-eca", "almaty-eca"} <= almaty_associations
    assert "astana-eca" not in almaty_associations
    assert "choose a region" in text(everyone)


def test_a_body_left_out_of_the_list_is_still_a_filter_and_listed_as_chosen(client):
    district = _district("75", "almaty-district-1")
    MembershipFactory(person=PersonFactory(surname="Әлиев"), body=district, post=PostFactory(body=district))
    MembershipFactory(person=PersonFactory(surname="Бекова"))

    response = client.get("/en/members/?body=almaty-district-1")

    assert _listed(response) == ["Әлиев"]
    assert "almaty-district-1" in _options(response, "body")
    assert 'value="almaty-district-1" selected' in response.content.decode()
