"""Every database rule of the register, both ways: ``full_clean()`` refuses it with a
ValidationError, and a raw ``create()`` that bypasses the services is refused by
PostgreSQL with an IntegrityError naming the constraint."""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from assembly.models import Post
from members.models import Association, Membership, Person
from tests.factories import (
    AssociationFactory,
    EthnicGroupFactory,
    LegalActFactory,
    MembershipFactory,
    PersonFactory,
    PostFactory,
    national_body,
    next_iin,
    post_of,
    region,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def violation_message(model, name: str) -> str:
    constraint = next(constraint for constraint in model._meta.constraints if constraint.name == name)
    return constraint.get_violation_error_message()


def assert_clean_refuses(instance, constraint: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    assert violation_message(type(instance), constraint) in excinfo.value.message_dict[NON_FIELD_ERRORS]


def assert_create_refused(model, constraint: str, **fields) -> None:
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        model.objects.create(**fields)


@pytest.fixture
def person():
    return PersonFactory()


@pytest.fixture
def assembly():
    return national_body("assembly")


def membership_fields(person, body, **fields) -> dict:
    return {
        "person": person,
        "body": body,
        "post": fields.pop("post", None) or post_of(body),
        "basis": Membership.Basis.PUBLIC_FIGURE,
        "start_date": D(2020, 1, 1),
        "appointed_by": LegalActFactory(),
        **fields,
    }


# Membership: end >= start.


def test_membership_cannot_end_before_it_starts(person, assembly):
    fields = membership_fields(person, assembly, end_date=D(2019, 12, 31), end_reason=Membership.EndReason.ROTATION)
    assert_clean_refuses(Membership(**fields), "membership_end_not_before_start")
    assert_create_refused(Membership, "membership_end_not_before_start", **fields)


def test_membership_of_one_day_is_allowed(person, assembly):
    fields = membership_fields(person, assembly, end_date=D(2020, 1, 1), end_reason=Membership.EndReason.ROTATION)
    Membership(**fields).full_clean()
    Membership.objects.create(**fields)


# Membership: an end date goes with a reason, and only an ended membership has one.


@pytest.mark.parametrize(
    "ending",
    [
        {"end_date": D(2021, 1, 1)},
        {"end_reason": Membership.EndReason.DEATH},
        {"ended_by": "act"},
        {"end_reason": Membership.EndReason.DEATH, "ended_by": "act"},
    ],
    ids=["end date without reason", "reason without end date", "act without end date", "reason and act, no date"],
)
def test_membership_end_date_and_reason_go_together(person, assembly, ending):
    if ending.get("ended_by") == "act":
        ending["ended_by"] = LegalActFactory()
    fields = membership_fields(person, assembly, **ending)
    assert_clean_refuses(Membership(**fields), "membership_end_has_reason")
    assert_create_refused(Membership, "membership_end_has_reason", **fields)


def test_membership_ended_with_reason_and_act_is_valid(person, assembly):
    fields = membership_fields(
        person,
        assembly,
        end_date=D(2021, 1, 1),
        end_reason=Membership.EndReason.DEATH,
        ended_by=LegalActFactory(),
    )
    Membership(**fields).full_clean()
    Membership.objects.create(**fields)


# Membership: no two memberships of one person in one body overlap.


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (D(2020, 1, 10), None),  # starts on the last day of the first: both ends are inclusive
        (D(2019, 6, 1), D(2020, 1, 1)),  # ends on the first day of the first
        (D(2019, 6, 1), None),  # open-ended, starting before
        (D(2020, 1, 3), D(2020, 1, 5)),  # inside
        (D(2019, 1, 1), D(2021, 1, 1)),  # around
    ],
)
def test_memberships_of_one_person_in_one_body_cannot_overlap(person, assembly, start, end):
    MembershipFactory(
        person=person, body=assembly, start_date=D(2020, 1, 1), end_date=D(2020, 1, 10), end_reason="rotation"
    )
    fields = membership_fields(person, assembly, start_date=start, end_date=end)
    if end is not None:
        fields["end_reason"] = Membership.EndReason.ROTATION
    assert_clean_refuses(Membership(**fields), "membership_no_overlap_per_body")
    assert_create_refused(Membership, "membership_no_overlap_per_body", **fields)


def test_an_open_ended_membership_overlaps_any_later_one(person, assembly):
    MembershipFactory(person=person, body=assembly, start_date=D(2020, 1, 1))
    fields = membership_fields(person, assembly, start_date=D(2035, 1, 1))
    assert_clean_refuses(Membership(**fields), "membership_no_overlap_per_body")
    assert_create_refused(Membership, "membership_no_overlap_per_body", **fields)


