"""The nomination services: drafts (the register's rules, duplicates), every step of the
procedure allowed and refused for every role and status, stale copies, approval through the
register, withdrawal, and the notifications of every change of status."""

import datetime
import logging
import os

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from assembly.models import LegalAct, Post
from members.models import Association, Membership, Person
from members.services import membership_end
from regional import services
from regional.models import Nomination, NominationDocument, NominationEvent, Notification
from regional.services import TRANSITIONS, Actor, NominationPermissionDenied, StaleNominationError
from tests.factories import (
    AssociationFactory,
    LegalActFactory,
    MeetingFactory,
    MembershipFactory,
    NominationFactory,
    PersonFactory,
    advance_nomination,
    image_bytes,
    national_body,
    next_iin,
    nomination_path,
    region,
    regional_office_user,
    secretariat_user,
    step_arguments,
    upload,
)

pytestmark = pytest.mark.django_db

D = datetime.date
S = Nomination.Status

ROLES = ["office", "other_office", "editor", "viewer", "staff_without_group", "nobody", "anonymous"]
TRACK_STATUSES = {
    "national": [status for status in S.values if status != "session_supported"],
    "regional": [status for status in S.values if status not in ("accepted", "sent_to_president")],
}


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.fixture
def creator():
    return regional_office_user("75")


@pytest.fixture
def editor():
    return secretariat_user("Secretariat editor")


@pytest.fixture
def users(creator, editor):
    """One user of each role towards a nomination of Almaty city (region 75)."""
    return {
        "office": regional_office_user("75"),
        "other_office": regional_office_user("11"),
        "editor": editor,
        "viewer": secretariat_user("Secretariat viewer"),
        "staff_without_group": get_user_model().objects.create_user("staff-only", is_staff=True),
        "nobody": get_user_model().objects.create_user("citizen"),
        "anonymous": AnonymousUser(),
    }


def snapshot(nomination: Nomination) -> tuple:
    """Everything a refused write must leave as it was."""
    nomination = Nomination.objects.get(pk=nomination.pk)
    return (
        nomination.status,
        nomination.version,
        nomination.status_changed_at,
        nomination.council_meeting_id,
        nomination.session_meeting_id,
        nomination.decree_id,
        nomination.membership_id,
        nomination.events.count(),
        nomination.documents.count(),
        Notification.objects.count(),
        Membership.objects.count(),
        Person.objects.count(),
        LegalAct.objects.count(),
    )


def take(nomination: Nomination, action: str, user, **arguments) -> Nomination:
    return services.nomination_transition(
        nomination=nomination, user=user, action=action, version=nomination.version, **arguments
    )


def at(status: str, *, track: str = "national", creator=None, editor=None, **fields) -> Nomination:
    nomination = NominationFactory(track=track, **({"created_by": creator} if creator else {}), **fields)
    return advance_nomination(nomination, status, secretariat=editor)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# Drafts -------------------------------------------------------------------------------------


def test_an_office_user_creates_a_draft_of_their_region(creator):
    nomination = NominationFactory(created_by=creator)
    nomination.refresh_from_db()
    assert (nomination.region.kato, nomination.track, nomination.target_body.slug) == ("75", "national", "assembly")
    assert (nomination.status, nomination.version, nomination.person, nomination.submitted_at) == (
        "draft",
        1,
        None,
        None,
    )
    event = nomination.events.get()
    assert (event.action, event.from_status, event.to_status, event.actor) == ("create", "", "draft", creator)
    assert nomination.documents.get().kind == NominationDocument.Kind.DECISION
    assert nomination.history.get().history_user == creator


def test_a_regional_nomination_goes_to_the_region_s_assembly(creator):
    nomination = NominationFactory(created_by=creator, track="regional")
    assert nomination.target_body.slug == "almaty-assembly"


@pytest.mark.parametrize(
    ("track", "body", "message"),
    [
        (
            "national",
            "almaty-assembly",
            "A nomination on the national track goes to the Assembly of the People of Kazakhstan.",
        ),
        ("regional", "assembly", "A nomination on the regional track goes to the assembly of Almaty."),
        ("regional", "akmola-region-assembly", "A nomination on the regional track goes to the assembly of Almaty."),
        ("regional", "almaty-council", "A nomination on the regional track goes to the assembly of Almaty."),
    ],
)
def test_the_target_body_must_be_that_of_the_track(creator, track, body, message):
    with pytest.raises(ValidationError) as excinfo:
        NominationFactory(created_by=creator, track=track, target_body=national_body(body))
    assert errors_of(excinfo) == {"target_body": [message]}
    assert not Nomination.objects.exists()


def test_an_unknown_track_is_refused(creator):
    with pytest.raises(ValidationError) as excinfo:
        NominationFactory(created_by=creator, track="district")
    assert errors_of(excinfo) == {"track": ["Choose the national or the regional track."]}


