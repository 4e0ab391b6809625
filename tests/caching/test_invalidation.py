"""No stale page: every committed write of the records makes the cached public pages out of
date at once (assembly.public_cache), whatever path it takes: the admin, a service outside a
request, a bulk write. The data version changes only once the write is committed.

These tests commit for real (a transactional database), as the site does."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from assembly import audit, public_cache
from members import services
from members.models import Membership, Person
from tests.audit.helpers import client_of
from tests.factories import MembershipFactory, PersonFactory, secretariat_user
from tests.members.test_admin import form_data

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def person():
    person = PersonFactory(surname="Ескіұлы", position_kk="Ескі қызмет", position_en="Old post")
    MembershipFactory(person=person)
    return person


def pages_of(person) -> dict[str, str]:
    return {
        "profile": f"/kk/members/{person.slug}/",
        "directory": "/kk/members/",
        "api": f"/api/v1/persons/{person.slug}/",
    }


def cached_pages(visitor: Client, person, django_assert_num_queries) -> dict[str, str]:
    """Each page read twice, the second time from the cache; their texts."""
    texts = {}
    for name, url in pages_of(person).items():
        visitor.get(url)
        with django_assert_num_queries(0):
            texts[name] = visitor.get(url).content.decode()
    return texts


def read_pages(visitor: Client, person) -> dict[str, str]:
    return {name: visitor.get(url).content.decode() for name, url in pages_of(person).items()}


def test_an_edit_in_the_admin_shows_on_the_public_pages_and_the_api_at_once(person, django_assert_num_queries):
    visitor = Client()
    before = cached_pages(visitor, person, django_assert_num_queries)
    assert "Ескіұлы" in before["directory"]
    assert "Ескі қызмет" in before["profile"]
    assert "Ескі қызмет" in before["api"]

    editor = client_of(secretariat_user("Secretariat editor"))
    url = reverse("admin:members_person_change", args=[person.pk])
    data = form_data(editor.get(url)) | {"surname": "Жаңаұлы", "position_kk": "Жаңа қызмет"}
    assert editor.post(url, data).status_code == 302

    after = read_pages(visitor, person)
    for name in ("profile", "directory", "api"):
        assert "Жаңаұлы" in after[name], name
        assert "Ескіұлы" not in after[name], name
    assert "Жаңа қызмет" in after["profile"]
    assert "Жаңа қызмет" in after["api"]


def test_a_service_write_outside_a_request_shows_at_once(person, django_assert_num_queries):
    visitor = Client()
    cached_pages(visitor, person, django_assert_num_queries)
    services.person_update(person=person, position_kk="Жаңа қызмет")
    after = read_pages(visitor, person)
    assert "Жаңа қызмет" in after["profile"]
    assert "Жаңа қызмет" in after["api"]


def test_a_bulk_write_that_sends_no_signal_shows_at_once(person, django_assert_num_queries):
    visitor = Client()
    cached_pages(visitor, person, django_assert_num_queries)
    person.position_kk = "Жаңа қызмет"
    audit.bulk_update_with_history([person], Person, ["position_kk"])
    after = read_pages(visitor, person)
    assert "Жаңа қызмет" in after["profile"]
    assert "Жаңа қызмет" in after["api"]


def test_a_deleted_membership_leaves_the_directory_at_once(django_assert_num_queries):
    visitor = Client()
    leaving = MembershipFactory(person=PersonFactory(surname="Кетеұлы"))
    assert "Кетеұлы" in visitor.get("/kk/members/").content.decode()
    with django_assert_num_queries(0):
        visitor.get("/kk/members/")
    Membership.objects.filter(pk=leaving.pk).delete()
    assert "Кетеұлы" not in visitor.get("/kk/members/").content.decode()


def test_a_write_changes_the_version_only_when_its_transaction_commits(person):
    before = public_cache.data_version()
    with transaction.atomic():
        services.person_update(person=person, position_kk="Жаңа қызмет")
        with transaction.atomic():
            services.person_update(person=person, position_en="New post")
        assert public_cache.data_version() == before
    assert public_cache.data_version() != before


def test_a_rolled_back_write_leaves_the_version(person):
    before = public_cache.data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.person_update(person=person, position_kk="Жаңа қызмет")
        raise RuntimeError("rolled back")
    assert public_cache.data_version() == before


def test_a_write_kept_after_a_rolled_back_savepoint_still_changes_the_version(person):
    before = public_cache.data_version()
    with transaction.atomic():
        services.person_update(person=person, position_en="New post")
        with pytest.raises(RuntimeError), transaction.atomic():
            services.person_update(person=person, position_kk="Жаңа қызмет")
            raise RuntimeError("savepoint rolled back")
    assert public_cache.data_version() != before


def test_a_write_after_a_rolled_back_savepoint_still_changes_the_version(person):
    before = public_cache.data_version()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            services.person_update(person=person, position_kk="Жаңа қызмет")
            raise RuntimeError("savepoint rolled back")
        services.person_update(person=person, position_en="New post")
    assert public_cache.data_version() != before


def test_a_transaction_of_many_writes_changes_the_version_once(person, monkeypatch):
    bumps = []
    monkeypatch.setattr(public_cache, "bump_data_version", lambda: bumps.append(1))
    with transaction.atomic():
        for number in range(5):
            services.person_update(person=person, position_en=f"Post {number}")
        MembershipFactory(person=PersonFactory())
        assert bumps == []
    assert bumps == [1]
