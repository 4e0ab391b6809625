"""The database rules of nominations, both ways: ``full_clean()`` refuses a broken row with
a ValidationError, and a raw ``create()`` that bypasses the services is refused by
PostgreSQL with an IntegrityError naming the constraint. And the private storage of
their documents."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from members.validators import build_iin
from regional.models import Nomination, NominationDocument, RegionalOfficeUser, private_storage
from tests.factories import (
    AssociationFactory,
    LegalActFactory,
    MeetingFactory,
    MembershipFactory,
    national_body,
    next_iin,
    region,
    regional_office_user,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def violation_message(name: str) -> str:
    constraint = next(constraint for constraint in Nomination._meta.constraints if constraint.name == name)
    return constraint.get_violation_error_message()


def assert_refused_both_ways(fields: dict, constraint: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        Nomination(**fields).full_clean()
    assert violation_message(constraint) in excinfo.value.message_dict[NON_FIELD_ERRORS]
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Nomination.objects.create(**fields)


def assert_valid_both_ways(fields: dict) -> None:
    Nomination(**fields).full_clean()
    Nomination.objects.create(**fields)


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def user():
    return regional_office_user("75")


def nomination_fields(user, **fields) -> dict:
    return {
        "region": region("75"),
        "track": Nomination.Track.NATIONAL,
        "target_body": national_body("assembly"),
        "surname": "Әбенов",
        "given_name": "Ерлан",
        "gender": "male",
        "birth_date": D(1980, 2, 3),
        "iin": next_iin(D(1980, 2, 3), "male"),
        "basis": Nomination.Basis.ASSOCIATION_BODY,
        "nominating_association": AssociationFactory(),
        "decision_number": "12",
        "decision_date": D(2024, 1, 10),
        "created_by": user,
        **fields,
    }


def decided_fields(user, status: str, **fields) -> dict:
    """A nomination that went through the council, to ``status``."""
    return nomination_fields(
        user, **{"status": status, "submitted_at": timezone.now(), "council_meeting": MeetingFactory(), **fields}
    )


# One open nomination per candidate and body.


def test_a_second_open_nomination_of_the_candidate_to_the_body_is_refused(user):
    first = nomination_fields(user, status=Nomination.Status.SUBMITTED, submitted_at=timezone.now())
    Nomination.objects.create(**first)
    second = {**nomination_fields(user), "iin": first["iin"]}
    assert_refused_both_ways(second, "nomination_one_open_per_candidate_and_body")


@pytest.mark.parametrize("closed", ["withdrawn", "not_recommended", "rejected"])
def test_closed_nominations_do_not_count(user, closed):
    first = decided_fields(user, closed)
    Nomination.objects.create(**first)
    assert_valid_both_ways({**nomination_fields(user), "iin": first["iin"]})


def test_an_open_nomination_to_another_body_does_not_count(user):
    first = nomination_fields(user)
    Nomination.objects.create(**first)
    regional = nomination_fields(
        user, track=Nomination.Track.REGIONAL, target_body=national_body("almaty-assembly"), iin=first["iin"]
    )
    assert_valid_both_ways(regional)


# The candidate and the nominating decision.


@pytest.mark.parametrize("iin", ["12345", "1234567890123", "80020330012a"])
def test_an_iin_has_twelve_digits(user, iin):
    fields = nomination_fields(user, iin=iin)
    with pytest.raises(ValidationError) as excinfo:
        Nomination(**fields).full_clean()
    assert "iin" in excinfo.value.message_dict
    if len(iin) <= 12:
        with pytest.raises(IntegrityError, match="nomination_iin_twelve_digits"), transaction.atomic():
            Nomination.objects.create(**fields)


def test_the_iin_is_checked_like_the_register(user):
    iin = next_iin(D(1980, 2, 3), "male")
    wrong_check_digit = iin[:11] + str((int(iin[11]) + 1) % 10)
    with pytest.raises(ValidationError) as excinfo:
        Nomination(**nomination_fields(user, iin=wrong_check_digit)).full_clean()
    assert excinfo.value.message_dict["iin"] == ["The IIN's check digit is wrong: please check the number."]


def test_birth_date_and_gender_must_match_the_iin(user):
    iin = build_iin(D(1980, 2, 3), "male", 5)
    with pytest.raises(ValidationError) as excinfo:
        Nomination(**nomination_fields(user, iin=iin, birth_date=D(1980, 2, 4), gender="female")).full_clean()
    assert set(excinfo.value.message_dict) == {"birth_date", "gender"}
    assert excinfo.value.message_dict["birth_date"] == ["The date of birth does not match the IIN (03.02.1980)."]


def test_a_regional_nomination_comes_from_an_association(user):
    fields = nomination_fields(
        user,
        track=Nomination.Track.REGIONAL,
        target_body=national_body("almaty-assembly"),
        basis=Nomination.Basis.REGIONAL_SESSION,
    )
    assert_refused_both_ways(fields, "nomination_regional_by_association")


@pytest.mark.parametrize("basis", ["regional_session", "council", "rotation"])
def test_a_national_nomination_may_have_any_basis_and_no_association(user, basis):
    assert_valid_both_ways(nomination_fields(user, basis=basis, nominating_association=None))


def test_an_association_decision_names_the_association(user):
    fields = nomination_fields(user, nominating_association=None)
    assert_refused_both_ways(fields, "nomination_association_decision_names_it")


# The procedure's own fields.


@pytest.mark.parametrize(
    ("track", "status"),
    [("national", "session_supported"), ("regional", "accepted"), ("regional", "sent_to_president")],
)
def test_a_status_belongs_to_its_track(user, track, status):
    body = national_body("assembly" if track == "national" else "almaty-assembly")
    fields = decided_fields(user, status, track=track, target_body=body)
    if track == "regional":
        fields["session_meeting"] = MeetingFactory(body=body)
    assert_refused_both_ways(fields, "nomination_status_of_its_track")


def test_a_submitted_nomination_has_its_date_of_submission(user):
    assert_refused_both_ways(nomination_fields(user, status="submitted"), "nomination_submitted_at_once_submitted")
    assert_valid_both_ways(nomination_fields(user, status="withdrawn"))


@pytest.mark.parametrize("status", ["recommended", "not_recommended", "sent_to_president", "rejected"])
def test_a_nomination_past_the_council_names_the_meeting(user, status):
    fields = decided_fields(user, status, council_meeting=None)
    assert_refused_both_ways(fields, "nomination_council_meeting_after_council")


def test_only_a_regional_nomination_names_a_session(user):
    fields = nomination_fields(user, session_meeting=MeetingFactory(body=national_body("assembly")))
    assert_refused_both_ways(fields, "nomination_session_meeting_regional_only")


def test_a_regional_nomination_past_the_session_names_it(user):
    body = national_body("almaty-assembly")
    fields = decided_fields(user, "session_supported", track="regional", target_body=body)
    assert_refused_both_ways(fields, "nomination_session_meeting_after_session")
    fields["session_meeting"] = MeetingFactory(body=body)
    assert_valid_both_ways(fields)


def test_only_a_decided_nomination_has_a_decree(user):
    fields = decided_fields(user, "sent_to_president", decree=LegalActFactory())
    assert_refused_both_ways(fields, "nomination_decree_only_when_decided")
    assert_valid_both_ways(decided_fields(user, "rejected", decree=LegalActFactory()))


def test_an_approved_nomination_has_its_membership_and_decree(user):
    assert_refused_both_ways(
        decided_fields(user, "approved", decree=LegalActFactory()), "nomination_membership_when_approved"
    )
    membership = MembershipFactory()
    assert_refused_both_ways(
        decided_fields(user, "approved", membership=membership), "nomination_membership_when_approved"
    )
    assert_valid_both_ways(decided_fields(user, "approved", membership=membership, decree=LegalActFactory()))


def test_only_an_approved_nomination_has_a_membership(user):
    fields = decided_fields(user, "sent_to_president", membership=MembershipFactory())
    assert_refused_both_ways(fields, "nomination_membership_when_approved")


def test_a_membership_results_from_one_nomination_only(user):
    membership = MembershipFactory()
    Nomination.objects.create(**decided_fields(user, "approved", membership=membership, decree=LegalActFactory()))
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.create(**decided_fields(user, "approved", membership=membership, decree=LegalActFactory()))


def test_a_user_belongs_to_one_regional_office(user):
    with pytest.raises(ValidationError) as excinfo:
        RegionalOfficeUser(user=user, region=region("11")).full_clean()
    assert "user" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        RegionalOfficeUser.objects.create(user=user, region=region("11"))


# Documents are stored privately.


def test_documents_are_stored_outside_the_public_media_and_have_no_url():
    location = Path(private_storage.location)
    assert location == Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    assert Path(settings.MEDIA_ROOT).resolve() not in (location, *location.parents)
    with pytest.raises(ValueError, match="no URL"):
        private_storage.url("nominations/1/file.pdf")


def test_the_private_location_follows_the_setting(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    assert Path(private_storage.location) == tmp_path


def test_the_stored_name_is_random_with_the_extension_of_the_checked_content():
    field = NominationDocument._meta.get_field("file")
    document = NominationDocument(nomination_id=7, content_type="image/png")
    first = field.generate_filename(document, "../../etc/passwd.pdf")
    second = field.generate_filename(document, "../../etc/passwd.pdf")
    assert first.startswith("nominations/7/") and first.endswith(".png")
    assert first != second
    assert ".." not in first and "passwd" not in first