@pytest.mark.parametrize("role", ["editor", "viewer", "staff_without_group", "nobody", "anonymous"])
def test_only_an_office_user_creates_a_nomination(users, role):
    with pytest.raises(NominationPermissionDenied, match="Only a user of a regional office can nominate"):
        NominationFactory(created_by=users[role])
    assert not Nomination.objects.exists()


def test_an_inactive_office_user_has_no_role(creator):
    creator.is_active = False
    creator.save()
    creator = get_user_model().objects.get(pk=creator.pk)
    with pytest.raises(NominationPermissionDenied):
        NominationFactory(created_by=creator)


def test_only_the_editable_fields_are_accepted(creator):
    with pytest.raises(TypeError, match="status"):
        NominationFactory(created_by=creator, status="approved")


@pytest.mark.parametrize(
    ("iin", "message"),
    [
        ("80020330", "An IIN has exactly 12 digits."),
        ("8002033001234", "Ensure this value has at most 12 characters (it has 13)."),
        ("80020330012x", "An IIN has exactly 12 digits."),
        ("800203700123", "The seventh digit of an IIN must be 1 to 6."),
        ("801303300123", "The first six digits of an IIN must be a date (YYMMDD)."),
    ],
)
def test_iin_errors_are_refused_with_a_clear_message(creator, iin, message):
    with pytest.raises(ValidationError) as excinfo:
        NominationFactory(created_by=creator, iin=iin)
    assert message in errors_of(excinfo)["iin"]
    assert not Nomination.objects.exists()


def test_a_wrong_check_digit_is_refused(creator):
    iin = next_iin(D(1980, 2, 3), "male")
    with pytest.raises(ValidationError) as excinfo:
        NominationFactory(created_by=creator, iin=iin[:11] + str((int(iin[11]) + 1) % 10))
    assert errors_of(excinfo) == {"iin": ["The IIN's check digit is wrong: please check the number."]}


def test_every_error_is_reported_at_once_by_field(creator):
    iin = next_iin(D(1980, 2, 3), "male")
    with pytest.raises(ValidationError) as excinfo:
        NominationFactory(
            created_by=creator,
            iin=iin,
            birth_date=D(1981, 2, 3),
            gender="female",
            surname="",
            email="not-an-address",
            decision_date=timezone.localdate() + datetime.timedelta(days=1),
            nominating_association=AssociationFactory(level="regional", region=region("11")),
        )
    assert errors_of(excinfo) == {
        "surname": ["This field cannot be blank."],
        "email": ["Enter a valid email address."],
        "birth_date": ["The date of birth does not match the IIN (03.02.1980)."],
        "gender": ["The gender does not match the IIN."],
        "decision_date": ["The nominating decision cannot be dated in the future."],
        "nominating_association": ["This association belongs to another region."],
    }


def test_a_regional_nomination_needs_an_association_decision(creator):
    with pytest.raises(ValidationError) as excinfo:
        NominationFactory(created_by=creator, track="regional", basis="rotation", nominating_association=None)
    assert errors_of(excinfo) == {
        "basis": ["A candidate for a regional assembly is nominated by the decision of an association's supreme body."]
    }
    with pytest.raises(ValidationError) as excinfo:
        NominationFactory(created_by=creator, nominating_association=None)
    assert errors_of(excinfo) == {
        "nominating_association": ["Give the association whose supreme body nominated the candidate."]
    }


def test_an_association_of_the_region_or_republican_level_is_accepted(creator):
    almaty = national_body("almaty-assembly").region
    local = AssociationFactory(level="regional", region=almaty)
    assert NominationFactory(created_by=creator, nominating_association=local).nominating_association == local


def test_an_iin_in_the_register_links_the_person(creator):
    person = PersonFactory(birth_date=D(1980, 2, 3), gender="male")
    nomination = NominationFactory(created_by=creator)
    assert nomination.person is None
    nomination = services.nomination_update(nomination=nomination, user=creator, version=1, iin=person.iin)
    assert Nomination.objects.get(pk=nomination.pk).person == person
    nomination = services.nomination_update(
        nomination=nomination, user=creator, version=2, iin=next_iin(D(1980, 2, 3), "male")
    )
    assert Nomination.objects.get(pk=nomination.pk).person is None
    assert NominationFactory(created_by=creator, iin=person.iin).person == person


# Duplicates.


def test_a_current_member_of_the_body_is_refused(creator):
    person = PersonFactory(birth_date=D(1980, 2, 3), gender="male")
    MembershipFactory(person=person, body=national_body("assembly"))
    with pytest.raises(ValidationError) as excinfo:
        NominationFactory(created_by=creator, iin=person.iin)
    assert errors_of(excinfo) == {
        "iin": ["This candidate is already a member of Assembly of the People of Kazakhstan."]
    }
    assert not Nomination.objects.exists()


