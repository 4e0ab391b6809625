"""What the cache of the public pages keeps and serves (assembly.public_cache): anonymous
visitors' GETs of public pages and API answers; never a signed-in user's, another method or
status, an answer that sets a cookie or varies on one, nor a page that is not public."""

import hashlib
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import MembershipFactory, PersonFactory, api_client, secretariat_user
from tests.public.helpers import html_lang

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    person = PersonFactory(surname="Кэшов", position_kk="Ұстаз", position_ru="Учитель", position_en="Teacher")
    MembershipFactory(person=person)
    return person


def public_urls(person) -> list[str]:
    return [
        "/kk/",
        "/kk/members/",
        f"/kk/members/{person.slug}/",
        "/kk/sessions/",
        "/api/v1/persons/",
        f"/api/v1/persons/{person.slug}/",
        "/api/v1/memberships/?on=2024-01-01",
    ]


def queries_of(client: Client, url: str, **extra) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return len(queries), response


def test_a_second_anonymous_get_of_a_public_page_or_api_answer_asks_the_database_nothing(
    client, person, django_assert_num_queries
):
    for url in public_urls(person):
        first = client.get(url)
        assert first.status_code == 200, url
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second.status_code == 200
        assert second.content == first.content, url
        assert second["Content-Type"] == first["Content-Type"]


def test_a_head_request_is_answered_from_the_stored_get(client, person, django_assert_num_queries):
    url = f"/kk/members/{person.slug}/"
    client.get(url)
    with django_assert_num_queries(0):
        assert client.head(url).status_code == 200


def test_each_answer_from_the_cache_gets_its_own_request_id_and_etag_revalidation(client, person):
    url = f"/api/v1/persons/{person.slug}/"
    first = client.get(url)
    second = client.get(url)
    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert second["ETag"] == first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_page_from_the_cache_brings_its_etag_without_hashing_the_content_again(client, person, monkeypatch):
    url = f"/kk/members/{person.slug}/"
    first = client.get(url)
    monkeypatch.setattr("django.middleware.http.set_response_etag", lambda response: pytest.fail("hashed again"))

    second = client.get(url)

    assert second["ETag"] == first["ETag"] == f'"{hashlib.md5(second.content, usedforsecurity=False).hexdigest()}"'


def test_with_public_cache_seconds_0_every_request_is_drawn_anew(client, person, settings):
    settings.PUBLIC_CACHE_SECONDS = 0
    url = f"/kk/members/{person.slug}/"
    client.get(url)
    count, _ = queries_of(client, url)
    assert count > 0


def test_a_signed_in_user_is_never_served_from_the_cache(client, person):
    url = f"/kk/members/{person.slug}/"
    client.get(url)
    editor = Client()
    editor.force_login(secretariat_user())
    count, response = queries_of(editor, url)
    assert response.status_code == 200
    assert count > 0


def test_a_signed_in_user_s_page_is_never_stored(client, person):
    url = f"/kk/members/{person.slug}/"
    editor = Client()
    editor.force_login(secretariat_user())
    assert editor.get(url).status_code == 200
    count, _ = queries_of(client, url)
    assert count > 0


def test_an_api_request_with_a_token_is_neither_answered_from_the_cache_nor_stored(client, person):
    url = f"/api/v1/persons/{person.slug}/"
    token_client = api_client(secretariat_user(), language="kk")
    client.get(url, HTTP_ACCEPT_LANGUAGE="kk")
    count, response = queries_of(token_client, url)
    assert response.status_code == 200
    assert count > 0
    caches["default"].clear()
    token_client.get(url)
    count, _ = queries_of(client, url, HTTP_ACCEPT_LANGUAGE="kk")
    assert count > 0


def test_languages_are_different_entries(client, person):
    client.get(f"/kk/members/{person.slug}/")
    count, russian = queries_of(client, f"/ru/members/{person.slug}/")
    assert count > 0
    assert html_lang(russian) == "ru"
    assert "Учитель" in russian.content.decode()


def test_the_api_s_language_from_the_header_or_the_parameter_is_part_of_the_key(client, person):
    url = f"/api/v1/persons/{person.slug}/"
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="kk").json()["position"] == "Ұстаз"
    count, english = queries_of(client, url, HTTP_ACCEPT_LANGUAGE="en")
    assert count > 0
    assert english.json()["position"] == "Teacher"
    count, russian = queries_of(client, f"{url}?lang=ru", HTTP_ACCEPT_LANGUAGE="en")
    assert count > 0
    assert russian.json()["position"] == "Учитель"
    count, again = queries_of(client, url, HTTP_ACCEPT_LANGUAGE="en")
    assert count == 0
    assert again.json()["position"] == "Teacher"