@pytest.mark.parametrize(
    ("start", "end"),
    [(D(2020, 1, 11), None), (D(2019, 1, 1), D(2019, 12, 31))],
    ids=["starting the day after", "ending the day before"],
)
def test_memberships_that_only_touch_do_not_overlap(person, assembly, start, end):
    MembershipFactory(
        person=person, body=assembly, start_date=D(2020, 1, 1), end_date=D(2020, 1, 10), end_reason="rotation"
    )
    fields = membership_fields(person, assembly, start_date=start, end_date=end)
    if end is not None:
        fields["end_reason"] = Membership.EndReason.ROTATION
    Membership(**fields).full_clean()
    Membership.objects.create(**fields)


def test_one_person_may_belong_to_two_bodies_at_once(person, assembly):
    MembershipFactory(person=person, body=assembly, start_date=D(2020, 1, 1))
    fields = membership_fields(person, national_body("council"), start_date=D(2020, 1, 1))
    Membership(**fields).full_clean()
    Membership.objects.create(**fields)


def test_correcting_a_membership_does_not_overlap_itself(person, assembly):
    membership = MembershipFactory(person=person, body=assembly, start_date=D(2020, 1, 1))
    membership.start_date = D(2020, 2, 1)
    membership.full_clean()
    membership.save()


# Membership: a single-seat post never has two holders at once.


@pytest.fixture
def chairman_post(assembly):
    return post_of(assembly, Post.Role.CHAIRMAN)


def test_a_single_seat_post_has_one_holder_at_a_time(assembly, chairman_post):
    first = MembershipFactory(body=assembly, post=chairman_post, start_date=D(2020, 1, 1))
    assert first.single_seat
    fields = membership_fields(PersonFactory(), assembly, post=chairman_post, start_date=D(2021, 1, 1))
    assert_clean_refuses(Membership(**fields), "membership_single_seat_one_holder")
    assert_create_refused(Membership, "membership_single_seat_one_holder", **fields)


def test_the_next_holder_of_a_single_seat_post_may_start_the_day_after(assembly, chairman_post):
    MembershipFactory(
        body=assembly, post=chairman_post, start_date=D(2020, 1, 1), end_date=D(2020, 12, 31), end_reason="rotation"
    )
    touching = membership_fields(PersonFactory(), assembly, post=chairman_post, start_date=D(2020, 12, 31))
    assert_clean_refuses(Membership(**touching), "membership_single_seat_one_holder")
    assert_create_refused(Membership, "membership_single_seat_one_holder", **touching)

    after = membership_fields(PersonFactory(), assembly, post=chairman_post, start_date=D(2021, 1, 1))
    Membership(**after).full_clean()
    Membership.objects.create(**after)


def test_the_trigger_marks_a_raw_row_single_seat_whatever_it_says(person, assembly, chairman_post):
    membership = Membership.objects.create(**membership_fields(person, assembly, post=chairman_post), single_seat=False)
    membership.refresh_from_db()
    assert membership.single_seat

    Membership.objects.filter(pk=membership.pk).update(single_seat=False)
    membership.refresh_from_db()
    assert membership.single_seat


def test_moving_a_row_to_a_single_seat_post_marks_it(person, assembly, chairman_post):
    membership = MembershipFactory(person=person, body=assembly)
    assert not membership.single_seat
    Membership.objects.filter(pk=membership.pk).update(post=chairman_post)
    membership.refresh_from_db()
    assert membership.single_seat


def test_a_second_holder_cannot_be_moved_into_a_single_seat_post(assembly, chairman_post):
    MembershipFactory(body=assembly, post=chairman_post, start_date=D(2020, 1, 1))
    member = MembershipFactory(body=assembly, start_date=D(2020, 1, 1))
    with pytest.raises(IntegrityError, match="membership_single_seat_one_holder"), transaction.atomic():
        Membership.objects.filter(pk=member.pk).update(post=chairman_post)


def test_changing_a_post_to_one_seat_marks_its_memberships():
    post = PostFactory(role=Post.Role.SECRETARY, seats=2)
    first = MembershipFactory(body=post.body, post=post, start_date=D(2020, 1, 1), end_date=D(2020, 12, 31),
                              end_reason="rotation")  # fmt: skip
    second = MembershipFactory(body=post.body, post=post, start_date=D(2021, 1, 1))
    assert not Membership.objects.filter(pk__in=[first.pk, second.pk], single_seat=True).exists()

    post.seats = 1
    post.save()
    assert Membership.objects.filter(pk__in=[first.pk, second.pk], single_seat=True).count() == 2
    # From now on the database refuses a second holder of the post.
    assert_create_refused(
        Membership, "membership_single_seat_one_holder", **membership_fields(PersonFactory(), post.body, post=post)
    )

    post.seats = None
    post.save()
    assert not Membership.objects.filter(pk__in=[first.pk, second.pk], single_seat=True).exists()
    Membership.objects.create(**membership_fields(PersonFactory(), post.body, post=post, start_date=D(2022, 1, 1)))