def test_a_past_member_or_a_member_of_another_body_may_be_nominated(creator):
    person = PersonFactory(birth_date=D(1980, 2, 3), gender="male")
    past = MembershipFactory(person=person, body=national_body("assembly"), start_date=D(2015, 1, 1))
    membership_end(membership=past, end_date=D(2019, 1, 1), reason="rotation", act=LegalActFactory())
    MembershipFactory(person=person, body=national_body("almaty-assembly"))
    assert NominationFactory(created_by=creator, iin=person.iin).person == person
    with pytest.raises(ValidationError) as excinfo:
        NominationFactory(created_by=creator, iin=person.iin, track="regional")
    assert errors_of(excinfo) == {
        "iin": ["This candidate is already a member of Assembly of the People of Kazakhstan of Almaty."]
    }


def test_a_second_open_nomination_to_the_body_is_refused_from_any_region(creator):
    first = NominationFactory(created_by=creator)
    for user in (creator, regional_office_user("11")):
        with pytest.raises(ValidationError) as excinfo:
            NominationFactory(created_by=user, iin=first.iin)
        assert errors_of(excinfo) == {
            "iin": ["This candidate already has an open nomination to Assembly of the People of Kazakhstan."]
        }
    assert Nomination.objects.count() == 1
    # To the other body, and once the first is closed, the candidate may be nominated again.
    assert NominationFactory(created_by=creator, iin=first.iin, track="regional").track == "regional"
    take(first, "withdraw", creator, comment="Кандидат бас тартты")
    assert NominationFactory(created_by=creator, iin=first.iin).status == "draft"


def test_a_duplicate_that_slips_past_the_check_is_refused_by_the_database(creator, monkeypatch):
    first = NominationFactory(created_by=creator)
    monkeypatch.setattr(services.Nomination.objects, "open", lambda: Nomination.objects.none())
    with pytest.raises(ValidationError) as excinfo:
        NominationFactory(created_by=creator, iin=first.iin)
    assert errors_of(excinfo) == {
        "iin": ["This candidate already has an open nomination to Assembly of the People of Kazakhstan."]
    }


def test_submission_checks_the_duplicates_again(creator):
    nomination = NominationFactory(created_by=creator)
    MembershipFactory(person=PersonFactory(iin=nomination.iin, birth_date=D(1980, 2, 3), gender="male"))
    before = snapshot(nomination)
    with pytest.raises(ValidationError) as excinfo:
        take(nomination, "submit", creator)
    assert set(errors_of(excinfo)) == {"iin"}
    assert snapshot(nomination) == before


# Editing.


def test_the_office_edits_a_draft_and_each_edit_is_a_new_version(creator):
    nomination = NominationFactory(created_by=creator)
    nomination = services.nomination_update(
        nomination=nomination, user=creator, version=1, position_ru="Учитель", documents=[("consent", upload())]
    )
    nomination.refresh_from_db()
    assert (nomination.position_ru, nomination.version, nomination.documents.count()) == ("Учитель", 2, 2)
    assert nomination.history.count() == 2


def test_an_edit_from_a_stale_copy_is_refused(creator):
    nomination = NominationFactory(created_by=creator)
    services.nomination_update(nomination=nomination, user=regional_office_user("75"), version=1, phone="+7 701")
    with pytest.raises(StaleNominationError) as excinfo:
        services.nomination_update(nomination=nomination, user=creator, version=1, phone="+7 702")
    assert excinfo.value.code == "stale"
    assert excinfo.value.messages == [
        "The nomination has been changed by someone else since you opened it (it is now “draft”). "
        "Reload it and try again."
    ]
    assert Nomination.objects.get(pk=nomination.pk).phone == "+7 701"


@pytest.mark.parametrize("role", ["other_office", "editor", "viewer", "staff_without_group", "nobody", "anonymous"])
def test_only_the_region_s_office_edits(users, creator, role):
    nomination = NominationFactory(created_by=creator)
    with pytest.raises(NominationPermissionDenied):
        services.nomination_update(nomination=nomination, user=users[role], version=1, phone="+7 701")
    assert Nomination.objects.get(pk=nomination.pk).phone == ""


@pytest.mark.parametrize("status", ["submitted", "resubmitted", "accepted", "approved", "withdrawn"])
def test_only_a_draft_or_returned_nomination_is_edited(creator, editor, status):
    nomination = at(status, creator=creator, editor=editor)
    with pytest.raises(ValidationError) as excinfo:
        services.nomination_update(nomination=nomination, user=creator, version=nomination.version, phone="+7")
    assert excinfo.value.code == "not_editable"
    returned = at("returned", creator=creator, editor=editor)
    returned = services.nomination_update(nomination=returned, user=creator, version=returned.version, phone="+7")
    assert returned.phone == "+7"


def test_documents_are_added_and_removed_while_editable(creator, django_capture_on_commit_callbacks):
    nomination = NominationFactory(created_by=creator)
    added = services.nomination_document_add(
        nomination=nomination, user=creator, kind="curriculum_vitae", file=upload("cv.png", image_bytes())
    )
    assert added.content_type == "image/png"
    stored = added.file.path
    assert os.path.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_document_remove(document=added, user=creator)
    assert not NominationDocument.objects.filter(pk=added.pk).exists()
    nomination = take(nomination, "submit", creator)
    with pytest.raises(ValidationError):
        services.nomination_document_add(nomination=nomination, user=creator, kind="other", file=upload())
    with pytest.raises(NominationPermissionDenied):
        services.nomination_document_add(
            nomination=nomination, user=regional_office_user("11"), kind="other", file=upload()
        )
    assert nomination.documents.count() == 1
    assert not os.path.exists(stored)


