"""The leadership and bodies page, and the page of a body with its composition on a date."""

import datetime

import pytest
from django.utils import timezone

from assembly.models import Post
from members.models import Association, Membership
from tests.factories import (
    AssociationFactory,
    BodyFactory,
    LegalActFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    national_body,
    post_of,
)

from .helpers import LANGUAGES, fetch_counting_queries, html_lang, text, translated

pytestmark = pytest.mark.django_db

DATE_NOT_UNDERSTOOD = "That date was not understood; today's composition is shown."


def _ended(day: datetime.date, **fields) -> Membership:
    return MembershipFactory(
        end_date=day, end_reason=Membership.EndReason.ROTATION, ended_by=LegalActFactory(), **fields
    )


@pytest.fixture
def leadership(db):
    assembly, secretariat = national_body("assembly"), national_body("secretariat")
    association = AssociationFactory()

    def deputy(surname):
        return MembershipFactory(
            person=PersonFactory(surname=surname),
            body=assembly,
            post=post_of(assembly, Post.Role.DEPUTY_CHAIRMAN),
            basis=Membership.Basis.ETHNOCULTURAL,
            on_behalf_of=association,
        )

    return {
        "chairman": MembershipFactory(
            person=PersonFactory(surname="Төраға"),
            body=assembly,
            post=post_of(assembly, Post.Role.CHAIRMAN),
            start_date=datetime.date(2021, 4, 28),
        ),
        "deputies": [deputy("Орынбасар-бір"), deputy("Орынбасар-екі")],
        "head": MembershipFactory(
            person=PersonFactory(surname="Меңгеруші"),
            body=secretariat,
            post=post_of(secretariat, Post.Role.HEAD),
            basis=Membership.Basis.EX_OFFICIO,
            appointed_by=None,
        ),
        "former_chairman": _ended(
            datetime.date(2021, 4, 27),
            person=PersonFactory(surname="Бұрынғы төраға"),
            body=assembly,
            post=post_of(assembly, Post.Role.CHAIRMAN),
            start_date=datetime.date(1995, 3, 1),
        ),
        "member": MembershipFactory(person=PersonFactory(surname="Қатардағы"), body=assembly),
        "regional_chairman": MembershipFactory(
            person=PersonFactory(surname="Әкім"),
            body=national_body("almaty-assembly"),
            post=post_of(national_body("almaty-assembly"), Post.Role.CHAIRMAN),
        ),
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_bodies_page_names_the_chairman_the_deputy_chairmen_and_the_head_of_the_secretariat(
    client, leadership, language
):
    response = client.get(f"/{language}/bodies/")

    assert response.status_code == 200
    assert html_lang(response) == language
    leaders = list(response.context["leaders"])
    assert leaders[0] == leadership["chairman"]
    assert set(leaders[1:3]) == set(leadership["deputies"])
    assert leaders[3] == leadership["head"]
    assert len(leaders) == 4
    page = text(response)
    for key in ("chairman", "head"):
        assert f"/{language}/members/{leadership[key].person.slug}/" in page
    for key in ("former_chairman", "member", "regional_chairman"):
        assert leadership[key].person.slug not in page


def test_the_bodies_page_shows_the_posts_in_the_visitors_language(client, leadership):
    russian = text(client.get("/ru/bodies/"))

    assert "Председатель" in russian
    assert "Заместитель Председателя" in russian
    assert "Заведующий Секретариатом" in russian


def test_the_bodies_page_lists_the_national_bodies_only(client):
    page = text(client.get("/en/bodies/"))

    for slug in ("assembly", "council", "secretariat"):
        assert f'href="/en/bodies/{slug}/"' in page
    assert "/en/bodies/almaty-assembly/" not in page


def test_the_bodies_page_queries_do_not_grow_with_the_data(client, leadership, django_assert_num_queries):
    with django_assert_num_queries(2):
        client.get("/kk/bodies/")
    for _ in range(20):
        MembershipFactory()
    BodyFactory(parent=national_body("assembly"), region=None)
    with django_assert_num_queries(2):
        client.get("/kk/bodies/")


def test_a_dissolved_body_links_to_its_successor(client):
    successor = BodyFactory(name_en="People's Council", slug="peoples-council", founded=datetime.date(2026, 7, 1))
    old = BodyFactory(
        name_en="Old council",
        founded=datetime.date(2000, 1, 1),
        dissolved=datetime.date(2026, 6, 30),
        successor=successor,
    )

    page = text(client.get(f"/en/bodies/{old.slug}/"))

    assert 'href="/en/bodies/peoples-council/"' in page
    assert "People&#x27;s Council" in page


# The composition of a body.


@pytest.fixture
def council(db):
    body = national_body("council")
    day = datetime.date(2023, 6, 15)
    return {
        "body": body,
        "day": day,
        "long_standing": MembershipFactory(
            person=PersonFactory(surname="Ұзақ"), body=body, start_date=datetime.date(2020, 1, 15)
        ),
        "joined_that_day": MembershipFactory(person=PersonFactory(surname="Сол күні"), body=body, start_date=day),
        "joined_the_day_after": MembershipFactory(
            person=PersonFactory(surname="Келесі күні"), body=body, start_date=day + datetime.timedelta(days=1)
        ),
        "left_the_day_before": _ended(
            day - datetime.timedelta(days=1),
            person=PersonFactory(surname="Кеткен"),
            body=body,
            start_date=datetime.date(2019, 1, 1),
        ),
        "left_that_day": _ended(
            day, person=PersonFactory(surname="Соңғы күні"), body=body, start_date=datetime.date(2019, 1, 1)
        ),
        "other_body": MembershipFactory(person=PersonFactory(surname="Басқа"), body=national_body("assembly")),
    }


def _composition(response) -> set[Membership]:
    return set(response.context["members"])


def test_the_council_today(client, council):
    response = client.get("/kk/bodies/council/")

    assert response.context["is_today"]
    assert response.context["date"] == timezone.localdate()
    assert _composition(response) == {
        council["long_standing"],
        council["joined_that_day"],
        council["joined_the_day_after"],
    }


def test_the_council_on_a_chosen_date(client, council):
    response = client.get("/kk/bodies/council/", {"on": council["day"].isoformat()})

    assert not response.context["is_today"]
    assert _composition(response) == {council["long_standing"], council["joined_that_day"], council["left_that_day"]}
    page = text(response)
    assert council["joined_the_day_after"].person.slug not in page
    assert council["left_the_day_before"].person.slug not in page
    assert council["other_body"].person.slug not in page


def test_the_date_may_be_given_in_the_local_format(client, council):
    response = client.get("/ru/bodies/council/", {"on": "15.06.2023"})

    assert response.context["date"] == council["day"]


@pytest.mark.parametrize("value", ["2023-02-30", "tomorrow", "15/06/2023", "99999-01-01"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_bad_date_is_explained_and_today_is_used(client, council, value, language):
    response = client.get(f"/{language}/bodies/council/", {"on": value})

    assert response.status_code == 200
    assert response.context["date"] == timezone.localdate()
    assert response.context["is_today"]
    assert translated(DATE_NOT_UNDERSTOOD, language) in text(response)
    assert _composition(response) == {
        council["long_standing"],
        council["joined_that_day"],
        council["joined_the_day_after"],
    }


def test_the_composition_shows_post_and_association_in_the_visitors_language(client):
    body = national_body("council")
    association = AssociationFactory(
        name_kk="Неміс бірлестігі", name_ru="Немецкое объединение", name_en="German association"
    )
    MembershipFactory(body=body, basis=Membership.Basis.ETHNOCULTURAL, on_behalf_of=association)
    MembershipFactory(body=body, post=post_of(body, Post.Role.CHAIRMAN))

    russian = text(client.get("/ru/bodies/council/"))
    english = text(client.get("/en/bodies/council/"))

    assert "Немецкое объединение" in russian and "Председатель Совета" in russian
    assert "German association" in english and "Chairman of the Council" in english


def test_the_chairman_comes_first(client):
    body = national_body("council")
    MembershipFactory(person=PersonFactory(surname="Әбілов"), body=body)
    chairman = MembershipFactory(
        person=PersonFactory(surname="Яковлев"), body=body, post=post_of(body, Post.Role.CHAIRMAN)
    )

    response = client.get("/kk/bodies/council/")

    assert list(response.context["members"])[0] == chairman


def test_an_unknown_body_is_404(client):
    assert client.get("/kk/bodies/no-such-body/").status_code == 404


def test_the_body_page_lists_its_meetings(client):
    body = national_body("council")
    meeting = MeetingFactory(body=body, number=7, start_date=datetime.date(2024, 3, 1))
    MeetingFactory(body=national_body("assembly"), number=77)

    response = client.get("/en/bodies/council/")

    assert list(response.context["meetings"]) == [meeting]
    assert f'href="/en/sessions/{meeting.pk}/"' in text(response)


BODY_QUERIES = 3  # the body, its composition, its meetings


def _more(count: int) -> None:
    body = national_body("council")
    association = AssociationFactory(level=Association.Level.REPUBLICAN)
    for index in range(count):
        MembershipFactory(body=body, basis=Membership.Basis.ETHNOCULTURAL, on_behalf_of=association)
        MeetingFactory(body=body, start_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=index))


BODY_URLS = [(f"/kk/bodies/council/{query}", BODY_QUERIES) for query in ("", "?on=2024-06-01", "?on=bad")]


def test_the_body_page_queries_do_not_grow_with_the_data(client, django_assert_num_queries):
    _more(3)
    small = fetch_counting_queries(client, django_assert_num_queries, BODY_URLS)
    _more(27)
    large = fetch_counting_queries(client, django_assert_num_queries, BODY_URLS)

    for before, after in zip(small, large, strict=True):
        assert len(before.context["members"]) < len(after.context["members"])
        assert len(before.context["meetings"]) < len(after.context["meetings"])
