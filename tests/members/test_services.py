import datetime

import pytest
from django.core.exceptions import ValidationError

from assembly.models import LegalAct, Post
from members import services
from members.models import Association, Membership, Person
from tests.concurrency import at_the_same_moment, slow_down
from tests.factories import (
    AssociationFactory,
    BodyFactory,
    LegalActFactory,
    PersonFactory,
    PostFactory,
    national_body,
    post_of,
)

D = datetime.date

pytestmark = pytest.mark.django_db


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# person_save


def new_person(**fields) -> Person:
    values = {"surname": "Тоқаев", "given_name": "Қасым-Жомарт", "patronymic": "Кемелұлы", "gender": "male"}
    return Person(**{**values, **fields})


def test_person_save_generates_the_latin_spelling():
    person = services.person_save(person=new_person())
    person.refresh_from_db()
    assert (person.surname_latin, person.given_name_latin, person.patronymic_latin) == (
        "Toqaev",
        "Qasym-Jomart",
        "Kemelūly",
    )


def test_person_save_keeps_an_explicit_latin_spelling():
    person = services.person_save(person=new_person(surname_latin="Tokayev", given_name_latin="Kassym-Jomart"))
    person.refresh_from_db()
    assert (person.surname_latin, person.given_name_latin, person.patronymic_latin) == (
        "Tokayev",
        "Kassym-Jomart",
        "Kemelūly",
    )


def test_a_generated_latin_spelling_follows_a_corrected_kazakh_one():
    person = services.person_save(person=new_person(surname="Токаев"))
    assert person.surname_latin == "Tokaev"
    person = services.person_update(person=Person.objects.get(pk=person.pk), surname="Тоқаев")
    person.refresh_from_db()
    assert person.surname_latin == "Toqaev"


def test_an_edited_latin_spelling_survives_a_corrected_kazakh_one():
    person = services.person_save(person=new_person())
    person = services.person_update(person=person, surname_latin="Tokayev")
    person = services.person_update(person=Person.objects.get(pk=person.pk), surname="Тоқайұлы")
    person.refresh_from_db()
    assert person.surname_latin == "Tokayev"


def test_person_save_gives_namesakes_unique_slugs():
    slugs = [services.person_save(person=new_person()).slug for _ in range(3)]
    assert slugs == ["toqaev-qasym-jomart-kemeluly", "toqaev-qasym-jomart-kemeluly-2", "toqaev-qasym-jomart-kemeluly-3"]


def test_person_slug_keeps_the_dotless_i():
    person = services.person_save(person=new_person(surname="Әлімов", given_name="Серік", patronymic=""))
    assert person.slug == "alimov-serik"


def test_person_slug_survives_an_update():
    person = services.person_save(person=new_person())
    slug = person.slug
    services.person_update(person=person, surname="Тоқайұлы")
    person.refresh_from_db()
    assert person.slug == slug


@pytest.mark.parametrize("iin", ["", None])
def test_person_save_stores_a_missing_iin_as_null(iin):
    first = services.person_save(person=new_person(iin=iin))
    second = services.person_save(person=new_person(iin=iin))
    assert Person.objects.filter(pk__in=[first.pk, second.pk], iin__isnull=True).count() == 2


def test_person_save_validates_the_person():
    with pytest.raises(ValidationError) as excinfo:
        services.person_save(person=new_person(iin="750517400012"))  # a woman's IIN
    assert set(errors_of(excinfo)) == {"gender"}
    assert not Person.objects.exists()


def test_person_create_and_update():
    person = services.person_create(surname="Сейтқалиева", given_name="Айгүл", gender="female")
    assert Person.objects.get(pk=person.pk).given_name_latin == "Aigül"
    services.person_update(person=person, position_kk="Мұғалім")
    assert Person.objects.get(pk=person.pk).position_kk == "Мұғалім"


# legal_act_get_or_create


def test_legal_act_get_or_create_reuses_a_registered_act():
    before = LegalAct.objects.count()
    first = services.legal_act_get_or_create(kind=LegalAct.Kind.DECREE, number="747", date=D(2024, 12, 27))
    again = services.legal_act_get_or_create(
        kind=LegalAct.Kind.DECREE, number="747", date=D(2024, 12, 27), title="ignored"
    )
    assert again == first
    assert LegalAct.objects.count() == before + 1