def test_a_removed_document_s_file_goes_only_after_the_commit(creator, django_capture_on_commit_callbacks):
    nomination = NominationFactory(created_by=creator)
    document = nomination.documents.get()
    path = document.file.path
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.nomination_document_remove(document=document, user=creator)
    assert os.path.exists(path)
    callbacks[0]()
    assert not os.path.exists(path)


def test_a_document_of_a_step_stays(creator, editor):
    nomination = at("returned", creator=creator, editor=editor)
    nomination = take(nomination, "resubmit", creator, comment="Түзетілді", documents=[("other", upload())])
    nomination = take(nomination, "return", editor, comment="Тағы да")
    document = nomination.documents.get(event__action="resubmit")
    with pytest.raises(ValidationError, match="stays in the record"):
        services.nomination_document_remove(document=document, user=creator)


# The procedure: every step, every role ---------------------------------------------------------


STEPS = sorted(TRANSITIONS)


def designated(users, creator, transition):
    return creator if transition.actor == Actor.REGIONAL_OFFICE else users["editor"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("track", "action"), STEPS, ids=[f"{track}-{action}" for track, action in STEPS])
def test_each_step_is_taken_only_by_its_role(users, creator, track, action, role):
    transition = TRANSITIONS[(track, action)]
    source = min(transition.sources, key=lambda status: len(nomination_path(track, status)))
    nomination = at(source, track=track, creator=creator, editor=users["editor"])
    arguments = step_arguments(nomination, transition)
    user = users[role]
    allowed = role == ("office" if transition.actor == Actor.REGIONAL_OFFICE else "editor")
    if not allowed:
        if role in ("other_office", "staff_without_group", "nobody", "anonymous"):
            expected = "You have no access to this nomination."
        elif transition.actor == Actor.REGIONAL_OFFICE:
            expected = f"Only the regional office of Almaty may take this step (“{transition.label}”)."
        else:
            expected = f"Only an editor of the Secretariat may take this step (“{transition.label}”)."
        before = snapshot(nomination)
        with pytest.raises(NominationPermissionDenied) as excinfo:
            take(nomination, action, user, **arguments)
        assert excinfo.value.message == expected
        assert snapshot(nomination) == before
        return
    version = nomination.version
    nomination = take(nomination, action, user, **arguments)
    nomination.refresh_from_db()
    assert (nomination.status, nomination.version) == (transition.target, version + 1)
    event = nomination.events.latest("at", "pk")
    assert (event.action, event.from_status, event.to_status, event.actor) == (action, source, transition.target, user)
    assert event.comment == arguments.get("comment", "")
    assert nomination.status_changed_at == event.at


@pytest.mark.parametrize(("track", "action"), STEPS, ids=[f"{track}-{action}" for track, action in STEPS])
def test_each_step_is_taken_from_each_of_its_statuses(users, creator, track, action):
    transition = TRANSITIONS[(track, action)]
    for source in sorted(transition.sources):
        nomination = at(source, track=track, creator=creator, editor=users["editor"])
        user = designated(users, creator, transition)
        nomination = take(nomination, action, user, **step_arguments(nomination, transition))
        assert nomination.status == transition.target, source


@pytest.mark.parametrize(
    ("track", "status"),
    [(track, status) for track, statuses in TRACK_STATUSES.items() for status in statuses],
)
def test_a_step_from_a_status_it_does_not_start_from_is_refused(users, creator, track, status):
    nomination = at(status, track=track, creator=creator, editor=users["editor"])
    refused = [(action, t) for (step_track, action), t in TRANSITIONS.items() if step_track == track]
    refused = [(action, t) for action, t in refused if status not in t.sources]
    assert refused
    before = snapshot(nomination)
    for action, transition in refused:
        with pytest.raises(ValidationError) as excinfo:
            take(nomination, action, designated(users, creator, transition), **step_arguments(nomination, transition))
        assert excinfo.value.code == "wrong_status", action
        assert excinfo.value.messages == [
            f"A nomination that is “{S(status).label}” cannot take this step (“{transition.label}”)."
        ]
        assert snapshot(nomination) == before, action


def test_a_step_of_the_other_track_does_not_exist(creator, editor):
    national = at("recommended", creator=creator, editor=editor)
    with pytest.raises(ValidationError) as excinfo:
        take(national, "session_support", creator)
    assert errors_of(excinfo) == {
        "action": ["There is no step “session_support” for a nomination to the Assembly of the People of Kazakhstan."]
    }
    regional = at("submitted", track="regional", creator=creator)
    with pytest.raises(ValidationError) as excinfo:
        take(regional, "accept", editor)
    assert set(errors_of(excinfo)) == {"action"}


