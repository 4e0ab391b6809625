import datetime

import pytest
from django.utils import timezone

from assembly.models import Body, Post
from members.models import Membership
from members.selectors import body_composition, person_memberships
from regional.models import Region
from tests.factories import BodyFactory, LegalActFactory, MembershipFactory, PersonFactory, national_body, post_of

pytestmark = pytest.mark.django_db

D = datetime.date
ON = D(2024, 3, 1)


def member(surname: str, start: datetime.date, end: datetime.date | None = None, **fields) -> Membership:
    ending = (
        {"end_date": end, "end_reason": Membership.EndReason.ROTATION, "ended_by": LegalActFactory()} if end else {}
    )
    return MembershipFactory(person=PersonFactory(surname=surname), start_date=start, **ending, **fields)


@pytest.fixture
def composition():
    assembly = national_body("assembly")
    return {
        "old member": member("Абенов", D(2020, 1, 15)),
        "joined on the date": member("Бекова", ON),
        "leaves on the date": member("Галиев", D(2020, 1, 15), ON),
        "joined the day after": member("Ахметов", D(2024, 3, 2)),
        "left the day before": member("Аманов", D(2020, 1, 15), D(2024, 2, 29)),
        "deputy chairman": member("Ясауи", D(2022, 1, 1), post=post_of(assembly, Post.Role.DEPUTY_CHAIRMAN)),
        "chairman": member("Тоқаев", D(2021, 4, 28), post=post_of(assembly, Post.Role.CHAIRMAN)),
        "council only": member("Әлиев", D(2020, 1, 15), body=national_body("council")),
    }


def test_body_composition_on_a_date(composition):
    listed = list(body_composition(body=national_body("assembly"), date=ON))
    assert listed == [
        composition["chairman"],
        composition["deputy chairman"],
        composition["old member"],
        composition["joined on the date"],
        composition["leaves on the date"],
    ]


def test_body_composition_the_day_after(composition):
    listed = set(body_composition(body=national_body("assembly"), date=ON + datetime.timedelta(days=1)))
    assert composition["joined the day after"] in listed
    assert composition["leaves on the date"] not in listed


def test_body_composition_the_day_before(composition):
    listed = set(body_composition(body=national_body("assembly"), date=ON - datetime.timedelta(days=1)))
    assert composition["left the day before"] in listed
    assert composition["joined on the date"] not in listed


def test_body_composition_of_another_body(composition):
    assert list(body_composition(body=national_body("council"), date=ON)) == [composition["council only"]]


def test_body_composition_reads_in_one_query(composition, django_assert_num_queries):
    assembly = national_body("assembly")
    with django_assert_num_queries(1):
        rows = [
            (m.person.full_name, m.post.label, m.body.name, m.on_behalf_of, m.appointed_by.number, m.ended_by)
            for m in body_composition(body=assembly, date=ON)
        ]
    assert len(rows) == 5


def test_person_memberships_newest_first():
    person = PersonFactory()
    act = LegalActFactory()
    old = MembershipFactory(person=person, start_date=D(2008, 1, 1), end_date=D(2012, 12, 31),
                            end_reason="rotation", ended_by=act)  # fmt: skip
    council = MembershipFactory(person=person, body=national_body("council"), start_date=D(2015, 1, 1))
    new = MembershipFactory(person=person, start_date=D(2016, 1, 1))
    MembershipFactory(start_date=D(2016, 1, 1))
    assert list(person_memberships(person=person)) == [new, council, old]


# Membership.objects.on / current / past, both ends inclusive.


def test_membership_on_a_date_counts_both_ends():
    membership = member("Сейітов", D(2020, 1, 15), D(2024, 2, 29))
    on = Membership.objects.filter(pk=membership.pk).on
    assert not on(D(2020, 1, 14)).exists()
    assert on(D(2020, 1, 15)).exists()
    assert on(D(2024, 2, 29)).exists()
    assert not on(D(2024, 3, 1)).exists()


def test_an_open_membership_is_on_every_later_date():
    membership = member("Сейітов", D(2020, 1, 15))
    assert Membership.objects.on(D(2099, 12, 31)).filter(pk=membership.pk).exists()
    assert membership.is_current_on(D(2099, 12, 31)) and not membership.is_current_on(D(2020, 1, 14))


def test_current_and_past_memberships():
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    memberships = {
        "open": member("Ашимов", D(2020, 1, 15)),
        "ends today": member("Бейсенов", D(2020, 1, 15), today),
        "ended yesterday": member("Волков", D(2020, 1, 15), today - day),
        "starts tomorrow": member("Ганиев", today + day),
        "starts today": member("Дәулетов", today),
    }
    current = {name for name, m in memberships.items() if Membership.objects.current().filter(pk=m.pk).exists()}
    past = {name for name, m in memberships.items() if Membership.objects.past().filter(pk=m.pk).exists()}
    assert current == {"open", "ends today", "starts today"}
    assert past == {"ended yesterday"}


# Regions and bodies at their boundaries.


def test_regions_on_a_date():
    on = Region.objects.on
    assert on(D(2018, 6, 18)).count() == 16
    assert on(D(2018, 6, 19)).count() == 17  # Shymkent became a city of republican significance
    assert on(D(2022, 6, 7)).count() == 17
    assert on(D(2022, 6, 8)).count() == 20  # Abai, Zhetysu and Ulytau regions
    assert not on(D(2022, 6, 7)).filter(kato="10").exists()


def test_a_region_that_ended_is_on_until_its_last_day():
    region = Region.objects.create(
        kato="99", slug="old-region", kind="oblast", name="Ескі облыс", name_kk="Ескі облыс",
        valid_from=D(1997, 1, 1), valid_until=D(1999, 12, 31),
    )  # fmt: skip
    on = Region.objects.filter(pk=region.pk).on
    assert [on(day).exists() for day in (D(1996, 12, 31), D(1997, 1, 1), D(1999, 12, 31), D(2000, 1, 1))] == [
        False,
        True,
        True,
        False,
    ]


def test_bodies_active_on_a_date():
    active = Body.objects.active_on
    assert not active(D(1995, 2, 28)).exists()
    assert active(D(1995, 3, 1)).national().count() == 3
    assert active(D(2022, 6, 7)).count() == 3 + 3 * 17
    assert active(D(2022, 6, 8)).count() == 3 + 3 * 20
    assert not active(D(2022, 6, 7)).filter(slug="abai-region-assembly").exists()
    assert active(D(2022, 6, 8)).filter(slug="abai-region-assembly").exists()


def test_a_dissolved_body_is_active_until_its_last_day():
    body = BodyFactory(founded=D(2025, 1, 1), dissolved=D(2026, 6, 30))
    active = Body.objects.filter(pk=body.pk).active_on
    assert [active(day).exists() for day in (D(2024, 12, 31), D(2025, 1, 1), D(2026, 6, 30), D(2026, 7, 1))] == [
        False,
        True,
        True,
        False,
    ]