def test_legal_act_get_or_create_creates_distinct_acts():
    before = LegalAct.objects.count()
    services.legal_act_get_or_create(kind=LegalAct.Kind.DECREE, number="747", date=D(2024, 12, 27))
    services.legal_act_get_or_create(kind=LegalAct.Kind.ORDER, number="747", date=D(2024, 12, 27))
    services.legal_act_get_or_create(kind=LegalAct.Kind.DECREE, number="748", date=D(2024, 12, 27))
    services.legal_act_get_or_create(kind=LegalAct.Kind.DECREE, number="747", date=D(2024, 12, 28))
    assert LegalAct.objects.count() == before + 4


def test_legal_act_without_number_is_never_reused():
    first = services.legal_act_get_or_create(kind=LegalAct.Kind.MINUTES, number="", date=D(2024, 3, 1))
    second = services.legal_act_get_or_create(kind=LegalAct.Kind.MINUTES, number="", date=D(2024, 3, 1))
    assert first != second


def test_legal_act_get_or_create_validates():
    with pytest.raises(ValidationError) as excinfo:
        services.legal_act_get_or_create(kind="edict", number="1", date=D(2024, 3, 1))
    assert "kind" in errors_of(excinfo)


# membership_appoint


@pytest.fixture
def assembly():
    return national_body("assembly")


@pytest.fixture
def act():
    return LegalActFactory()


def appoint(**fields) -> Membership:
    values = {
        "person": fields.pop("person", None) or PersonFactory(),
        "body": fields.pop("body", None) or national_body("assembly"),
        "basis": Membership.Basis.PUBLIC_FIGURE,
        "start_date": D(2020, 1, 15),
        "appointed_by": LegalActFactory(),
    }
    return services.membership_appoint(**{**values, **fields})


def test_appoint_to_the_ordinary_members_post_by_default(assembly):
    membership = appoint(body=assembly)
    assert membership.post == post_of(assembly, Post.Role.MEMBER)
    assert Membership.objects.filter(pk=membership.pk, post__role=Post.Role.MEMBER).exists()


def test_appoint_refuses_a_body_without_a_members_post():
    post = PostFactory(role=Post.Role.CHAIRMAN, seats=1)
    with pytest.raises(ValidationError) as excinfo:
        appoint(body=post.body)
    assert set(errors_of(excinfo)) == {"post"}


def test_appoint_refuses_a_post_of_another_body(assembly):
    with pytest.raises(ValidationError) as excinfo:
        appoint(body=assembly, post=post_of(national_body("council")))
    assert set(errors_of(excinfo)) == {"post"}
    assert not Membership.objects.exists()


def test_appoint_refuses_a_body_not_yet_founded():
    body = BodyFactory(founded=D(2025, 1, 1))
    PostFactory(body=body)
    with pytest.raises(ValidationError) as excinfo:
        appoint(body=body, start_date=D(2024, 12, 31))
    assert set(errors_of(excinfo)) == {"start_date"}
    assert appoint(body=body, start_date=D(2025, 1, 1)).start_date == D(2025, 1, 1)


def test_appoint_refuses_a_dissolved_body():
    body = BodyFactory(founded=D(2025, 1, 1), dissolved=D(2026, 6, 30))
    PostFactory(body=body)
    with pytest.raises(ValidationError) as excinfo:
        appoint(body=body, start_date=D(2026, 7, 1))
    assert set(errors_of(excinfo)) == {"start_date"}


@pytest.mark.parametrize(
    ("basis", "kind"),
    [
        (Membership.Basis.ETHNOCULTURAL, Association.Kind.ETHNOCULTURAL),
        (Membership.Basis.PUBLIC_ASSOCIATION, Association.Kind.PUBLIC),
        (Membership.Basis.STATE_BODY, Association.Kind.STATE_BODY),
    ],
)
def test_appoint_basis_needs_an_organisation_of_its_kind(basis, kind):
    def organisation(of_kind):
        return AssociationFactory(kind=of_kind, ethnic_group=None)

    wrong_kind = next(other for other in Association.Kind if other != kind)
    for on_behalf_of in (None, organisation(wrong_kind)):
        with pytest.raises(ValidationError) as excinfo:
            appoint(basis=basis, on_behalf_of=on_behalf_of)
        assert set(errors_of(excinfo)) == {"on_behalf_of"}
    membership = appoint(basis=basis, on_behalf_of=organisation(kind))
    assert membership.on_behalf_of.kind == kind