def test_the_available_steps_follow_the_role_and_status(users, creator):
    nomination = at("submitted", creator=creator, editor=users["editor"])
    available = {
        role: [t.action for t in services.available_transitions(user=users[role], nomination=nomination)]
        for role in ROLES
    }
    assert available == {
        "office": ["withdraw"],
        "other_office": [],
        "editor": ["return", "accept"],
        "viewer": [],
        "staff_without_group": [],
        "nobody": [],
        "anonymous": [],
    }
    regional = at("submitted", track="regional", creator=creator)
    assert [t.action for t in services.available_transitions(user=creator, nomination=regional)] == [
        "return",
        "recommend",
        "not_recommend",
        "withdraw",
    ]
    assert services.available_transitions(user=users["editor"], nomination=regional) == []


# Stale steps.


def test_a_step_from_a_stale_copy_is_refused_and_changes_nothing(creator, editor):
    nomination = at("submitted", creator=creator, editor=editor)
    loaded = Nomination.objects.get(pk=nomination.pk)
    take(nomination, "return", editor, comment="Шешімнің көшірмесі оқылмайды")
    before = snapshot(nomination)
    with pytest.raises(StaleNominationError) as excinfo:
        take(loaded, "accept", secretariat_user())
    assert excinfo.value.messages == [
        "The nomination has been changed by someone else since you opened it (it is now “returned for revision”). "
        "Reload it and try again."
    ]
    assert snapshot(nomination) == before


def test_an_edit_makes_a_loaded_copy_stale_for_a_step(creator):
    nomination = NominationFactory(created_by=creator)
    loaded = Nomination.objects.get(pk=nomination.pk)
    services.nomination_update(nomination=nomination, user=creator, version=1, phone="+7 701")
    with pytest.raises(StaleNominationError):
        take(loaded, "submit", creator)
    assert Nomination.objects.get(pk=nomination.pk).status == "draft"


def test_a_withdrawal_from_a_stale_copy_is_refused(creator, editor):
    nomination = at("accepted", creator=creator, editor=editor)
    stale = Nomination.objects.get(pk=nomination.pk)
    advance_nomination(nomination, "recommended", secretariat=editor)
    with pytest.raises(StaleNominationError):
        take(stale, "withdraw", creator, comment="Бас тартты")
    assert Nomination.objects.get(pk=nomination.pk).status == "recommended"


# What the steps need.


def test_submission_needs_the_nominating_decision(creator):
    nomination = NominationFactory(created_by=creator, documents=[("consent", upload())])
    with pytest.raises(ValidationError) as excinfo:
        take(nomination, "submit", creator)
    assert errors_of(excinfo) == {"documents": ["Attach the nominating decision (a PDF, JPEG or PNG file)."]}
    nomination = take(nomination, "submit", creator, documents=[("decision", upload())])
    assert nomination.status == "submitted"
    assert nomination.documents.get(kind="decision").event.action == "submit"
    assert nomination.submitted_at == nomination.status_changed_at


@pytest.mark.parametrize(
    ("status", "action", "message"),
    [
        ("submitted", "return", "Give the reasons for returning the nomination."),
        ("returned", "resubmit", "Answer the reasons the nomination was returned for."),
        ("accepted", "not_recommend", "Give the council's reasons."),
        ("sent_to_president", "reject", "Give the reasons for the rejection."),
        ("accepted", "withdraw", "Give the reason for withdrawing the nomination."),
    ],
)
def test_steps_that_need_a_comment(creator, editor, status, action, message):
    nomination = at(status, creator=creator, editor=editor)
    transition = TRANSITIONS[("national", action)]
    arguments = {**step_arguments(nomination, transition), "comment": "   "}
    before = snapshot(nomination)
    with pytest.raises(ValidationError) as excinfo:
        take(nomination, action, designated({"editor": editor}, creator, transition), **arguments)
    assert errors_of(excinfo) == {"comment": [message]}
    assert snapshot(nomination) == before


def test_a_step_does_not_take_what_it_does_not_need(creator, editor):
    nomination = at("draft", creator=creator)
    with pytest.raises(ValidationError) as excinfo:
        take(nomination, "submit", creator, council_meeting=MeetingFactory(), decree_number="1")
    assert errors_of(excinfo) == {
        "council_meeting": ["This step does not take this value."],
        "decree_number": ["This step does not take this value."],
    }


