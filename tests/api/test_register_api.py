"""The public endpoints of the register: persons, memberships, ethnic groups (and, for the
query counts, bad values and privacy that every endpoint shares, the bodies, posts and
associations too; their own behaviour is in test_register_bodies_api.py)."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from assembly.models import Post
from assembly.selectors import SMALL_GROUP
from members.models import Association, Membership, Person
from tests.factories import (
    AssociationFactory,
    BodyFactory,
    EthnicGroupFactory,
    LegalActFactory,
    MembershipFactory,
    PersonFactory,
    PostFactory,
    api_client,
    image_bytes,
    national_body,
    next_iin,
    post_of,
    region,
    upload,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ("kk", "ru", "en")
PERSONS, MEMBERSHIPS, GROUPS = "/api/v1/persons/", "/api/v1/memberships/", "/api/v1/ethnic-groups/"
DAY = datetime.timedelta(days=1)


@pytest.fixture
def anonymous():
    return api_client(language="kk")


def _get(client, url: str, params: dict | None = None) -> dict:
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return response.json()


def _ids(answer: dict) -> list[int]:
    return [row["id"] for row in answer["results"]]


def _slugs(answer: dict) -> list[str]:
    return [row["slug"] for row in answer["results"]]


def _ended(start: datetime.date, end: datetime.date, **fields) -> Membership:
    return MembershipFactory(
        start_date=start, end_date=end, end_reason=Membership.EndReason.ROTATION, ended_by=LegalActFactory(), **fields
    )


def _label(choice, language: str) -> str:
    with translation.override(language):
        return str(choice.label)


# Persons.


def test_a_person_shows_public_fields_only(anonymous):
    group = EthnicGroupFactory(name_kk="Ұйғырлар тобы")
    person = PersonFactory(
        surname="Қасымов",
        given_name="Ерлан",
        patronymic="Серікұлы",
        surname_ru="Касымов",
        given_name_ru="Ерлан",
        patronymic_ru="Серикович",
        gender=Person.Gender.MALE,
        birth_date=datetime.date(1970, 1, 2),
        iin=next_iin(datetime.date(1970, 1, 2), "male"),
        position_kk="Ұстаз",
        position_ru="Учитель",
        biography_kk="Өмірбаян",
        ethnic_group=group,
        ethnicity_public=True,
    )
    MembershipFactory(person=person)

    (row,) = _get(anonymous, PERSONS)["results"]
    detail = _get(anonymous, f"{PERSONS}{person.slug}/")

    assert set(row) == {
        *("slug", "url", "web_url", "name", "full_name", "full_name_ru", "full_name_latin"),
        *("surname", "given_name", "patronymic", "gender", "gender_label", "photo"),
        *("position", "position_translations", "biography", "biography_translations", "ethnic_group"),
    }
    assert set(detail) == {*row, "memberships"}
    assert row == {key: value for key, value in detail.items() if key != "memberships"}
    assert row["slug"] == "qasymov-erlan-serikuly"
    assert row["url"] == f"http://testserver{PERSONS}{person.slug}/"
    assert row["web_url"] == f"http://testserver/kk/members/{person.slug}/"
    assert row["name"] == row["full_name"] == "Қасымов Ерлан Серікұлы"
    assert row["full_name_ru"] == "Касымов Ерлан Серикович"
    assert row["full_name_latin"] == "Qasymov Erlan Serıkūly"
    assert (row["gender"], row["gender_label"]) == ("male", _label(Person.Gender.MALE, "kk"))
    assert row["photo"] is None
    assert row["position"] == "Ұстаз"
    assert row["position_translations"] == {"kk": "Ұстаз", "ru": "Учитель", "en": ""}
    assert row["biography_translations"]["kk"] == "Өмірбаян"
    assert row["ethnic_group"]["slug"] == group.slug
    assert row["ethnic_group"]["name"] == "Ұйғырлар тобы"
    assert anonymous.get(row["web_url"]).status_code == 200


def test_an_unpublished_ethnic_group_is_null(anonymous):
    person = PersonFactory(ethnic_group=EthnicGroupFactory(), ethnicity_public=False)
    MembershipFactory(person=person)

    assert _get(anonymous, f"{PERSONS}{person.slug}/")["ethnic_group"] is None


def test_a_photo_is_an_absolute_address(anonymous, settings):
    person = PersonFactory(photo=upload("face.png", image_bytes(), "image/png"))
    MembershipFactory(person=person)

    photo = _get(anonymous, f"{PERSONS}{person.slug}/")["photo"]

    assert photo.startswith(f"http://testserver/{settings.MEDIA_URL.strip('/')}/persons/face")
    assert photo.endswith(".png")


def test_only_persons_who_held_a_membership_are_public(anonymous):
    member = MembershipFactory(start_date=timezone.localdate() + DAY).person  # not begun yet: still on the record
    former = _ended(datetime.date(2001, 1, 1), datetime.date(2002, 1, 1)).person
    candidate = PersonFactory()

    assert set(_slugs(_get(anonymous, PERSONS))) == {member.slug, former.slug}
    assert anonymous.get(f"{PERSONS}{candidate.slug}/").status_code == 404
    assert anonymous.get(f"{PERSONS}no-such-person/").status_code == 404
    assert anonymous.get(MEMBERSHIPS, {"person": candidate.slug}).status_code == 400


def test_the_detail_lists_every_membership_of_the_person_newest_first(anonymous):
    person = PersonFactory()
    old = _ended(datetime.date(2005, 1, 1), datetime.date(2010, 12, 31), person=person)
    current = MembershipFactory(person=person, body=national_body("council"), start_date=datetime.date(2018, 1, 1))
    MembershipFactory()

    memberships = _get(anonymous, f"{PERSONS}{person.slug}/")["memberships"]

    assert [row["id"] for row in memberships] == [current.pk, old.pk]
    assert "person" not in memberships[0]
    assert memberships[0]["body"]["slug"] == "council"
    assert memberships[1]["end_date"] == "2010-12-31"


@pytest.fixture
def kasymov(db) -> Person:
    person = PersonFactory(surname="Қасымов", given_name="Ерлан", surname_ru="Касымов")
    MembershipFactory(person=person)
    MembershipFactory(person=PersonFactory(surname="Бекова"))
    MembershipFactory(person=PersonFactory(surname="Сейтқалиев"))
    return person


@pytest.mark.parametrize("query", ["Қасым", "Касым", "Qasym", "kasym", "ҚАСЫМОВ ЕРЛАН", "kassym"])
def test_a_name_is_found_in_any_script(anonymous, kasymov, query):
    assert _slugs(_get(anonymous, PERSONS, {"q": query})) == [kasymov.slug]
    assert [row["person"]["slug"] for row in _get(anonymous, MEMBERSHIPS, {"q": query})["results"]] == [kasymov.slug]


def test_a_name_that_matches_nobody_finds_nobody(anonymous, kasymov):
    assert _get(anonymous, PERSONS, {"q": "Zzyzx"})["count"] == 0


@pytest.fixture
def register(db) -> dict[str, Membership]:
    """Memberships of the Assembly, its Council and the Almaty city assembly, some on behalf
    of associations of Almaty and of the republic, one of them ended."""
    almaty = region("75")
    local = AssociationFactory(level=Association.Level.REGIONAL, region=almaty, slug="almaty-eca")
    republican = AssociationFactory(slug="republican-eca")
    assembly, almaty_assembly = national_body("assembly"), national_body("almaty-assembly")
    return {
        "local": MembershipFactory(
            body=assembly, basis=Membership.Basis.ETHNOCULTURAL, on_behalf_of=local, person=PersonFactory()
        ),
        "deputy": MembershipFactory(
            body=assembly,
            post=post_of(assembly, Post.Role.DEPUTY_CHAIRMAN),
            basis=Membership.Basis.ETHNOCULTURAL,
            on_behalf_of=republican,
        ),
        "council": MembershipFactory(body=national_body("council")),
        "akim": MembershipFactory(body=almaty_assembly, post=post_of(almaty_assembly, Post.Role.CHAIRMAN)),
        "former": _ended(datetime.date(2010, 1, 1), datetime.date(2012, 1, 1), body=national_body("astana-assembly")),
    }


def _named(register: dict[str, Membership], answer: dict) -> set[str]:
    names = {membership.pk: name for name, membership in register.items()}
    return {names[pk] for pk in _ids(answer)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"body": "council"}, {"council"}),
        ({"body": "assembly"}, {"local", "deputy"}),
        ({"region": "almaty"}, {"local", "akim"}),
        ({"region": "astana"}, {"former"}),
        ({"association": "almaty-eca"}, {"local"}),
        ({"basis": "ethnocultural"}, {"local", "deputy"}),
        ({"basis": "public_figure"}, {"council", "akim", "former"}),
        ({"role": "chairman"}, {"akim"}),
        ({"body": "assembly", "role": "deputy_chairman"}, {"deputy"}),
        ({"current": "true", "region": "astana"}, set()),
    ],
)
def test_the_memberships_filter(anonymous, register, query, expected):
    assert _named(register, _get(anonymous, MEMBERSHIPS, query)) == expected


def test_the_memberships_of_one_person(anonymous, register):
    person = register["council"].person
    later = MembershipFactory(person=person, body=national_body("assembly"))

    answer = _get(anonymous, MEMBERSHIPS, {"person": person.slug})

    assert set(_ids(answer)) == {register["council"].pk, later.pk}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"body": "council"}, {"council"}),
        ({"region": "almaty"}, {"local", "akim"}),
        ({"association": "republican-eca"}, {"deputy"}),
        # One membership must match both: the Almaty association's member sits in the Assembly.
        ({"association": "almaty-eca", "body": "almaty-assembly"}, set()),
        ({"association": "almaty-eca", "body": "assembly"}, {"local"}),
    ],
)
def test_the_persons_filter_by_their_memberships(anonymous, register, query, expected):
    slugs = {membership.person.slug: name for name, membership in register.items()}
    assert {slugs[slug] for slug in _slugs(_get(anonymous, PERSONS, query))} == expected


# Memberships.


def test_a_membership_is_described_with_its_acts(anonymous):
    almaty = national_body("almaty-assembly")
    association = AssociationFactory(level=Association.Level.REGIONAL, region=region("75"))
    appointed = LegalActFactory(number="17", date=datetime.date(2016, 3, 1), title="Құрамы туралы")
    ended = LegalActFactory(kind="order", number="5-р", date=datetime.date(2019, 6, 30))
    membership = MembershipFactory(
        body=almaty,
        post=post_of(almaty, Post.Role.CHAIRMAN),
        basis=Membership.Basis.ETHNOCULTURAL,
        on_behalf_of=association,
        start_date=datetime.date(2016, 3, 1),
        end_date=datetime.date(2019, 6, 30),
        end_reason=Membership.EndReason.MOVED_REGION,
        appointed_by=appointed,
        ended_by=ended,
        note="Ішкі ескертпе",
    )

    answer = _get(anonymous, f"{MEMBERSHIPS}{membership.pk}/")

    assert answer == {
        "id": membership.pk,
        "url": f"http://testserver{MEMBERSHIPS}{membership.pk}/",
        "person": {
            "slug": membership.person.slug,
            "url": f"http://testserver{PERSONS}{membership.person.slug}/",
            "name": membership.person.full_name,
        },
        "body": {
            "slug": "almaty-assembly",
            "url": "http://testserver/api/v1/bodies/almaty-assembly/",
            "name": almaty.name_kk,
        },
        "post": {
            "id": membership.post_id,
            "url": f"http://testserver/api/v1/posts/{membership.post_id}/",
            "role": "chairman",
            "role_label": _label(Post.Role.CHAIRMAN, "kk"),
            "label": membership.post.label_kk,
        },
        "region": {"slug": "almaty", "url": "http://testserver/api/v1/regions/almaty/", "name": region("75").name_kk},
        "basis": "ethnocultural",
        "basis_label": _label(Membership.Basis.ETHNOCULTURAL, "kk"),
        "on_behalf_of": {
            "slug": association.slug,
            "url": f"http://testserver/api/v1/associations/{association.slug}/",
            "name": association.name_kk,
        },
        "start_date": "2016-03-01",
        "end_date": "2019-06-30",
        "end_reason": "moved_region",
        "end_reason_label": _label(Membership.EndReason.MOVED_REGION, "kk"),
        "appointed_by": {
            "kind": "decree",
            "kind_label": _label(appointed.Kind.DECREE, "kk"),
            "number": "17",
            "date": "2016-03-01",
            "title": "Құрамы туралы",
        },
        "ended_by": {
            "kind": "order",
            "kind_label": _label(ended.Kind.ORDER, "kk"),
            "number": "5-р",
            "date": "2019-06-30",
            "title": "",
        },
    }


def test_a_current_membership_has_no_end(anonymous):
    membership = MembershipFactory(basis=Membership.Basis.EX_OFFICIO, appointed_by=None)

    answer = _get(anonymous, f"{MEMBERSHIPS}{membership.pk}/")

    assert answer["region"] is None
    assert answer["on_behalf_of"] is None
    assert answer["appointed_by"] is None
    assert (answer["end_date"], answer["end_reason"], answer["end_reason_label"], answer["ended_by"]) == (
        None,
        None,
        None,
        None,
    )


START, END = datetime.date(2020, 3, 10), datetime.date(2021, 6, 30)


@pytest.fixture
def terms(db) -> tuple[Membership, Membership]:
    """A membership from START to END (both inclusive), and one from START without an end."""
    return _ended(START, END), MembershipFactory(start_date=START)


@pytest.mark.parametrize(
    ("day", "ended_held", "open_held"),
    [
        (START - DAY, False, False),
        (START, True, True),
        (END, True, True),
        (END + DAY, False, True),
        (datetime.date(2099, 1, 1), False, True),
    ],
)
def test_on_a_date_gives_the_memberships_held_that_day_both_ends_inclusive(
    anonymous, terms, day, ended_held, open_held
):
    ended, open_ended = terms

    ids = _ids(_get(anonymous, MEMBERSHIPS, {"on": day.isoformat()}))

    assert (ended.pk in ids, open_ended.pk in ids) == (ended_held, open_held)


def test_current_means_held_today(anonymous):
    today = timezone.localdate()
    start = datetime.date(2020, 1, 1)
    ended_yesterday = _ended(start, today - DAY)
    ends_today = _ended(start, today)
    starts_tomorrow = MembershipFactory(start_date=today + DAY)
    lasting = MembershipFactory(start_date=start)

    assert set(_ids(_get(anonymous, MEMBERSHIPS, {"current": "true"}))) == {ends_today.pk, lasting.pk}
    assert set(_ids(_get(anonymous, MEMBERSHIPS, {"current": "false"}))) == {ended_yesterday.pk, starts_tomorrow.pk}


def test_without_a_date_every_membership_is_listed_past_and_future_in_order_of_start(anonymous):
    today = timezone.localdate()
    future = MembershipFactory(start_date=today + DAY)
    past = _ended(datetime.date(2001, 1, 1), datetime.date(2003, 1, 1))
    lasting = MembershipFactory(start_date=datetime.date(2020, 1, 1))

    assert _ids(_get(anonymous, MEMBERSHIPS)) == [past.pk, lasting.pk, future.pk]


def test_the_memberships_can_be_ordered_by_person_name_and_dates(anonymous):
    start = datetime.date(2015, 1, 1)
    beta = MembershipFactory(person=PersonFactory(surname="Бекова"), start_date=datetime.date(2016, 1, 1))
    alef = _ended(start, datetime.date(2018, 1, 1), person=PersonFactory(surname="Әбенов"))
    alpha = _ended(datetime.date(2017, 1, 1), datetime.date(2017, 6, 1), person=PersonFactory(surname="Ахметов"))

    def ordered(ordering: str) -> list[int]:
        return _ids(_get(anonymous, MEMBERSHIPS, {"ordering": ordering}))

    # The Kazakh alphabet: А, Ә, Б.
    assert ordered("person_name") == [alpha.pk, alef.pk, beta.pk]
    assert ordered("-person_name") == [beta.pk, alef.pk, alpha.pk]
    assert ordered("start_date") == [alef.pk, beta.pk, alpha.pk]
    assert ordered("-start_date") == [alpha.pk, beta.pk, alef.pk]
    # PostgreSQL puts a missing end (a lasting membership) last going up.
    assert ordered("end_date") == [alpha.pk, alef.pk, beta.pk]


def _every_page(client, url: str, params: dict) -> list:
    found, page = [], 1
    while True:
        answer = _get(client, url, {**params, "page": page, "page_size": 2})
        found += [row.get("id", row.get("slug")) for row in answer["results"]]
        if answer["next"] is None:
            return found
        page += 1


@pytest.mark.parametrize(
    "ordering", ["", "start_date", "-start_date", "end_date", "-end_date", "person_name", "-person_name"]
)
def test_the_memberships_pages_neither_overlap_nor_skip_when_keys_tie(anonymous, ordering):
    twins = [PersonFactory(surname="Егіз", given_name="Айгүл", patronymic="") for _ in range(3)]
    ids = {MembershipFactory(person=person).pk for person in twins}
    ids |= {MembershipFactory().pk for _ in range(4)}

    found = _every_page(anonymous, MEMBERSHIPS, {"ordering": ordering} if ordering else {})

    assert len(found) == len(set(found)) == len(ids)
    assert set(found) == ids


@pytest.mark.parametrize("ordering", ["", "name", "-name", "slug", "-slug"])
def test_the_persons_pages_neither_overlap_nor_skip_when_names_tie(anonymous, ordering):
    for _ in range(5):
        MembershipFactory(person=PersonFactory(surname="Егіз", given_name="Айгүл", patronymic=""))
    MembershipFactory(person=PersonFactory(surname="Әбенов"))

    found = _every_page(anonymous, PERSONS, {"ordering": ordering} if ordering else {})

    assert len(found) == len(set(found)) == 6


def test_the_persons_are_in_kazakh_alphabetical_order(anonymous):
    for surname in ("Бекова", "Әбенов", "Ахметов"):
        MembershipFactory(person=PersonFactory(surname=surname))

    def surnames(params: dict) -> list[str]:
        return [row["surname"] for row in _get(anonymous, PERSONS, params)["results"]]

    assert surnames({}) == ["Ахметов", "Әбенов", "Бекова"]
    assert surnames({"ordering": "-name"}) == ["Бекова", "Әбенов", "Ахметов"]


# Ethnic groups: aggregate counts only.


@pytest.fixture
def groups(db) -> dict:
    """Three members of the Assembly of one group, two of another (who are also, with a
    third, in the Council), and a group with nobody."""
    big, small, empty = (EthnicGroupFactory(slug=slug) for slug in ("big", "small", "empty"))
    for _ in range(3):
        MembershipFactory(person=PersonFactory(ethnic_group=big))
    for index in range(3):
        person = PersonFactory(ethnic_group=small)
        MembershipFactory(person=person, body=national_body("council"))
        if index < 2:
            MembershipFactory(person=person)
    return {"big": big, "small": small, "empty": empty}


def _counts(client, params: dict | None = None) -> dict[str, int | None]:
    answer = _get(client, GROUPS, {"page_size": 500, **(params or {})})
    return {row["slug"]: row["members"] for row in answer["results"] if row["slug"] in {"big", "small", "empty"}}


def test_the_ethnic_groups_count_the_national_assembly_today_and_hide_small_counts(anonymous, groups):
    assert SMALL_GROUP == 3
    assert _counts(anonymous) == {"big": 3, "small": None, "empty": None}


def test_the_ethnic_groups_count_another_body_on_another_date(anonymous, groups):
    assert _counts(anonymous, {"body": "council"}) == {"big": None, "small": 3, "empty": None}
    assert _counts(anonymous, {"on": "2020-01-14"}) == {"big": None, "small": None, "empty": None}
    assert _counts(anonymous, {"on": "2020-01-15"}) == {"big": 3, "small": None, "empty": None}


def test_an_ethnic_group_gives_its_count_and_never_its_members(anonymous, groups):
    detail = _get(anonymous, f"{GROUPS}big/", {"lang": "en"})
    hidden = _get(anonymous, f"{GROUPS}small/")

    assert detail == {
        "slug": "big",
        "url": "http://testserver/api/v1/ethnic-groups/big/",
        "name": groups["big"].name_en,
        "name_translations": {"kk": groups["big"].name_kk, "ru": groups["big"].name_ru, "en": groups["big"].name_en},
        "members": 3,
    }
    assert hidden["members"] is None
    assert anonymous.get(f"{GROUPS}no-such-group/").status_code == 404


# Every endpoint: query counts, bad values, languages, privacy.


def _bodies(rows: int) -> str:
    council = national_body("council")
    for _ in range(rows):
        BodyFactory(parent=national_body("assembly"), region=region("75"), successor=council)
    return "/api/v1/bodies/"


def _posts(rows: int) -> str:
    PostFactory.create_batch(rows)
    return "/api/v1/posts/"


def _persons(rows: int) -> str:
    group = EthnicGroupFactory()
    for _ in range(rows):
        MembershipFactory(person=PersonFactory(ethnic_group=group, ethnicity_public=True))
    return PERSONS


def _memberships(rows: int) -> str:
    association = AssociationFactory(level=Association.Level.REGIONAL, region=region("75"))
    for _ in range(rows):
        _ended(
            datetime.date(2020, 1, 15),
            datetime.date(2021, 1, 1),
            body=national_body("almaty-assembly"),
            basis=Membership.Basis.ETHNOCULTURAL,
            on_behalf_of=association,
        )
    return MEMBERSHIPS


def _associations(rows: int) -> str:
    for _ in range(rows):
        MembershipFactory(
            basis=Membership.Basis.ETHNOCULTURAL,
            on_behalf_of=AssociationFactory(level=Association.Level.REGIONAL, region=region("75")),
        )
    return "/api/v1/associations/"


def _groups(rows: int) -> str:
    for _ in range(rows):
        MembershipFactory(person=PersonFactory(ethnic_group=EthnicGroupFactory()))
    return GROUPS


def _person_detail(rows: int) -> str:
    person = PersonFactory()
    for year in range(1996, 1996 + rows):
        _ended(
            datetime.date(year, 1, 1),
            datetime.date(year, 6, 30),
            person=person,
            basis=Membership.Basis.ETHNOCULTURAL,
            on_behalf_of=AssociationFactory(level=Association.Level.REGIONAL, region=region("75")),
            body=national_body("almaty-assembly"),
        )
    return f"{PERSONS}{person.slug}/"


# (what to build, the queries of the answer): the count and the page (the memberships: the
# page's keys, then its rows), the default body of the ethnic groups' count, and a person's
# memberships.
QUERIES = {
    "bodies": (_bodies, 2),
    "posts": (_posts, 2),
    "persons": (_persons, 2),
    "memberships": (_memberships, 3),
    "associations": (_associations, 2),
    "ethnic groups": (_groups, 3),
    "a person": (_person_detail, 2),
}


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize("endpoint", QUERIES)
def test_the_queries_do_not_grow_with_the_data(anonymous, django_assert_num_queries, endpoint, rows):
    build, queries = QUERIES[endpoint]
    url = build(rows)

    with django_assert_num_queries(queries):
        answer = _get(anonymous, url, {"page_size": 500})

    assert len(answer.get("results", answer.get("memberships"))) >= rows


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/api/v1/bodies/almaty-assembly/", 1),
        ("/api/v1/associations/", 2),
        (f"{MEMBERSHIPS}?person=__person__&body=assembly&region=almaty&association=__association__", 7),
        (f"{PERSONS}?body=assembly&region=almaty&association=__association__&q=Сейт", 5),
        (f"{GROUPS}?body=council&on=2024-01-01", 3),
        (f"{GROUPS}kazakhs/", 2),
    ],
)
def test_the_details_and_filters_take_a_fixed_number_of_queries(anonymous, django_assert_num_queries, url, queries):
    association = AssociationFactory(level=Association.Level.REGIONAL, region=region("75"))
    membership = MembershipFactory(basis=Membership.Basis.ETHNOCULTURAL, on_behalf_of=association)
    url = url.replace("__person__", membership.person.slug).replace("__association__", association.slug)

    with django_assert_num_queries(queries):
        _get(anonymous, url)


@pytest.mark.parametrize(
    ("url", "parameter", "value"),
    [
        (MEMBERSHIPS, "on", "2021-02-30"),
        (MEMBERSHIPS, "on", "30.01.2021"),
        (MEMBERSHIPS, "on", "yesterday"),
        (MEMBERSHIPS, "current", "yes"),
        (MEMBERSHIPS, "current", "2"),
        (MEMBERSHIPS, "body", "no-such-body"),
        (MEMBERSHIPS, "region", "atlantis"),
        (MEMBERSHIPS, "association", "no-such-association"),
        (MEMBERSHIPS, "person", "no-such-person"),
        (MEMBERSHIPS, "basis", "bribery"),
        (MEMBERSHIPS, "role", "king"),
        (MEMBERSHIPS, "ordering", "iin"),
        (MEMBERSHIPS, "ordering", "person__birth_date"),
        (MEMBERSHIPS, "page", "0"),
        (MEMBERSHIPS, "lang", "de"),
        (PERSONS, "body", "no-such-body"),
        (PERSONS, "region", "atlantis"),
        (PERSONS, "association", "no-such-association"),
        (PERSONS, "q", "a\x00b"),
        (PERSONS, "ordering", "birth_date"),
        (PERSONS, "ordering", "sort_name"),
        (GROUPS, "body", "no-such-body"),
        (GROUPS, "on", "2024-13-01"),
        (GROUPS, "ordering", "members"),
        ("/api/v1/bodies/", "kind", "parliament"),
        ("/api/v1/bodies/", "region", "atlantis"),
        ("/api/v1/bodies/", "national", "maybe"),
        ("/api/v1/bodies/", "ordering", "name_kk"),
        ("/api/v1/posts/", "body", "no-such-body"),
        ("/api/v1/posts/", "role", "king"),
        ("/api/v1/posts/", "ordering", "seats"),
        ("/api/v1/associations/", "kind", "party"),
        ("/api/v1/associations/", "level", "global"),
        ("/api/v1/associations/", "region", "atlantis"),
        ("/api/v1/associations/", "ethnic_group", "no-such-group"),
        ("/api/v1/associations/", "ordering", "current_members"),
    ],
)
def test_a_bad_value_is_a_400_that_names_the_parameter(anonymous, url, parameter, value):
    response = anonymous.get(url, {parameter: value})

    assert response.status_code == 400, response.content
    assert set(response.json()["errors"]) == {parameter}


def test_a_bad_value_is_explained_in_the_language_asked_for():
    answer = api_client(language="en").get(MEMBERSHIPS, {"current": "yes"}).json()
    assert answer["errors"] == {"current": ["Use true or false."]}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_texts_follow_the_language_asked_for(language):
    group = EthnicGroupFactory(name_kk="Топ", name_ru="Группа", name_en="Group")
    person = PersonFactory(
        surname="Қасымов",
        given_name="Ерлан",
        patronymic="",
        surname_ru="Касымов",
        position_kk="Ұстаз",
        position_ru="Учитель",
        position_en="Teacher",
        ethnic_group=group,
        ethnicity_public=True,
    )
    membership = MembershipFactory(person=person)
    names = {"kk": "Қасымов Ерлан", "ru": "Касымов Ерлан", "en": "Qasymov Erlan"}
    positions = {"kk": "Ұстаз", "ru": "Учитель", "en": "Teacher"}
    assembly = national_body("assembly")
    other = next(code for code in LANGUAGES if code != language)
    # ?lang= wins over Accept-Language; without it, Accept-Language is followed.
    asked = [(api_client(language=other).get, {"lang": language}), (api_client(language=language).get, {})]

    for get, params in asked:
        detail = get(f"{PERSONS}{person.slug}/", params).json()
        assert detail["name"] == names[language]
        assert detail["position"] == positions[language]
        assert detail["ethnic_group"]["name"] == getattr(group, f"name_{language}")
        assert detail["web_url"] == f"http://testserver/{language}/members/{person.slug}/"
        assert detail["memberships"][0]["body"]["name"] == getattr(assembly, f"name_{language}")
        assert detail["memberships"][0]["basis_label"] == _label(Membership.Basis.PUBLIC_FIGURE, language)

        row = get(f"{MEMBERSHIPS}{membership.pk}/", params).json()
        assert row["person"]["name"] == names[language]
        assert row["post"]["label"] == getattr(membership.post, f"label_{language}")

        group_row = get(f"{GROUPS}{group.slug}/", params).json()
        assert group_row["name"] == getattr(group, f"name_{language}")


# What the API never shows.

BIRTH_DATE = datetime.date(1961, 7, 23)
PHONE = "+7 (777) 314-15-92"
EMAIL = "zhasyryn.adam@private-mail.kz"
NOTE = "Ішкі ескертпе: тексерісте"


@pytest.fixture
def planted(db) -> dict:
    """A member with unique private values, an unpublished ethnic group, and internal notes on
    the memberships; enough others that the ethnic groups have counts to show."""
    group = EthnicGroupFactory(slug="secret-group", name_kk="Құпиятоп", name_ru="Секретэтнос", name_en="Secretethnos")
    association = AssociationFactory(
        level=Association.Level.REGIONAL, region=region("75"), ethnic_group=EthnicGroupFactory()
    )
    person = PersonFactory(
        surname="Жасырынов",
        given_name="Адам",
        patronymic="",
        gender="male",
        birth_date=BIRTH_DATE,
        iin=next_iin(BIRTH_DATE, "male"),
        phone=PHONE,
        email=EMAIL,
        ethnic_group=group,
        ethnicity_public=False,
        position_kk="Қоғам қайраткері",
    )
    assembly = national_body("assembly")
    MembershipFactory(person=person, body=national_body("council"), note=NOTE)
    membership = MembershipFactory(
        person=person,
        body=assembly,
        post=post_of(assembly, Post.Role.DEPUTY_CHAIRMAN),
        basis=Membership.Basis.ETHNOCULTURAL,
        on_behalf_of=association,
        note=NOTE,
    )
    for _ in range(SMALL_GROUP):
        MembershipFactory(person=PersonFactory(ethnic_group=association.ethnic_group))
    return {"person": person, "membership": membership, "association": association}


def _private_values(person: Person) -> dict[str, str]:
    return {
        "IIN": person.iin,
        "birth date": "1961-07-23",
        "birth date (local)": "23.07.1961",
        "phone": "314-15-92",
        "e-mail": "zhasyryn.adam",
        "ethnic group": "Құпиятоп",
        "ethnic group (ru)": "Секретэтнос",
        "ethnic group (en)": "Secretethnos",
        "ethnic group slug": "secret-group",
        "note": "Ішкі ескертпе",
    }


def test_no_private_value_reaches_an_answer(planted):
    person, membership, association = planted["person"], planted["membership"], planted["association"]
    urls = [
        PERSONS,
        f"{PERSONS}?q=Жасырын",
        f"{PERSONS}?body=council",
        f"{PERSONS}{person.slug}/",
        MEMBERSHIPS,
        f"{MEMBERSHIPS}?person={person.slug}",
        f"{MEMBERSHIPS}?current=true&body=assembly",
        f"{MEMBERSHIPS}{membership.pk}/",
        "/api/v1/associations/",
        f"/api/v1/associations/{association.slug}/",
        "/api/v1/bodies/council/",
        "/api/v1/posts/?body=council",
    ]
    shown = 0
    for language in LANGUAGES:
        client = api_client(language=language)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            answer = response.content.decode()
            for label, value in _private_values(person).items():
                assert value not in answer, (url, language, label)
            assert "7773141592" not in re.sub(r"\D", "", answer), url
            shown += person.slug in answer
    # The person really is in the answers about persons and memberships.
    assert shown == 8 * len(LANGUAGES)


def test_the_ethnic_groups_never_name_a_member(planted):
    person = planted["person"]
    for language in LANGUAGES:
        client = api_client(language=language)
        for url in (GROUPS, f"{GROUPS}?body=council", f"{GROUPS}secret-group/"):
            answer = client.get(url, {"page_size": 500}).content.decode()
            assert person.slug not in answer
            assert person.surname not in answer
            assert person.iin not in answer
    # One member of the group, in the Council only.
    assert _get(api_client(), f"{GROUPS}secret-group/", {"body": "council"})["members"] is None