@pytest.mark.parametrize("basis", [Membership.Basis.PUBLIC_FIGURE, Membership.Basis.EX_OFFICIO])
def test_appoint_basis_without_organisation(basis):
    assert appoint(basis=basis).on_behalf_of is None
    assert appoint(basis=basis, on_behalf_of=AssociationFactory()).on_behalf_of is not None


def test_appoint_needs_an_act():
    with pytest.raises(ValidationError) as excinfo:
        appoint(appointed_by=None)
    assert set(errors_of(excinfo)) == {"appointed_by"}


def test_appoint_ex_officio_needs_no_act():
    membership = appoint(basis=Membership.Basis.EX_OFFICIO, appointed_by=None)
    assert membership.appointed_by is None


def test_appoint_records_a_past_membership_whole(act):
    membership = appoint(
        start_date=D(2008, 1, 1), end_date=D(2012, 12, 31), end_reason=Membership.EndReason.ROTATION, ended_by=act
    )
    membership.refresh_from_db()
    assert (membership.end_date, membership.end_reason, membership.ended_by) == (D(2012, 12, 31), "rotation", act)


@pytest.fixture
def deputy_chairmen(assembly):
    """The three seats of the Deputy Chairman's post, all taken from 2020-01-15."""
    post = post_of(assembly, Post.Role.DEPUTY_CHAIRMAN)
    assert post.seats == 3
    return [appoint(post=post) for _ in range(3)]


def test_appoint_refuses_more_holders_than_seats(deputy_chairmen):
    post = deputy_chairmen[0].post
    with pytest.raises(ValidationError) as excinfo:
        appoint(post=post, start_date=D(2024, 3, 1))
    [message] = errors_of(excinfo)["post"]
    assert "3" in message and post.label in message and "01.03.2024" in message
    assert Membership.objects.filter(post=post).count() == 3


def test_appoint_refuses_a_holder_who_would_overlap_when_the_seats_fill(deputy_chairmen):
    post = deputy_chairmen[0].post
    with pytest.raises(ValidationError) as excinfo:
        appoint(post=post, start_date=D(2019, 1, 1))  # free then, but not from 2020-01-15
    assert "15.01.2020" in errors_of(excinfo)["post"][0]


def test_appoint_to_a_seat_freed_by_an_ending(deputy_chairmen, act):
    post = deputy_chairmen[0].post
    services.membership_end(membership=deputy_chairmen[0], end_date=D(2024, 2, 29), reason="rotation", act=act)
    with pytest.raises(ValidationError):
        appoint(post=post, start_date=D(2024, 2, 29))  # the last day still counts
    fourth = appoint(post=post, start_date=D(2024, 3, 1))
    assert Membership.objects.filter(post=post).on(D(2024, 3, 1)).count() == 3
    assert fourth.pk is not None


def test_appoint_a_past_holder_before_the_seats_filled(deputy_chairmen, act):
    post = deputy_chairmen[0].post
    earlier = appoint(post=post, start_date=D(2018, 1, 1), end_date=D(2020, 1, 14), end_reason="rotation", ended_by=act)
    assert earlier.pk is not None


def test_appoint_refuses_a_second_holder_of_a_single_seat_post(assembly):
    chairman = post_of(assembly, Post.Role.CHAIRMAN)
    appoint(post=chairman, start_date=D(2021, 4, 28))
    with pytest.raises(ValidationError) as excinfo:
        appoint(post=chairman, start_date=D(2022, 1, 1))
    message = next(c for c in Membership._meta.constraints if c.name == "membership_single_seat_one_holder")
    assert message.get_violation_error_message() in excinfo.value.messages
    assert Membership.objects.filter(post=chairman).count() == 1


def test_appoint_refuses_a_second_membership_of_the_same_body(assembly):
    person = PersonFactory()
    appoint(person=person, body=assembly)
    with pytest.raises(ValidationError):
        appoint(person=person, body=assembly, start_date=D(2022, 1, 1))


# membership_end