def test_the_council_meeting_must_be_a_held_meeting_of_the_council_after_submission(creator, editor):
    nomination = at("accepted", creator=creator, editor=editor)
    today = timezone.localdate()
    council = national_body("council")
    wrong = {
        "Choose a meeting of Council of the Assembly of the People of Kazakhstan.": [
            MeetingFactory(body=national_body("almaty-council"), start_date=today),
            MeetingFactory(body=national_body("assembly"), start_date=today),
        ],
        "This meeting has not been held: choose a held meeting.": [
            MeetingFactory(body=council, start_date=today, status="planned"),
            MeetingFactory(body=council, start_date=today, status="cancelled"),
        ],
        f"This meeting was held before {today:%d.%m.%Y}: choose a later one.": [
            MeetingFactory(body=council, start_date=today - datetime.timedelta(days=1)),
        ],
    }
    before = snapshot(nomination)
    for message, meetings in wrong.items():
        for meeting in meetings:
            with pytest.raises(ValidationError) as excinfo:
                take(nomination, "recommend", editor, council_meeting=meeting)
            assert errors_of(excinfo) == {"council_meeting": [message]}
    with pytest.raises(ValidationError) as excinfo:
        take(nomination, "recommend", editor)
    assert errors_of(excinfo) == {"council_meeting": ["Choose the council meeting that considered the nomination."]}
    assert snapshot(nomination) == before
    # A meeting of several days that ends on the day of submission counts.
    meeting = MeetingFactory(body=council, start_date=today - datetime.timedelta(days=1), end_date=today)
    assert take(nomination, "recommend", editor, council_meeting=meeting).council_meeting == meeting


def test_the_regional_steps_need_the_region_s_council_and_session(creator):
    nomination = at("submitted", track="regional", creator=creator)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as excinfo:
        take(nomination, "recommend", creator, council_meeting=MeetingFactory(start_date=today))
    assert errors_of(excinfo) == {
        "council_meeting": ["Choose a meeting of Council of the Assembly of the People of Kazakhstan of Almaty."]
    }
    nomination = take(
        nomination,
        "recommend",
        creator,
        council_meeting=MeetingFactory(body=national_body("almaty-council"), start_date=today),
    )
    with pytest.raises(ValidationError) as excinfo:
        take(
            nomination,
            "session_support",
            creator,
            session_meeting=MeetingFactory(body=national_body("akmola-region-assembly"), start_date=today),
        )
    assert errors_of(excinfo) == {
        "session_meeting": ["Choose a meeting of Assembly of the People of Kazakhstan of Almaty."]
    }
    session = MeetingFactory(body=national_body("almaty-assembly"), start_date=today)
    nomination = take(nomination, "session_support", creator, session_meeting=session)
    assert (nomination.status, nomination.session_meeting) == ("session_supported", session)


def test_the_decree_needs_a_number_and_a_plausible_date(creator, editor):
    nomination = at("sent_to_president", creator=creator, editor=editor)
    today = timezone.localdate()
    before = snapshot(nomination)
    cases = [
        (
            {},
            {
                "decree_number": ["Give the number of the act of the decision."],
                "decree_date": ["Give the date of the act of the decision."],
            },
        ),
        (
            {"decree_number": "77", "decree_date": today + datetime.timedelta(days=1)},
            {"decree_date": ["The act of the decision cannot be dated in the future."]},
        ),
        (
            {"decree_number": "77", "decree_date": today - datetime.timedelta(days=1)},
            {
                "decree_date": [
                    f"The act of the decision cannot be dated before the nomination was submitted ({today:%d.%m.%Y})."
                ]
            },
        ),
        (
            {"decree_number": "77", "decree_date": today, "start_date": today - datetime.timedelta(days=1)},
            {"start_date": ["The membership cannot begin before the act of the decision."]},
        ),
    ]
    for arguments, errors in cases:
        with pytest.raises(ValidationError) as excinfo:
            take(nomination, "approve", editor, **arguments)
        assert errors_of(excinfo) == errors
    assert snapshot(nomination) == before


# Approval -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "basis"),
    [
        (Association.Kind.ETHNOCULTURAL, Membership.Basis.ETHNOCULTURAL),
        (Association.Kind.PUBLIC, Membership.Basis.PUBLIC_ASSOCIATION),
        (Association.Kind.STATE_BODY, Membership.Basis.STATE_BODY),
    ],
)
def test_approval_appoints_the_candidate_once_through_the_register(creator, editor, kind, basis):
    association = AssociationFactory(
        kind=kind, **({} if kind == Association.Kind.ETHNOCULTURAL else {"ethnic_group": None})
    )
    nomination = at(
        "sent_to_president",
        creator=creator,
        editor=editor,
        nominating_association=association,
        surname="Тоқаев",
        position_ru="Учитель",
        ethnicity_public=True,
    )
    today = timezone.localdate()
    nomination = take(nomination, "approve", editor, decree_number="1047", decree_date=today)
    nomination.refresh_from_db()
    membership = nomination.membership
    assert (membership.body.slug, membership.post.role, membership.basis, membership.on_behalf_of) == (
        "assembly",
        Post.Role.MEMBER,
        basis,
        association,
    )
    assert (membership.start_date, membership.end_date) == (today, None)
    act = membership.appointed_by
    assert act == nomination.decree
    assert (act.kind, act.number, act.date, act.issuer) == (
        "decree",
        "1047",
        today,
        "Қазақстан Республикасының Президенті",
    )
    person = membership.person
    assert person == nomination.person
    assert (person.iin, person.surname, person.surname_latin, person.birth_date, person.gender) == (
        nomination.iin,
        "Тоқаев",
        "Toqaev",
        D(1980, 2, 3),
        "male",
    )
    assert (person.position_kk, person.position_ru, person.ethnicity_public) == ("Мұғалім", "Учитель", True)
    assert Membership.objects.current().filter(person=person, body=national_body("assembly")).count() == 1
    assert Membership.objects.count() == 1


