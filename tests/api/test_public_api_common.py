"""What every public endpoint promises (assembly.api.public), checked on every public
collection and object the schema lists: conditional GET, CORS, throttling, the language,
strict parameters with JSON errors that name them."""

import re

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation
from rest_framework.pagination import PageNumberPagination

from . import openapi

pytestmark = pytest.mark.django_db

LISTS = openapi.public_list_paths()
DETAILS = openapi.public_detail_paths()
ORIGIN = "https://newsroom.example.org"


def test_the_schema_has_the_public_endpoints_to_check():
    assert "/api/v1/regions/" in LISTS
    assert "/api/v1/regions/{slug}/" in DETAILS


def assert_error(response, status: int, parameter: str | None = None) -> dict:
    """The JSON error shape of assembly.api.errors; for a 400, its ``errors`` name ``parameter``."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert set(body) <= {"detail", "errors"}
    if parameter is not None:
        assert list(body["errors"]) == [parameter], body
        assert all(isinstance(message, str) and message for message in body["errors"][parameter])
    return body


def first_object_url(client, list_path: str) -> str | None:
    results = client.get(list_path, {"page_size": 1}).json()["results"]
    return results[0]["url"] if results and "url" in results[0] else None


# Conditional GET ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", LISTS)
def test_an_unchanged_answer_is_304_with_an_empty_body(client, api_data, path):
    first = client.get(path)
    assert first.status_code == 200
    etag = first["ETag"]

    again = client.get(path, headers={"If-None-Match": etag})

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


@pytest.mark.parametrize("path", LISTS)
def test_the_etag_changes_with_the_language_and_the_data(client, api_data, path):
    etag = client.get(path)["ETag"]

    other_language = client.get(path, {"lang": "en"}, headers={"If-None-Match": etag})

    assert other_language.status_code == 200
    assert other_language["ETag"] != etag
    assert "Accept-Language" in other_language["Vary"]


def test_a_change_of_the_data_changes_the_etag(client, api_data):
    from regional.models import Region

    etag = client.get("/api/v1/regions/")["ETag"]
    Region.objects.filter(kato="75").update(name_en="Almaty (renamed)")

    response = client.get("/api/v1/regions/", headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert response["ETag"] != etag


@pytest.mark.parametrize("path", LISTS)
def test_an_object_answers_with_an_etag_too(client, api_data, path):
    url = first_object_url(client, path)
    if url is None:
        pytest.skip(f"{path} has no object with a url in the test data")
    etag = client.get(url)["ETag"]

    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


# CORS -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", LISTS)
def test_a_public_endpoint_may_be_read_from_another_site(client, path):
    response = client.get(path, headers={"Origin": ORIGIN})
    preflight = client.options(path, headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"})

    assert response["Access-Control-Allow-Origin"] == "*"
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


@pytest.mark.parametrize("path", ["/api/schema/", "/api/schema/?format=json", "/open-data/persons.csv"])
def test_the_schema_and_the_open_data_may_be_read_from_another_site(client, path):
    response = client.get(path, headers={"Origin": ORIGIN})

    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(("method", "path"), [("get", "/api/v1/nominations/"), ("post", "/api/v1/auth/token/")])
def test_the_nominations_and_the_token_are_closed_to_other_sites(client, method, path):
    response = getattr(client, method)(path, headers={"Origin": ORIGIN})
    preflight = client.options(
        path,
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": method.upper(),
            "Access-Control-Request-Headers": "authorization",
        },
    )

    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Origin" not in preflight
    assert "Access-Control-Allow-Headers" not in preflight


def test_the_docs_page_is_not_opened_to_other_sites(client):
    assert "Access-Control-Allow-Origin" not in client.get("/api/docs/", headers={"Origin": ORIGIN})


# Throttling -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", LISTS)
@override_settings(API_PUBLIC_RATE="3/minute")
def test_the_fourth_request_in_a_minute_is_429_with_retry_after(client, path):
    for _ in range(3):
        assert client.get(path).status_code == 200

    response = client.get(path)

    assert_error(response, 429)
    assert 0 < int(response["Retry-After"]) <= 60


@override_settings(API_PUBLIC_RATE="3/minute")
def test_the_limit_counts_every_public_endpoint_of_one_address_together(client):
    path = LISTS[0]
    for other in (LISTS * 3)[1:4]:
        client.get(other)

    assert client.get(path).status_code == 429
    assert client.get(path, REMOTE_ADDR="192.0.2.7").status_code == 200


@override_settings(API_PUBLIC_RATE="3/minute")
def test_the_nominations_are_not_throttled_as_public_endpoints(client):
    for _ in range(5):
        response = client.get("/api/v1/nominations/")

    assert response.status_code == 401


# The language ---------------------------------------------------------------------------------


def _translated_fields(value, language: str, found: list) -> None:
    """(plain text, its translations) of every ``<field>``/``<field>_translations`` pair in an answer."""
    if isinstance(value, list):
        for item in value:
            _translated_fields(item, language, found)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key.endswith("_translations") and key.removesuffix("_translations") in value:
                found.append((value[key.removesuffix("_translations")], item))
            else:
                _translated_fields(item, language, found)


@pytest.mark.parametrize("path", LISTS)
def test_the_answer_is_in_the_language_asked(client, api_data, path):
    asked = [
        ({}, {}, "kk"),
        ({"lang": "ru"}, {}, "ru"),
        ({}, {"Accept-Language": "en"}, "en"),
        ({"lang": "kk"}, {"Accept-Language": "ru"}, "kk"),
    ]
    for query, headers, language in asked:
        response = client.get(path, query, headers=headers)

        assert response.status_code == 200
        assert response["Content-Language"] == language, (query, headers)
        pairs: list = []
        _translated_fields(response.json(), language, pairs)
        for plain, translations in pairs:
            # The plain text is the language's own, or modeltranslation's fallback when it is empty.
            assert plain == translations[language] or not translations[language], (path, plain, translations)


def test_the_region_names_follow_the_language(client):
    names = {
        language: {
            row["kato"]: row["name"] for row in client.get("/api/v1/regions/", {"lang": language}).json()["results"]
        }
        for language in ("kk", "ru", "en")
    }

    assert names["kk"]["75"] != names["ru"]["75"] != names["en"]["75"]


@pytest.mark.parametrize("path", LISTS)
def test_the_errors_are_in_the_language_asked(client, path):
    response = client.get(path, {"page": 100000, "lang": "ru"})

    body = assert_error(response, 404)
    with translation.override("ru"):
        russian = str(PageNumberPagination.invalid_page_message)
    with translation.override("en"):
        english = str(PageNumberPagination.invalid_page_message)
    assert body["detail"] == russian != english
    assert response["Content-Language"] == "ru"


@pytest.mark.parametrize("path", LISTS + DETAILS)
def test_an_unknown_language_is_400_naming_lang(client, path):
    path = re.sub(r"\{[^}]+\}", "no-such-object", path)

    for value in ("xx", "", "RU", "en-us"):
        assert_error(client.get(path, {"lang": value}), 400, "lang")


# Strict parameters ----------------------------------------------------------------------------


BAD_PARAMETERS = [
    ("page", "0"),
    ("page", "-1"),
    ("page", "two"),
    ("page", "²"),
    ("page", ""),
    ("page_size", "0"),
    ("page_size", "501"),
    ("page_size", "ten"),
    ("page_size", ""),
    ("ordering", "no_such_field"),
    ("ordering", ""),
    ("ordering", ","),
    ("ordering", " pk"),
]


@pytest.mark.parametrize("path", LISTS)
def test_a_bad_page_or_ordering_is_400_naming_it(client, path):
    for parameter, value in BAD_PARAMETERS:
        assert_error(client.get(path, {parameter: value}), 400, parameter)


@pytest.mark.parametrize("path", LISTS)
def test_every_documented_ordering_is_accepted_in_both_directions(client, api_data, path):
    parameter = openapi.query_parameters(path).get("ordering")
    if parameter is None:
        pytest.skip(f"{path} documents no ordering")
    fields = re.match(r"\^-\?\(([^)]*)\)", parameter["schema"]["pattern"]).group(1).split("|")

    for field in fields:
        for term in (field, f"-{field}"):
            assert client.get(path, {"ordering": term}).status_code == 200, term
    assert client.get(path, {"ordering": ",".join(fields)}).status_code == 200


def test_pages_in_a_stable_order_neither_overlap_nor_skip(client):
    pages = [
        [
            row["kato"]
            for row in client.get("/api/v1/regions/", {"page": page, "page_size": 7, "ordering": "-slug"}).json()[
                "results"
            ]
        ]
        for page in (1, 2, 3)
    ]
    every = [kato for page in pages for kato in page]

    assert len(every) == len(set(every)) == client.get("/api/v1/regions/").json()["count"]


@pytest.mark.parametrize("path", LISTS)
def test_a_page_beyond_the_end_is_404_in_json(client, path):
    assert_error(client.get(path, {"page": 100000}), 404)


@pytest.mark.parametrize("path", LISTS)
def test_the_page_size_is_honoured_up_to_its_maximum(client, api_data, path):
    response = client.get(path, {"page_size": 1})

    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) <= 1
    assert set(body) >= {"count", "next", "previous", "results"}
    assert client.get(path, {"page_size": 500}).status_code == 200


@pytest.mark.parametrize("path", DETAILS)
def test_an_unknown_object_is_404_in_json(client, path):
    assert_error(client.get(re.sub(r"\{[^}]+\}", "999999999", path)), 404)


@pytest.mark.parametrize("path", LISTS)
def test_another_format_is_refused_without_a_server_error(client, path):
    for value in ("xml", "api", "csv", "yaml", "../../etc"):
        response = client.get(path, {"format": value})

        assert response.status_code in {404, 406}, value
        assert_error(response, response.status_code)


@pytest.mark.parametrize("path", LISTS)
def test_the_json_format_is_the_format(client, path):
    response = client.get(path, {"format": "json"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def _bad_values(parameter: dict) -> list[str]:
    """Values a documented filter refuses by its own schema: outside an enum, not a date, not a
    number, not a boolean."""
    schema = parameter.get("schema", {})
    if schema.get("enum"):
        return ["no-such-choice"]
    if schema.get("format") == "date":
        return ["2024-13-45", "yesterday"]
    if schema.get("type") in {"integer", "number"}:
        return ["one"]
    if schema.get("type") == "boolean":
        return ["perhaps"]
    return []


FILTERS = [
    (path, name, value)
    for path in LISTS
    for name, parameter in openapi.query_parameters(path).items()
    if name not in {"page", "page_size", "ordering", "lang"}
    for value in _bad_values(parameter)
]


@pytest.mark.parametrize(("path", "parameter", "value"), FILTERS)
def test_a_bad_filter_value_is_400_naming_the_filter(client, path, parameter, value):
    assert_error(client.get(path, {parameter: value}), 400, parameter)


def test_the_bad_filter_values_tried_cover_some_filters():
    assert len(FILTERS) >= 1 or LISTS == ["/api/v1/regions/"]


@pytest.mark.parametrize("path", LISTS)
def test_a_public_endpoint_ignores_credentials_and_sets_no_cookie(client, api_data, path):
    response = client.get(path, headers={"Authorization": "Token not-a-real-token"})

    assert response.status_code == 200
    assert not response.cookies


@pytest.mark.parametrize("path", LISTS)
def test_a_public_endpoint_is_read_only(client, path):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(path, {}, content_type="application/json")

        assert_error(response, 405)
        assert "GET" in response["Allow"] and method.upper() not in response["Allow"]


def test_settings_keep_the_public_rate_out_of_the_way_of_other_tests():
    # The throttling tests above lower the rate themselves; the suite's own rate must be high.
    number, _period = settings.API_PUBLIC_RATE.split("/")
    assert int(number) >= 10000
