"""Reads of nominations: region scoping for every role, the history, the documents, the
Secretariat's dashboard and the notifications, with pinned query counts."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from regional import selectors, services
from regional.models import Nomination
from tests.factories import (
    NominationFactory,
    advance_nomination,
    regional_office_user,
    secretariat_user,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.fixture
def almaty_office():
    return regional_office_user("75")


@pytest.fixture
def akmola_office():
    return regional_office_user("11")


@pytest.fixture
def editor():
    return secretariat_user("Secretariat editor")


@pytest.fixture
def nominations(almaty_office, akmola_office, editor):
    """Two nominations of Almaty city (one submitted) and one of Akmola Region."""
    almaty_draft = NominationFactory(created_by=almaty_office)
    almaty_submitted = advance_nomination(NominationFactory(created_by=almaty_office), "submitted")
    akmola = NominationFactory(created_by=akmola_office, track="regional")
    return {"almaty": [almaty_draft, almaty_submitted], "akmola": [akmola]}


def fresh(user):
    """The same user as a new request would load it (no roles cached)."""
    if isinstance(user, AnonymousUser):
        return AnonymousUser()
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def users(almaty_office, akmola_office, editor):
    User = get_user_model()
    return {
        "almaty_office": almaty_office,
        "akmola_office": akmola_office,
        "editor": editor,
        "viewer": secretariat_user("Secretariat viewer"),
        "inactive_viewer": secretariat_user("Secretariat viewer", is_active=False),
        "staff_without_group": User.objects.create_user("staff-only", is_staff=True),
        "viewer_group_not_staff": secretariat_user("Secretariat viewer", is_staff=False),
        "nobody": User.objects.create_user("citizen"),
        "anonymous": AnonymousUser(),
    }


def test_each_role_sees_only_its_nominations(users, nominations):
    almaty = {n.pk for n in nominations["almaty"]}
    akmola = {n.pk for n in nominations["akmola"]}
    expected = {
        "almaty_office": almaty,
        "akmola_office": akmola,
        "editor": almaty | akmola,
        "viewer": almaty | akmola,
        "inactive_viewer": set(),
        "staff_without_group": set(),
        "viewer_group_not_staff": set(),
        "nobody": set(),
        "anonymous": set(),
    }
    seen = {
        role: set(selectors.nominations_visible_to(user=fresh(user)).values_list("pk", flat=True))
        for role, user in users.items()
    }
    assert seen == expected


def test_documents_are_scoped_like_their_nominations(users, nominations):
    almaty_documents = {d.pk for n in nominations["almaty"] for d in n.documents.all()}
    assert len(almaty_documents) == 2
    visible = {
        role: {d.pk for d in selectors.nomination_documents_visible_to(user=fresh(user))}
        for role, user in users.items()
    }
    assert visible["almaty_office"] == almaty_documents
    assert not visible["akmola_office"] & almaty_documents
    assert visible["viewer"] >= almaty_documents
    assert visible["nobody"] == visible["anonymous"] == visible["staff_without_group"] == set()


@pytest.mark.parametrize(("role", "queries"), [("almaty_office", 2), ("editor", 2), ("anonymous", 0)])
def test_the_list_has_a_fixed_number_of_queries(users, nominations, django_assert_num_queries, role, queries):
    """The roles and the list itself, however long."""

    def read():
        user = fresh(users[role])
        with django_assert_num_queries(queries):
            return [
                (n.region.name, n.target_body.name, n.nominating_association.name, n.person, n.get_status_display())
                for n in selectors.nomination_list(user=user)
            ]

    first = read()
    for _ in range(3):
        NominationFactory(created_by=users["almaty_office"])
    second = read()
    if role == "anonymous":
        assert first == second == []
    else:
        assert len(second) == len(first) + 3


def test_the_history_lists_every_step_with_its_documents_in_two_queries(
    almaty_office, editor, django_assert_num_queries
):
    nomination = advance_nomination(NominationFactory(created_by=almaty_office), "returned", secretariat=editor)
    nomination = services.nomination_transition(
        nomination=nomination,
        user=almaty_office,
        action="resubmit",
        version=nomination.version,
        comment="Түзетілді",
        documents=[("decision", upload()), ("other", upload("letter.pdf"))],
    )
    with django_assert_num_queries(2):
        history = [
            (event.action, event.actor.username, [d.original_name for d in event.documents.all()])
            for event in selectors.nomination_history(nomination=nomination)
        ]
    assert history == [
        ("create", almaty_office.username, []),
        ("submit", almaty_office.username, []),
        ("return", editor.username, []),
        ("resubmit", almaty_office.username, ["decision.pdf", "letter.pdf"]),
    ]


def test_the_dashboard_counts_by_region_and_status(users, nominations, django_assert_num_queries):
    viewer = fresh(users["viewer"])
    with django_assert_num_queries(4):  # one for the roles, three for the dashboard
        dashboard = selectors.nomination_dashboard(user=viewer)
    rows = {row.region.kato: row for row in dashboard.rows}
    assert len(rows) == 20
    assert (rows["75"].counts["draft"], rows["75"].counts["submitted"], rows["75"].total) == (1, 1, 2)
    assert (rows["11"].counts["draft"], rows["11"].total) == (1, 1)
    assert rows["10"].total == 0
    assert dashboard.totals["draft"] == 2 and dashboard.totals["submitted"] == 1
    assert [status for status, _label in dashboard.statuses] == Nomination.Status.values


def test_the_dashboard_shows_how_long_each_open_nomination_has_waited(users, nominations, almaty_office):
    withdrawn = NominationFactory(created_by=almaty_office)
    services.nomination_transition(
        nomination=withdrawn, user=almaty_office, action="withdraw", version=1, comment="Бас тартты"
    )
    oldest, newest = nominations["almaty"]
    Nomination.objects.filter(pk=oldest.pk).update(status_changed_at=timezone.now() - datetime.timedelta(days=9))
    now = timezone.now()
    dashboard = selectors.nomination_dashboard(user=fresh(users["editor"]), now=now)
    waiting = {n.pk: n.waiting for n in dashboard.waiting}
    assert withdrawn.pk not in waiting
    assert set(waiting) == {n.pk for group in nominations.values() for n in group}
    assert dashboard.waiting[0].pk == oldest.pk
    assert datetime.timedelta(days=9) <= waiting[oldest.pk] < datetime.timedelta(days=9, minutes=1)
    assert waiting[newest.pk] == now - Nomination.objects.get(pk=newest.pk).status_changed_at


def test_a_regional_office_s_dashboard_is_its_region_s(users, nominations):
    dashboard = selectors.nomination_dashboard(user=fresh(users["akmola_office"]))
    assert [row.region.kato for row in dashboard.rows] == ["11"]
    assert [n.pk for n in dashboard.waiting] == [nominations["akmola"][0].pk]
    nobody = selectors.nomination_dashboard(user=AnonymousUser())
    assert (nobody.rows, nobody.waiting) == ([], [])


def test_notifications_are_the_user_s_own(users, nominations):
    editor, viewer = users["editor"], users["viewer"]
    # The submitted nomination notified the Secretariat once.
    assert [n.nomination for n in selectors.notifications_of(user=viewer)] == [nominations["almaty"][1]]
    notification = selectors.notifications_of(user=editor).get()
    services.notification_mark_read(notification=notification, user=editor)
    assert not selectors.notifications_of(user=editor, unread_only=True).exists()
    assert selectors.notifications_of(user=editor).count() == 1
    assert not selectors.notifications_of(user=users["akmola_office"]).exists()
    assert not selectors.notifications_of(user=AnonymousUser()).exists()
