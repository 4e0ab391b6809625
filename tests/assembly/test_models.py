"""The structure's database rules, both ways: ``full_clean()`` raises a ValidationError
and a raw ``create()`` is refused by PostgreSQL with an IntegrityError."""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from assembly.models import Body, LegalAct, Post
from tests.factories import BodyFactory, LegalActFactory, PostFactory, national_body

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


def body_fields(**fields) -> dict:
    values = {
        "name": "Аудан ассамблеясы",
        "name_kk": "Аудан ассамблеясы",
        "slug": "district-assembly",
        "kind": Body.Kind.ASSEMBLY,
        "parent": national_body(),
        "founded": D(2025, 1, 1),
    }
    return {**values, **fields}


# Body.


def test_body_cannot_be_dissolved_before_it_is_founded():
    fields = body_fields(dissolved=D(2024, 12, 31))
    assert_clean_refuses(Body(**fields), "body_dissolved_after_founded")
    assert_create_refused(Body, "body_dissolved_after_founded", **fields)


def test_body_dissolved_on_its_founding_day_is_valid():
    fields = body_fields(dissolved=D(2025, 1, 1))
    Body(**fields).full_clean()
    Body.objects.create(**fields)


def test_body_cannot_be_its_own_parent():
    body = BodyFactory()
    body.parent = body
    assert_clean_refuses(body, "body_not_own_parent")
    # A raw insert that names its own primary key as its parent.
    assert_create_refused(Body, "body_not_own_parent", **body_fields(id=body.pk + 1000, parent_id=body.pk + 1000))


def test_body_cannot_be_its_own_successor():
    body = BodyFactory()
    body.successor = body
    assert_clean_refuses(body, "body_not_own_successor")
    assert_create_refused(Body, "body_not_own_successor", **body_fields(id=body.pk + 1000, successor_id=body.pk + 1000))


def test_body_with_parent_and_successor_elsewhere_is_valid():
    successor = BodyFactory()
    body = BodyFactory(parent=national_body(), successor=successor, dissolved=D(2026, 6, 30))
    body.full_clean()


def test_body_active_on_its_dates():
    body = BodyFactory(founded=D(2025, 1, 1), dissolved=D(2026, 6, 30))
    assert not body.is_active_on(D(2024, 12, 31))
    assert body.is_active_on(D(2025, 1, 1))
    assert body.is_active_on(D(2026, 6, 30))
    assert not body.is_active_on(D(2026, 7, 1))
    assert BodyFactory(founded=None).is_active_on(D(1900, 1, 1))


# Post.


def post_fields(body, **fields) -> dict:
    return {"body": body, "role": Post.Role.SECRETARY, "label": "Хатшы", "label_kk": "Хатшы", **fields}


def test_post_has_at_least_one_seat():
    fields = post_fields(BodyFactory(), seats=0)
    assert_clean_refuses(Post(**fields), "post_seats_positive")
    assert_create_refused(Post, "post_seats_positive", **fields)


@pytest.mark.parametrize("seats", [None, 1, 84])
def test_post_seats_may_be_unlimited_or_positive(seats):
    fields = post_fields(BodyFactory(), seats=seats)
    Post(**fields).full_clean()
    Post.objects.create(**fields)


def test_a_body_has_one_post_per_role():
    existing = PostFactory(role=Post.Role.SECRETARY)
    fields = post_fields(existing.body)
    assert_clean_refuses(Post(**fields), "post_unique_role_per_body")
    assert_create_refused(Post, "post_unique_role_per_body", **fields)


def test_the_same_role_in_another_body_is_valid():
    PostFactory(role=Post.Role.SECRETARY)
    fields = post_fields(BodyFactory())
    Post(**fields).full_clean()
    Post.objects.create(**fields)


def test_post_is_single_seat_only_with_one_seat():
    assert Post(seats=1).is_single_seat
    assert not Post(seats=3).is_single_seat
    assert not Post(seats=None).is_single_seat


# LegalAct.


def act_fields(**fields) -> dict:
    return {"kind": LegalAct.Kind.DECREE, "number": "747", "date": D(2024, 12, 27), **fields}


def test_a_legal_act_is_registered_once():
    LegalActFactory(**act_fields())
    assert_clean_refuses(LegalAct(**act_fields()), "legalact_unique_kind_number_date")
    assert_create_refused(LegalAct, "legalact_unique_kind_number_date", **act_fields())


@pytest.mark.parametrize(
    "other",
    [{"kind": LegalAct.Kind.ORDER}, {"number": "748"}, {"date": D(2024, 12, 28)}],
    ids=["another kind", "another number", "another date"],
)
def test_acts_differing_in_kind_number_or_date_are_distinct(other):
    LegalActFactory(**act_fields())
    LegalAct(**act_fields(**other)).full_clean()
    LegalAct.objects.create(**act_fields(**other))


def test_acts_without_number_do_not_collide():
    LegalActFactory(**act_fields(number=""))
    LegalAct(**act_fields(number="")).full_clean()
    LegalAct.objects.create(**act_fields(number=""))


def test_legal_act_str():
    assert str(LegalAct(**act_fields())).endswith("№ 747, 27.12.2024")
    assert str(LegalAct(**act_fields(number=""))).endswith(", 27.12.2024")