@pytest.fixture
def membership(assembly):
    return appoint(body=assembly, start_date=D(2020, 1, 15))


def test_end_sets_the_date_reason_and_act(membership, act):
    ended = services.membership_end(
        membership=membership, end_date=D(2024, 6, 30), reason=Membership.EndReason.OWN_INITIATIVE, act=act
    )
    membership.refresh_from_db()
    assert (membership.end_date, membership.end_reason, membership.ended_by) == (D(2024, 6, 30), "own_initiative", act)
    assert ended == membership and ended.end_date == D(2024, 6, 30)


@pytest.mark.parametrize("reason", sorted(set(Membership.EndReason.values) - {"moved_region"}))
def test_end_accepts_every_reason_for_a_national_body(membership, act, reason):
    services.membership_end(membership=membership, end_date=D(2024, 6, 30), reason=reason, act=act)
    assert Membership.objects.get(pk=membership.pk).end_reason == reason


@pytest.mark.parametrize("reason", ["", "retired"])
def test_end_needs_a_valid_reason(membership, act, reason):
    with pytest.raises(ValidationError) as excinfo:
        services.membership_end(membership=membership, end_date=D(2024, 6, 30), reason=reason, act=act)
    assert set(errors_of(excinfo)) == {"end_reason"}
    assert Membership.objects.get(pk=membership.pk).end_date is None


def test_end_needs_an_act(membership):
    with pytest.raises(ValidationError) as excinfo:
        services.membership_end(membership=membership, end_date=D(2024, 6, 30), reason="death", act=None)
    assert set(errors_of(excinfo)) == {"ended_by"}


def test_end_refuses_an_ended_membership(membership, act):
    services.membership_end(membership=membership, end_date=D(2024, 6, 30), reason="death", act=act)
    with pytest.raises(ValidationError) as excinfo:
        services.membership_end(membership=membership, end_date=D(2024, 7, 30), reason="rotation", act=act)
    assert "30.06.2024" in excinfo.value.messages[0]
    assert Membership.objects.get(pk=membership.pk).end_date == D(2024, 6, 30)


def test_end_refuses_an_end_before_the_start(membership, act):
    with pytest.raises(ValidationError) as excinfo:
        services.membership_end(membership=membership, end_date=D(2020, 1, 14), reason="death", act=act)
    constraint = next(c for c in Membership._meta.constraints if c.name == "membership_end_not_before_start")
    assert constraint.get_violation_error_message() in excinfo.value.messages
    assert Membership.objects.get(pk=membership.pk).end_date is None


def test_end_on_the_first_day(membership, act):
    services.membership_end(membership=membership, end_date=D(2020, 1, 15), reason="death", act=act)
    assert Membership.objects.get(pk=membership.pk).end_date == D(2020, 1, 15)


def test_moving_region_ends_only_a_regional_membership(membership, act):
    with pytest.raises(ValidationError) as excinfo:
        services.membership_end(membership=membership, end_date=D(2024, 6, 30), reason="moved_region", act=act)
    assert set(errors_of(excinfo)) == {"end_reason"}

    regional = appoint(body=national_body("almaty-assembly"))
    services.membership_end(membership=regional, end_date=D(2024, 6, 30), reason="moved_region", act=act)
    assert Membership.objects.get(pk=regional.pk).end_reason == "moved_region"


# membership_change_post


def test_change_post_ends_the_old_and_starts_the_new(act):
    association = AssociationFactory()
    old = appoint(basis=Membership.Basis.ETHNOCULTURAL, on_behalf_of=association)
    deputy = post_of(old.body, Post.Role.DEPUTY_CHAIRMAN)
    new = services.membership_change_post(membership=old, post=deputy, date=D(2023, 5, 1), act=act)

    old.refresh_from_db()
    assert (old.end_date, old.end_reason, old.ended_by) == (D(2023, 4, 30), Membership.EndReason.POST_CHANGED, act)
    new.refresh_from_db()
    assert (new.person, new.body, new.post, new.start_date, new.end_date) == (
        old.person,
        old.body,
        deputy,
        D(2023, 5, 1),
        None,
    )
    assert (new.basis, new.on_behalf_of, new.appointed_by) == (Membership.Basis.ETHNOCULTURAL, association, act)