def test_a_post_with_two_holders_cannot_become_single_seat():
    post = PostFactory(role=Post.Role.SECRETARY, seats=2)
    MembershipFactory(body=post.body, post=post, start_date=D(2020, 1, 1))
    MembershipFactory(body=post.body, post=post, start_date=D(2020, 6, 1))
    post.seats = 1
    with pytest.raises(IntegrityError, match="membership_single_seat_one_holder"), transaction.atomic():
        post.save()


def test_a_membership_post_must_belong_to_its_body(person, assembly):
    fields = membership_fields(person, assembly, post=post_of(national_body("council")))
    with pytest.raises(ValidationError) as excinfo:
        Membership(**fields).full_clean()
    assert set(excinfo.value.message_dict) == {"post"}


# Person: the IIN is unique and has 12 digits.


def person_fields(**fields) -> dict:
    values = {
        "surname": "Ахметов",
        "given_name": "Ерлан",
        "slug": "akhmetov-erlan",
        "gender": Person.Gender.MALE,
        "birth_date": D(1980, 2, 3),
    }
    return {**values, "iin": next_iin(values["birth_date"], values["gender"]), **fields}


def test_person_iin_is_unique():
    existing = PersonFactory(gender=Person.Gender.MALE, birth_date=D(1980, 2, 3))
    fields = person_fields(iin=existing.iin)
    with pytest.raises(ValidationError) as excinfo:
        Person(**fields).full_clean()
    assert [error.code for error in excinfo.value.error_dict["iin"]] == ["unique"]
    assert_create_refused(Person, "members_person_iin", **fields)


def test_persons_without_iin_do_not_collide():
    Person.objects.create(**person_fields(iin=None))
    Person.objects.create(**person_fields(iin=None, slug="akhmetov-erlan-2"))
    Person(**person_fields(iin=None, slug="akhmetov-erlan-3")).full_clean()


@pytest.mark.parametrize("iin", ["80020330001", "8002033000123", "80020330001a", "８００２０３３０００１２"])
def test_person_iin_has_twelve_digits(iin):
    fields = person_fields(iin=iin)
    with pytest.raises(ValidationError) as excinfo:
        Person(**fields).full_clean()
    assert "iin" in excinfo.value.message_dict
    if len(iin) <= 12:  # a longer value is refused by the column's length first
        assert_create_refused(Person, "person_iin_twelve_digits", **fields)


def test_person_iin_column_check_accepts_twelve_digits():
    Person.objects.create(**person_fields())


# Association: the region goes with the level; only an ECA has an ethnic group.


@pytest.mark.parametrize(
    ("level", "with_region"),
    [(Association.Level.REPUBLICAN, True), (Association.Level.REGIONAL, False)],
    ids=["republican with a region", "regional without a region"],
)
def test_association_region_matches_level(level, with_region):
    fields = {
        "name": "Қоғамдық бірлестік",
        "name_kk": "Қоғамдық бірлестік",
        "slug": "public-association",
        "kind": Association.Kind.PUBLIC,
        "level": level,
        "region": region() if with_region else None,
    }
    assert_clean_refuses(Association(**fields), "association_region_matches_level")
    assert_create_refused(Association, "association_region_matches_level", **fields)


def test_association_regional_with_region_is_valid():
    fields = {
        "name": "Алматы қаласының славян орталығы",
        "name_kk": "Алматы қаласының славян орталығы",
        "slug": "almaty-slavic-centre",
        "kind": Association.Kind.ETHNOCULTURAL,
        "level": Association.Level.REGIONAL,
        "region": region(),
        "ethnic_group": EthnicGroupFactory(),
    }
    Association(**fields).full_clean()
    Association.objects.create(**fields)


@pytest.mark.parametrize("kind", [Association.Kind.PUBLIC, Association.Kind.STATE_BODY])
def test_only_an_ethnocultural_association_has_an_ethnic_group(kind):
    fields = {
        "name": "Мәдениет министрлігі",
        "name_kk": "Мәдениет министрлігі",
        "slug": "ministry-of-culture",
        "kind": kind,
        "level": Association.Level.REPUBLICAN,
        "ethnic_group": EthnicGroupFactory(),
    }
    assert_clean_refuses(Association(**fields), "association_ethnic_group_only_for_eca")
    assert_create_refused(Association, "association_ethnic_group_only_for_eca", **fields)


def test_an_association_factory_default_is_valid():
    AssociationFactory().full_clean()


@pytest.mark.django_db
def test_persons_sort_in_kazakh_alphabetical_order():
    from tests.factories import PersonFactory

    surnames = ["Яковлев", "Қасымов", "Әбілов", "Абаев", "Кенжебаев", "Ілиясов", "Ыбыраев", "Ұлықбеков", "Уәлиев"]
    for surname in surnames:
        PersonFactory(surname=surname)
    assert [person.surname for person in Person.objects.all()] == [
        "Абаев", "Әбілов", "Кенжебаев", "Қасымов", "Уәлиев", "Ұлықбеков", "Ыбыраев", "Ілиясов", "Яковлев",
    ]  # fmt: skip