def test_query_strings_are_different_entries(client, person):
    other = PersonFactory(surname="Басқаев")
    MembershipFactory(person=other)
    everyone = client.get("/kk/members/").content.decode()
    assert "Басқаев" in everyone
    count, searched = queries_of(client, "/kk/members/?q=Кэшов")
    assert count > 0
    assert "Кэшов" in searched.content.decode()
    assert "Басқаев" not in searched.content.decode()


def test_the_host_is_part_of_the_key(client, person, settings):
    """The API's answers hold absolute links."""
    settings.ALLOWED_HOSTS = ["testserver", "mirror.example.kz"]
    url = f"/api/v1/persons/{person.slug}/"
    client.get(url)
    count, mirrored = queries_of(client, url, HTTP_HOST="mirror.example.kz")
    assert count > 0
    assert mirrored.json()["url"].startswith("http://mirror.example.kz/")


def test_an_answer_that_sets_a_cookie_is_not_stored(client, test_pages):
    assert client.get("/kk/test-sets-cookie/").cookies["visited"].value == "yes"
    Client().get("/kk/test-sets-cookie/")
    assert test_pages == ["sets_cookie", "sets_cookie"]


def test_an_answer_that_varies_on_the_cookie_is_not_stored(test_pages):
    Client().get("/kk/test-varies-on-cookie/")
    Client().get("/kk/test-varies-on-cookie/")
    assert test_pages == ["varies_on_cookie", "varies_on_cookie"]


def test_an_answer_other_than_200_is_not_stored(client, test_pages):
    assert client.get("/kk/test-not-found/").status_code == 404
    assert client.get("/kk/test-not-found/").status_code == 404
    assert test_pages == ["not_found", "not_found"]


def test_only_get_is_stored_and_only_get_and_head_are_served(client, test_pages):
    for method in (client.post, client.head):
        method("/kk/test-counted/")
        method("/kk/test-counted/")
    assert test_pages == ["counted"] * 4
    first = client.get("/kk/test-counted/")
    for method in (client.post, client.put, client.delete, client.options):
        method("/kk/test-counted/")
    assert client.get("/kk/test-counted/").content == first.content
    client.head("/kk/test-counted/")
    assert test_pages == ["counted"] * 9


def test_a_visitor_with_a_session_cookie_is_not_served_from_the_cache(client, test_pages):
    client.get("/kk/test-counted/")
    client.cookies[django_settings.SESSION_COOKIE_NAME] = "not-signed-in-but-has-a-session"
    client.get("/kk/test-counted/")
    assert test_pages == ["counted", "counted"]


def test_a_page_that_is_not_public_is_never_stored(client, test_pages):
    client.get("/kk/test-not-public/")
    client.get("/kk/test-not-public/")
    assert test_pages == ["counted", "counted"]


def production_settings(environment: dict) -> dict:
    """CACHES and PUBLIC_CACHE_SECONDS of the real settings under ``environment``."""
    script = (
        "import json, assembly.settings as s; "
        "print(json.dumps({'CACHES': s.CACHES, 'PUBLIC_CACHE_SECONDS': s.PUBLIC_CACHE_SECONDS}, default=str))"
    )
    left_out = {"REDIS_URL", "CACHE_DIR", "PUBLIC_CACHE_SECONDS", "DEBUG", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    base = {key: value for key, value in os.environ.items() if key not in left_out}
    environment = {**base, "SECRET_KEY": "x", "DATABASE_URL": "postgresql://u@localhost/db", **environment}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        cwd=django_settings.BASE_DIR,
    )
    return json.loads(result.stdout)


def test_with_redis_url_pages_and_the_data_version_are_shared_through_redis():
    configured = production_settings({"REDIS_URL": "redis://cache.internal:6379/1"})["CACHES"]
    for alias in ("default", "data_version"):
        assert configured[alias]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert configured[alias]["LOCATION"] == "redis://cache.internal:6379/1"


def test_without_redis_pages_are_in_memory_and_the_data_version_in_a_file_every_process_reads(tmp_path):
    configured = production_settings({"CACHE_DIR": str(tmp_path)})["CACHES"]
    assert configured["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert configured["data_version"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert configured["data_version"]["LOCATION"] == str(tmp_path)


def test_pages_are_kept_five_minutes_in_production_and_not_at_all_in_development():
    assert production_settings({})["PUBLIC_CACHE_SECONDS"] == 300
    assert production_settings({"DEBUG": "true"})["PUBLIC_CACHE_SECONDS"] == 0
    assert production_settings({"PUBLIC_CACHE_SECONDS": "60"})["PUBLIC_CACHE_SECONDS"] == 60