def test_change_post_refuses_a_post_of_another_body(membership, act):
    with pytest.raises(ValidationError) as excinfo:
        services.membership_change_post(
            membership=membership, post=post_of(national_body("council")), date=D(2023, 5, 1), act=act
        )
    assert set(errors_of(excinfo)) == {"post"}


def test_change_post_refuses_the_same_post(membership, act):
    with pytest.raises(ValidationError) as excinfo:
        services.membership_change_post(membership=membership, post=membership.post, date=D(2023, 5, 1), act=act)
    assert set(errors_of(excinfo)) == {"post"}


@pytest.mark.parametrize("date", [D(2020, 1, 15), D(2019, 1, 1)], ids=["on the start", "before the start"])
def test_change_post_refuses_a_date_not_after_the_start(membership, act, date):
    deputy = post_of(membership.body, Post.Role.DEPUTY_CHAIRMAN)
    with pytest.raises(ValidationError) as excinfo:
        services.membership_change_post(membership=membership, post=deputy, date=date, act=act)
    assert set(errors_of(excinfo)) == {"date"}
    assert Membership.objects.get(pk=membership.pk).end_date is None


def test_change_post_to_a_taken_single_seat_changes_nothing(membership, act):
    chairman = post_of(membership.body, Post.Role.CHAIRMAN)
    appoint(post=chairman, start_date=D(2021, 4, 28))
    with pytest.raises(ValidationError):
        services.membership_change_post(membership=membership, post=chairman, date=D(2023, 5, 1), act=act)
    membership.refresh_from_db()
    assert membership.end_date is None
    assert Membership.objects.filter(person=membership.person).count() == 1


# membership_update


def test_update_corrects_a_membership(membership, act):
    services.membership_update(membership=membership, start_date=D(2020, 2, 1), note="Дата түзетілді")
    membership.refresh_from_db()
    assert (membership.start_date, membership.note) == (D(2020, 2, 1), "Дата түзетілді")


def test_update_checks_every_rule_again(membership, act):
    with pytest.raises(ValidationError):
        services.membership_update(membership=membership, end_date=D(2024, 1, 1))  # no reason
    membership.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        services.membership_update(membership=membership, basis=Membership.Basis.STATE_BODY)
    assert set(errors_of(excinfo)) == {"on_behalf_of"}
    membership.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        services.membership_update(membership=membership, appointed_by=None)
    assert set(errors_of(excinfo)) == {"appointed_by"}
    assert Membership.objects.get(pk=membership.pk).basis == Membership.Basis.PUBLIC_FIGURE


def test_update_of_a_holder_does_not_count_the_holder_twice(deputy_chairmen):
    services.membership_update(membership=deputy_chairmen[0], note="Ротация бойынша")
    assert Membership.objects.get(pk=deputy_chairmen[0].pk).note == "Ротация бойынша"


def test_update_refuses_moving_into_a_full_post(deputy_chairmen):
    member = appoint()
    with pytest.raises(ValidationError) as excinfo:
        services.membership_update(membership=member, post=deputy_chairmen[0].post)
    assert set(errors_of(excinfo)) == {"post"}


# Two appointments to the last free seat at the same moment.


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_connections_cannot_both_take_the_last_seat(monkeypatch):
    post = PostFactory(body=BodyFactory(), role=Post.Role.DEPUTY_CHAIRMAN, seats=2)
    appoint(body=post.body, post=post)
    candidates = [PersonFactory(), PersonFactory()]
    act = LegalActFactory()

    # Hold each transaction open between counting the holders and saving, so that
    # without the post lock both would count one holder and both would save.
    slow_down(monkeypatch, services, "_check_seats")

    def take_the_seat(person):
        return services.membership_appoint(
            person=person,
            body=post.body,
            post=post,
            basis=Membership.Basis.PUBLIC_FIGURE,
            start_date=D(2024, 3, 1),
            appointed_by=act,
        )

    outcomes = at_the_same_moment(*(lambda person=person: take_the_seat(person) for person in candidates))

    assert sum(isinstance(outcome, Membership) for outcome in outcomes) == 1
    assert [set(outcome.message_dict) for outcome in outcomes if isinstance(outcome, ValidationError)] == [{"post"}]
    assert Membership.objects.filter(post=post).count() == 2