def test_approval_without_an_association_appoints_a_public_figure(creator, editor):
    nomination = at("sent_to_president", creator=creator, editor=editor, basis="council", nominating_association=None)
    nomination = take(nomination, "approve", editor, decree_number="5", decree_date=timezone.localdate())
    assert (nomination.membership.basis, nomination.membership.on_behalf_of) == ("public_figure", None)


def test_approval_of_a_person_in_the_register_appoints_that_person(creator, editor):
    person = PersonFactory(birth_date=D(1980, 2, 3), gender="male", surname="Бұрынғы")
    nomination = at("sent_to_president", creator=creator, editor=editor, iin=person.iin, surname="Жаңа")
    persons = Person.objects.count()
    nomination = take(nomination, "approve", editor, decree_number="6", decree_date=timezone.localdate())
    assert nomination.membership.person == person
    assert Person.objects.count() == persons
    person.refresh_from_db()
    assert person.surname == "Бұрынғы"  # the register is not rewritten by a nomination


def test_approving_twice_appoints_once(creator, editor):
    nomination = at("sent_to_president", creator=creator, editor=editor)
    stale = Nomination.objects.get(pk=nomination.pk)
    approved = take(nomination, "approve", editor, decree_number="7", decree_date=timezone.localdate())
    with pytest.raises(ValidationError) as excinfo:
        take(approved, "approve", editor, decree_number="7", decree_date=timezone.localdate())
    assert excinfo.value.code == "wrong_status"
    with pytest.raises(StaleNominationError):
        take(stale, "approve", secretariat_user(), decree_number="7", decree_date=timezone.localdate())
    assert Membership.objects.count() == 1
    assert NominationEvent.objects.filter(action="approve").count() == 1


def test_one_decree_approves_several_candidates(creator, editor):
    today = timezone.localdate()
    first = at("sent_to_president", creator=creator, editor=editor)
    second = at("sent_to_president", creator=creator, editor=editor)
    first = take(first, "approve", editor, decree_number="100", decree_date=today)
    second = take(second, "approve", editor, decree_number="100", decree_date=today)
    assert first.decree == second.decree
    assert LegalAct.objects.filter(number="100").count() == 1


def test_a_refusal_by_the_register_changes_nothing(creator, editor):
    nomination = at("sent_to_president", creator=creator, editor=editor)
    # Appointed meanwhile by another door: the register refuses a second, overlapping membership.
    person = PersonFactory(iin=nomination.iin, birth_date=D(1980, 2, 3), gender="male")
    MembershipFactory(person=person, body=national_body("assembly"), start_date=timezone.localdate())
    before = snapshot(nomination)
    with pytest.raises(ValidationError) as excinfo:
        take(nomination, "approve", editor, decree_number="8", decree_date=timezone.localdate())
    assert excinfo.value.code == "appointment"
    assert excinfo.value.messages == [
        "The register cannot appoint the candidate: This person already has a membership of this body in that period."
    ]
    assert snapshot(nomination) == before
    assert not LegalAct.objects.filter(number="8").exists()


def test_the_akim_s_order_appoints_a_regional_member(creator):
    association = AssociationFactory(level="regional", region=national_body("almaty-assembly").region)
    nomination = at("session_supported", track="regional", creator=creator, nominating_association=association)
    today = timezone.localdate()
    nomination = take(nomination, "approve", creator, decree_number="45-ө", decree_date=today)
    membership = nomination.membership
    assert (membership.body.slug, membership.basis, membership.on_behalf_of) == (
        "almaty-assembly",
        "ethnocultural",
        association,
    )
    assert (nomination.decree.kind, nomination.decree.number, nomination.decree.issuer) == (
        "order",
        "45-ө",
        "Алматы қаласы әкімі",
    )
    assert membership in Membership.objects.current()


def test_a_rejection_may_record_the_decree(creator, editor):
    nomination = at("sent_to_president", creator=creator, editor=editor)
    with pytest.raises(ValidationError) as excinfo:
        take(nomination, "reject", editor, comment="Президент қабылдамады", decree_number="9")
    assert errors_of(excinfo) == {"decree_date": ["Give the date of the act of the decision."]}
    nomination = take(
        nomination,
        "reject",
        editor,
        comment="Президент қабылдамады",
        decree_number="9",
        decree_date=timezone.localdate(),
    )
    assert (nomination.status, nomination.decree.number, nomination.membership) == ("rejected", "9", None)
    assert not Membership.objects.exists()


