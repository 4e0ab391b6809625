"""Two people acting on the same nomination at the same moment, on two real database
connections: the nomination's row is locked, so the second sees the first's result and is
refused as stale; the approval creates exactly one membership.

Each test holds the first transaction open after its checks (a short sleep), so that
without the lock both would pass them."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from assembly.models import LegalAct
from members.models import Membership, Person
from regional import services
from regional.models import Nomination, NominationEvent, NominationStatus
from tests.concurrency import at_the_same_moment, slow_down
from tests.factories import (
    NominationFactory,
    PersonFactory,
    advance_nomination,
    next_iin,
    regional_office_user,
    secretariat_user,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


def approve(nomination, user):
    return lambda: services.nomination_transition(
        nomination=nomination,
        user=user,
        action="approve",
        version=nomination.version,
        decree_number="1047",
        decree_date=timezone.localdate(),
    )


@pytest.mark.parametrize("in_register", [False, True], ids=["new person", "person in the register"])
def test_two_editors_approving_at_once_appoint_exactly_once(monkeypatch, in_register):
    office = regional_office_user("75")
    fields = {}
    if in_register:
        person = PersonFactory(birth_date=datetime.date(1980, 2, 3), gender="male")
        fields["iin"] = person.iin
    nomination = advance_nomination(NominationFactory(created_by=office, **fields), "sent_to_president")
    persons = Person.objects.count()
    slow_down(monkeypatch, services, "_appoint")

    outcomes = at_the_same_moment(approve(nomination, secretariat_user()), approve(nomination, secretariat_user()))

    approved = [outcome for outcome in outcomes if isinstance(outcome, Nomination)]
    refused = [outcome for outcome in outcomes if not isinstance(outcome, Nomination)]
    assert len(approved) == 1 and len(refused) == 1
    assert isinstance(refused[0], services.StaleNominationError), refused[0]
    # The threads speak the default language; the message names the status the winner left.
    with translation.override(settings.LANGUAGE_CODE):
        assert str(NominationStatus.APPROVED.label) in refused[0].messages[0]
    nomination.refresh_from_db()
    assert (nomination.status, nomination.membership) == ("approved", Membership.objects.get())
    assert Membership.objects.current().filter(person=nomination.person, body=nomination.target_body).count() == 1
    assert Person.objects.count() == persons + (0 if in_register else 1)
    assert NominationEvent.objects.filter(nomination=nomination, action="approve").count() == 1


def test_an_approval_and_a_withdrawal_at_once_one_wins(monkeypatch):
    office = regional_office_user("75")
    nomination = advance_nomination(NominationFactory(created_by=office), "sent_to_president")
    slow_down(monkeypatch, services, "_appoint")

    def withdraw():
        return services.nomination_transition(
            nomination=nomination, user=office, action="withdraw", version=nomination.version, comment="Бас тартты"
        )

    outcomes = at_the_same_moment(approve(nomination, secretariat_user()), withdraw)

    winners = [outcome for outcome in outcomes if isinstance(outcome, Nomination)]
    losers = [outcome for outcome in outcomes if not isinstance(outcome, Nomination)]
    assert len(winners) == 1 and len(losers) == 1
    assert isinstance(losers[0], services.StaleNominationError), losers[0]
    nomination.refresh_from_db()
    assert nomination.status == winners[0].status
    assert Membership.objects.count() == (1 if nomination.status == "approved" else 0)
    assert nomination.events.filter(action__in=["approve", "withdraw"]).count() == 1


def test_two_offices_nominating_the_same_candidate_at_once_create_one_nomination(monkeypatch):
    almaty, akmola = regional_office_user("75"), regional_office_user("11")
    iin = next_iin(datetime.date(1980, 2, 3), "male")
    slow_down(monkeypatch, services, "_validate_candidate")

    outcomes = at_the_same_moment(
        lambda: NominationFactory(created_by=almaty, iin=iin), lambda: NominationFactory(created_by=akmola, iin=iin)
    )

    created = [outcome for outcome in outcomes if isinstance(outcome, Nomination)]
    refused = [outcome for outcome in outcomes if not isinstance(outcome, Nomination)]
    assert len(created) == 1 and len(refused) == 1
    assert isinstance(refused[0], ValidationError), refused[0]
    assert set(refused[0].message_dict) == {"iin"}
    assert Nomination.objects.filter(iin=iin).count() == 1


def test_one_new_decree_approving_two_candidates_at_once_is_registered_once(monkeypatch):
    office = regional_office_user("75")
    first, second = (advance_nomination(NominationFactory(created_by=office), "sent_to_president") for _ in range(2))
    slow_down(monkeypatch, services, "_appoint")

    outcomes = at_the_same_moment(approve(first, secretariat_user()), approve(second, secretariat_user()))

    assert all(isinstance(outcome, Nomination) for outcome in outcomes), outcomes
    assert {outcome.status for outcome in outcomes} == {"approved"}
    assert LegalAct.objects.filter(number="1047").count() == 1
    assert Membership.objects.filter(appointed_by__number="1047").count() == 2
