"""Integrity under concurrency: two people doing the same thing at the same moment, on two
real database connections (a thread each). Exactly one succeeds; the other gets a clear
error, never a 500, a duplicate or a half-written change.

Elsewhere, on the same pattern:

- two appointments to the last free seat of a post:
  ``tests/members/test_services.py::test_two_connections_cannot_both_take_the_last_seat``;
- two approvals of one nomination (and an approval against a withdrawal, two offices
  nominating one candidate, one new decree approving two candidates):
  ``tests/regional/test_nominations_concurrency.py``.

Here: two appointments to a single-seat post, two imports of the same file in the staff
admin (persons, then memberships), and two callers registering the same new legal act.
Each test holds the first transaction open for a moment after its checks, so that without
the protection both would pass them.
"""

import datetime
import io
import time

import pytest
import tablib
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assembly.models import LegalAct, Post
from members import resources, services
from members.models import Membership, Person
from tests.concurrency import at_the_same_moment, slow_down
from tests.factories import (
    BodyFactory,
    LegalActFactory,
    PersonFactory,
    PostFactory,
    national_body,
    next_iin,
    secretariat_user,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

D = datetime.date


# Two appointments to a single-seat post ------------------------------------------------------


def test_two_appointments_to_a_single_seat_post_at_once_appoint_one(monkeypatch):
    post = PostFactory(body=BodyFactory(), role=Post.Role.CHAIRMAN, seats=1)
    candidates, act = [PersonFactory(), PersonFactory()], LegalActFactory()
    slow_down(monkeypatch, services, "_check_seats")

    def appoint(person):
        return lambda: services.membership_appoint(
            person=person,
            body=post.body,
            post=post,
            basis=Membership.Basis.PUBLIC_FIGURE,
            start_date=D(2024, 3, 1),
            appointed_by=act,
        )

    outcomes = at_the_same_moment(*(appoint(person) for person in candidates))

    appointed = [outcome for outcome in outcomes if isinstance(outcome, Membership)]
    refused = [outcome for outcome in outcomes if not isinstance(outcome, Membership)]
    assert len(appointed) == 1 and len(refused) == 1
    assert isinstance(refused[0], ValidationError), refused[0]
    single_seat = next(c for c in Membership._meta.constraints if c.name == "membership_single_seat_one_holder")
    with translation.override(settings.LANGUAGE_CODE):  # the threads speak the default language
        assert refused[0].messages == [single_seat.get_violation_error_message()]
    assert Membership.objects.filter(post=post).get() == appointed[0]


# Two imports of the same file ----------------------------------------------------------------


def admin_url(name: str) -> str:
    with translation.override("en"):
        return reverse(f"admin:{name}")


def csv_upload(headers: list[str], rows: list[list]) -> io.BytesIO:
    upload = io.BytesIO(tablib.Dataset(*rows, headers=headers).export("csv").encode())
    upload.name = "register.csv"
    return upload


def previewed(model: str, headers: list[str], rows: list[list]):
    """An editor's client that has uploaded the file and seen a clean preview, and the
    confirmation it would post."""
    client = Client()
    client.force_login(secretariat_user("Secretariat editor"))
    response = client.post(
        admin_url(f"members_{model}_import"),
        {"import_file": csv_upload(headers, rows), "format": "0", "resource": "0"},
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    return client, response.context["confirm_form"].initial


def confirm_both(model: str, headers: list[str], rows: list[list]) -> list[tuple[int, str, list[str]]]:
    """Two editors preview the same file one after the other, then confirm it at the same
    moment; for each: the status of the answer, where it sends them, and the messages
    shown there."""
    confirmations = [previewed(model, headers, rows) for _editor in range(2)]
    url = admin_url(f"members_{model}_process_import")
    responses = at_the_same_moment(*(lambda c=client, d=data: c.post(url, d) for client, data in confirmations))
    answers = []
    for (client, _data), response in zip(confirmations, responses, strict=True):
        assert not isinstance(response, Exception), response
        shown = [str(message) for message in get_messages(client.get(response["Location"]).wsgi_request)]
        answers.append((response.status_code, response["Location"], shown))
    return answers


REFUSAL = "Someone else is importing the same file at this moment."


def assert_imported_once(answers, model_plural: str) -> None:
    """One import went through; the other was sent back to the import page, told why."""
    imported = [answer for answer in answers if answer[1] == admin_url(f"members_{model_plural}_changelist")]
    refused = [answer for answer in answers if answer[1] == admin_url(f"members_{model_plural}_import")]
    assert len(imported) == 1 and len(refused) == 1, answers
    assert {status for status, _location, _shown in answers} == {302}
    assert imported[0][2] == [f"Import finished: 2 new, 0 updated, 0 deleted and 0 skipped {model_plural}s."]
    (shown,) = refused[0][2]
    assert shown.startswith(REFUSAL), shown


PERSON_HEADERS = ["surname", "given_name", "gender", "iin", "birth_date"]


def test_two_imports_of_the_same_persons_file_at_once_import_it_once(monkeypatch):
    iins = [next_iin(D(1971, 3, 2), "male"), next_iin(D(1980, 5, 6), "female")]
    rows = [
        ["Серіков", "Дәулет", "male", iins[0], "02.03.1971"],
        ["Омарова", "Гүлнар", "female", iins[1], "06.05.1980"],
    ]
    slow_down(monkeypatch, resources.PersonResource, "after_import")

    answers = confirm_both("person", PERSON_HEADERS, rows)

    assert_imported_once(answers, "person")
    assert sorted(Person.objects.filter(surname__in=["Серіков", "Омарова"]).values_list("iin", flat=True)) == iins


MEMBERSHIP_HEADERS = [
    "person",
    "body",
    "basis",
    "start_date",
    "appointed_by_kind",
    "appointed_by_number",
    "appointed_by_date",
]


def test_two_imports_of_the_same_memberships_file_at_once_import_it_once(monkeypatch):
    """The file appoints two persons to the Council by a decree not registered yet."""
    persons = [PersonFactory(), PersonFactory()]
    rows = [[person.iin, "council", "public_figure", "2024-02-01", "decree", "777", "2024-01-28"] for person in persons]
    slow_down(monkeypatch, resources.MembershipResource, "after_import")

    answers = confirm_both("membership", MEMBERSHIP_HEADERS, rows)

    assert_imported_once(answers, "membership")
    council = Membership.objects.filter(body=national_body("council"))
    assert sorted(council.values_list("person_id", flat=True)) == sorted(person.pk for person in persons)
    assert LegalAct.objects.filter(number="777").count() == 1


# Two callers registering the same new act ----------------------------------------------------


def test_two_callers_registering_the_same_new_act_at_once_get_one_act(monkeypatch):
    """Both look the act up and find none; the first to insert it keeps its transaction open
    for a moment; the second's insert waits for it, fails on the unique index, and reads the
    first's row."""
    original = LegalAct.full_clean

    def slow_full_clean(act, *args, **kwargs):
        original(act, *args, **kwargs)
        time.sleep(0.3)

    monkeypatch.setattr(LegalAct, "full_clean", slow_full_clean)

    def register():
        with transaction.atomic():
            act = services.legal_act_get_or_create(kind=LegalAct.Kind.DECREE, number="1047", date=D(2024, 5, 2))
            time.sleep(0.5)
        return act

    outcomes = at_the_same_moment(register, register)

    assert all(isinstance(outcome, LegalAct) for outcome in outcomes), outcomes
    assert outcomes[0].pk == outcomes[1].pk
    assert LegalAct.objects.filter(number="1047").count() == 1