# Withdrawal.


@pytest.mark.parametrize(
    ("track", "status"),
    [(track, status) for track, statuses in TRACK_STATUSES.items() for status in statuses],
)
def test_the_region_withdraws_only_before_the_decision(creator, editor, track, status):
    nomination = at(status, track=track, creator=creator, editor=editor)
    open_before_decision = status in Nomination.OPEN_STATUSES
    if open_before_decision:
        nomination = take(nomination, "withdraw", creator, comment="Кандидат бас тартты")
        assert nomination.status == "withdrawn"
        assert nomination.events.latest("at", "pk").comment == "Кандидат бас тартты"
    else:
        with pytest.raises(ValidationError) as excinfo:
            take(nomination, "withdraw", creator, comment="Кеш")
        assert excinfo.value.code == "wrong_status"


# Notifications --------------------------------------------------------------------------------


def test_a_change_of_status_notifies_the_region_s_office_and_the_secretariat(
    users, creator, django_capture_on_commit_callbacks
):
    inactive = secretariat_user("Secretariat viewer", is_active=False)
    silent = regional_office_user("75", email="")
    nomination = NominationFactory(created_by=creator)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        take(nomination, "submit", creator)
    assert len(callbacks) == 1
    notified = set(Notification.objects.values_list("user", flat=True))
    assert notified == {users["office"].pk, silent.pk, users["editor"].pk, users["viewer"].pk}
    assert inactive.pk not in notified and creator.pk not in notified
    notification = Notification.objects.get(user=users["editor"])
    event = nomination.events.get(action="submit")
    assert (notification.nomination, notification.event, notification.read_at) == (nomination, event, None)
    assert str(nomination.pk) in notification.message and nomination.candidate_name in notification.message
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [users["office"].email, users["editor"].email, users["viewer"].email]
    )
    assert all(message.body == notification.message for message in mail.outbox)


def test_the_message_names_the_nomination_the_step_and_the_comment(
    creator, editor, settings, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = "en"
    nomination = at("submitted", creator=creator, editor=editor)
    editor.first_name, editor.last_name = "Aigul", "Seitkali"
    editor.save()
    with django_capture_on_commit_callbacks(execute=True):
        take(nomination, "return", editor, comment="The decision is unreadable.")
    notification = Notification.objects.filter(user=creator, event__action="return").get()
    assert notification.message.startswith(
        f"Nomination No. {nomination.pk} ({nomination.candidate_name}, Almaty) is now “returned for revision” "
        "(it was “submitted”): return for revision, by Aigul Seitkali on "
    )
    assert notification.message.endswith("\n\nComment: The decision is unreadable.")
    assert mail.outbox[-1].subject == f"Nomination No. {nomination.pk} is now “returned for revision”"


def test_nothing_is_notified_or_sent_when_the_step_is_refused(creator, editor, django_capture_on_commit_callbacks):
    nomination = NominationFactory(created_by=creator)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(PermissionDenied):
        take(nomination, "submit", editor)
    assert (callbacks, Notification.objects.count(), mail.outbox) == ([], 0, [])


def test_another_region_hears_nothing(creator, editor):
    other = regional_office_user("11")
    at("submitted", creator=creator, editor=editor)
    assert not Notification.objects.filter(user=other).exists()


def test_a_mail_server_that_is_down_does_not_undo_the_step(
    creator, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    secretariat_user()

    class Down:
        def send_messages(self, messages):
            raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(services, "get_connection", lambda: Down())
    nomination = NominationFactory(created_by=creator)
    with caplog.at_level(logging.ERROR, logger="regional.services"), django_capture_on_commit_callbacks(execute=True):
        take(nomination, "submit", creator)
    assert Nomination.objects.get(pk=nomination.pk).status == "submitted"
    assert "Could not send 1 nomination e-mail(s)" in caplog.text


def test_notifications_are_marked_read_by_their_owner_only(users, creator):
    at("submitted", creator=creator)
    notification = Notification.objects.get(user=users["editor"])
    with pytest.raises(PermissionDenied):
        services.notification_mark_read(notification=notification, user=users["viewer"])
    assert Notification.objects.get(pk=notification.pk).read_at is None
    services.notification_mark_read(notification=notification, user=users["editor"])
    read_at = Notification.objects.get(pk=notification.pk).read_at
    assert read_at is not None
    services.notification_mark_read(notification=notification, user=users["editor"])
    assert Notification.objects.get(pk=notification.pk).read_at == read_at
    assert services.notifications_mark_all_read(user=users["viewer"]) == 1
    assert not Notification.objects.filter(user=users["viewer"], read_at__isnull=True).exists()


def test_a_user_moved_to_another_region_follows_it(creator):
    nomination = NominationFactory(created_by=creator)
    user = regional_office_user("75")
    assert services.available_transitions(user=user, nomination=nomination)
    services.regional_office_user_set(user=user, region=region("11"))
    assert services.available_transitions(user=user, nomination=nomination) == []
