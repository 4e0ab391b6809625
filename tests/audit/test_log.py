"""The audit log page of the admin: what it lists, its filters and pages, who may read it,
and a number of queries that does not grow with the changes listed."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assembly import audit, audit_admin
from members import services as member_services
from tests.audit.helpers import admin_url, client_of
from tests.factories import LegalActFactory, MembershipFactory, PersonFactory, regional_office_user

pytestmark = pytest.mark.django_db


def log_url(**query) -> str:
    url = reverse("audit-log")
    return f"{url}?{'&'.join(f'{key}={value}' for key, value in query.items())}" if query else url


@pytest.fixture
def changes(editor):
    """A person created and changed by the editor, then an act written by a command."""
    with audit.acting(user=editor):
        person = PersonFactory(surname="Журналова")
        member_services.person_update(person=person, phone="+7 701 555 44 33")
    with audit.command("demo_data"):
        act = LegalActFactory(number="CMD-1")
    return {"person": person, "act": act}


def entries(response) -> list:
    assert response.status_code == 200
    return response.context["entries"]


def test_the_viewer_reads_every_change_newest_first(viewer, editor, changes):
    response = client_of(viewer).get(log_url())
    listed = [(entry.model_name, entry.object_id, entry.action) for entry in entries(response)]

    person, act = changes["person"], changes["act"]
    # Newest first; the users themselves (their accounts) are audited too.
    assert listed[:3] == [("legal act", act.pk, "+"), ("person", person.pk, "~"), ("person", person.pk, "+")]
    first, changed = entries(response)[0], entries(response)[1]
    assert first.user == "" and first.reason.startswith("manage.py demo_data (")
    assert changed.user == f"Дана Әлиева ({editor.username})"
    assert changed.changed == ["phone"]
    assert changed.url == admin_url("members_person_history", person.pk)
    page = response.content.decode()
    assert editor.username in page
    assert "changed" in page and "created" in page
    assert f'href="{admin_url("members_person_history", person.pk)}"' in page
    assert "manage.py demo_data (" in page


def test_a_deleted_record_stays_in_the_log(viewer, editor):
    with audit.acting(user=editor):
        act = LegalActFactory()
        pk = act.pk
        act.delete()

    listed = entries(client_of(viewer).get(log_url(model="assembly.legalact")))

    assert [(entry.object_id, entry.action_label) for entry in listed] == [(pk, "deleted"), (pk, "created")]


def test_the_log_filters_by_user_records_and_days(viewer, editor, changes):
    client = client_of(viewer)
    today = timezone.localdate()
    person = changes["person"]

    by_editor = entries(client.get(log_url(user=editor.pk, model="members.person")))
    assert [(entry.object_id, entry.action) for entry in by_editor] == [(person.pk, "~"), (person.pk, "+")]
    assert {entry.user_id for entry in entries(client.get(log_url(user=editor.pk)))} == {editor.pk}

    by_commands = entries(client.get(log_url(user=audit_admin.NO_USER, model="assembly.legalact")))
    assert [entry.object_id for entry in by_commands] == [changes["act"].pk]

    assert len(entries(client.get(log_url(model="members.person", since=today, until=today)))) == 2
    assert entries(client.get(log_url(since=today + datetime.timedelta(days=1)))) == []
    assert entries(client.get(log_url(until=today - datetime.timedelta(days=1)))) == []


def test_a_bad_filter_is_a_form_error_and_lists_nothing(viewer, changes):
    client = client_of(viewer)
    response = client.get(log_url(since="2024-05-02", until="2024-05-01"))
    assert response.status_code == 200
    assert response.context["form"].errors == {"until": ["The last day cannot come before the first."]}
    assert response.context["entries"] is None
    assert "The last day cannot come before the first." in response.content.decode()
    assert client.get(log_url(model="auth.group")).context["form"].errors["model"]
    assert client.get(log_url(user="9999999")).context["form"].errors["user"]


def test_the_log_is_paginated(viewer, editor, monkeypatch):
    monkeypatch.setattr(audit_admin, "PER_PAGE", 2)
    with audit.acting(user=editor):
        acts = [LegalActFactory() for _ in range(3)]
    client = client_of(viewer)

    first = client.get(log_url(model="assembly.legalact"))
    second = client.get(log_url(model="assembly.legalact", page=2))

    assert [entry.object_id for entry in entries(first)] == [acts[2].pk, acts[1].pk]
    assert [entry.object_id for entry in entries(second)] == [acts[0].pk]
    assert 'href="?model=assembly.legalact&amp;page=2"' in first.content.decode()


@pytest.mark.parametrize("group", ["Secretariat viewer", "Secretariat editor"])
def test_the_secretariat_finds_the_log_on_the_admin_index(group):
    from tests.factories import secretariat_user

    client = client_of(secretariat_user(group))
    index = client.get(admin_url("index")).content.decode()
    assert f'href="{log_url()}"' in index
    assert client.get(log_url()).status_code == 200


def test_other_staff_neither_see_nor_open_the_log(django_user_model):
    staff = django_user_model.objects.create_user("clerk", password="pass-for-tests", is_staff=True)
    client = client_of(staff)
    assert log_url() not in client.get(admin_url("index")).content.decode()
    assert client.get(log_url()).status_code == 403


def test_a_regional_office_and_an_anonymous_visitor_are_kept_out():
    office = regional_office_user("75")
    for client in (client_of(office), client_of(None)):
        response = client.get(log_url())
        assert response.status_code == 302
        assert response["Location"].startswith(admin_url("login"))
    # A regional office user made staff by mistake still does not read the log.
    office.is_staff = True
    office.save()
    assert client_of(office).get(log_url()).status_code == 403


def test_the_log_only_reads(viewer, editor):
    for client in (client_of(viewer), client_of(editor)):
        assert client.post(log_url(), {}).status_code == 405


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def make_changes(editor, count: int) -> None:
    """``count`` changes across three kinds of record: created, changed and appointed."""
    with audit.acting(user=editor):
        for number in range(count // 3):
            person = PersonFactory()
            member_services.person_update(person=person, phone=f"+7 701 000 00 {number:02d}")
            LegalActFactory()


def test_the_number_of_queries_does_not_grow_with_the_changes(viewer, editor):
    client = client_of(viewer)
    # Warm up: the session, the user's roles and the contrib caches.
    client.get(log_url())
    make_changes(editor, 3)
    few = queries_of(client, log_url())
    assert len(client.get(log_url()).context["entries"]) >= 3

    make_changes(editor, 27)
    MembershipFactory()
    many = queries_of(client, log_url())

    assert len(client.get(log_url()).context["entries"]) >= 30
    assert few == many


def test_every_audited_model_is_in_the_filter_and_the_union():
    models = audit.audited_models()
    labels = {model._meta.label_lower for model in models}
    assert {
        "members.person",
        "members.membership",
        "assembly.legalact",
        "assembly_sessions.attendance",
        "regional.nomination",
        "regional.nominationdocument",
        "regional.regionalofficeuser",
        get_user_model()._meta.label_lower,
    } <= labels
    form = audit_admin.AuditLogFilterForm()
    assert {value for value, _label in form.fields["model"].choices} == labels | {""}
    assert str(audit.audit_log().query).count("UNION ALL") == len(models) - 1
