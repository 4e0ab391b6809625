"""The OpenAPI schema (/api/schema/) and the interactive docs (/api/docs/): the schema is valid
and generated without a warning, every route under /api/v1/ is documented with its methods
and its authentication, and the docs page needs nothing from another host."""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import yaml
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema

from assembly.api.public import PublicReadOnlyViewSet

from . import openapi

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _template(route: str) -> str:
    """A route with every parameter as ``{}``: ``regions/(?P<slug>[^/.]+)/$``, ``<int:pk>/``
    and ``{slug}`` all become ``{}``."""
    route = route.lstrip("^").rstrip("$")
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "{}", route)
    route = re.sub(r"<[^>]+>", "{}", route)
    return re.sub(r"\{[^}]*\}", "{}", route)


def api_routes() -> list[tuple[str, object]]:
    """(path template, view) of every URL pattern of the project under /api/v1/, found by
    walking the URL resolver rather than asking drf-spectacular."""
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + _template(str(pattern.pattern))
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith(openapi.API_PREFIX):
                found.append((route, pattern.callback))

    walk(get_resolver().url_patterns, "/")
    return found


def route_methods(view) -> set[str]:
    """The HTTP methods a view answers (besides HEAD and OPTIONS)."""
    if getattr(view, "actions", None):
        # DRF adds "head" to a viewset's actions on its first request.
        return set(view.actions) - {"head", "options"}
    view_class = getattr(view, "view_class", None) or getattr(view, "cls", None)
    if view_class is None:
        return set()
    return {method for method in view_class.http_method_names if hasattr(view_class, method)} - {"head", "options"}


def documented() -> dict[str, set[str]]:
    paths: dict[str, set[str]] = {}
    for path, method, _operation in openapi.operations():
        paths.setdefault(_template(path), set()).add(method)
    return paths


# The schema ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_schema_is_generated_without_a_warning_and_is_valid(language, tmp_path):
    GENERATOR_STATS.reset()
    output = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--lang", language, "--file", str(output))

    schema = yaml.safe_load(output.read_text())
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")


def test_every_route_under_api_v1_is_documented_with_its_methods():
    routes = api_routes()
    paths = documented()

    missing = []
    for route, view in routes:
        methods = route_methods(view)
        if route not in paths:
            missing.append((route, "the path"))
        elif not methods <= paths[route]:
            missing.append((route, sorted(methods - paths[route])))
    assert not missing, f"routes not in the schema: {missing}"
    # The walk sees what it must: the regions, the nominations and their steps, the token.
    templates = {route for route, _view in routes}
    assert {"/api/v1/regions/", "/api/v1/regions/{}/", "/api/v1/nominations/{}/submit/", "/api/v1/auth/token/"} <= (
        templates
    )


def test_the_schema_documents_no_route_that_does_not_exist():
    routes = {route for route, _view in api_routes()}

    assert set(documented()) <= routes


def test_every_public_endpoint_needs_no_credentials_and_documents_its_errors():
    public_routes = {
        route for route, view in api_routes() if issubclass(getattr(view, "cls", object), PublicReadOnlyViewSet)
    }
    assert {"/api/v1/regions/", "/api/v1/regions/{}/"} <= public_routes

    for path, method, operation in openapi.operations():
        if _template(path) not in public_routes:
            continue
        assert method == "get", path
        assert openapi.is_public(operation), path
        assert "lang" in openapi.query_parameters(path), path
        for status in ("200", "400", "404", "429"):
            assert "application/json" in operation["responses"][status]["content"], (path, status)
        assert operation["responses"]["400"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }


def test_the_nominations_need_a_token_and_document_401():
    nominations = [
        (path, method, operation) for path, method, operation in openapi.operations() if "/nominations/" in path
    ]
    assert len(nominations) >= 8

    for path, method, operation in nominations:
        assert {"tokenAuth": []} in operation["security"], (path, method)
        assert {} not in operation["security"], (path, method)
        assert "401" in operation["responses"], (path, method)


def test_every_other_endpoint_than_the_public_ones_and_the_token_asks_for_credentials():
    for path, method, operation in openapi.operations():
        if path == "/api/v1/auth/token/" or openapi.is_public(operation):
            continue
        assert operation.get("security"), (path, method)
        assert {} not in operation["security"], (path, method)


def test_the_token_endpoint_is_documented_without_credentials():
    operation = openapi.schema()["paths"]["/api/v1/auth/token/"]["post"]

    assert openapi.is_public(operation)
    request = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(openapi.schema()["components"]["schemas"][request]["required"]) == {"username", "password"}
    response = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(openapi.schema()["components"]["schemas"][response]["properties"]) == {"token"}
    assert "400" in operation["responses"]


def test_each_nomination_operation_documents_its_request_and_answer():
    paths = openapi.schema()["paths"]
    components = openapi.schema()["components"]["schemas"]

    def ref(schema):
        return schema["$ref"].rsplit("/", 1)[1]

    create = paths["/api/v1/nominations/"]["post"]
    assert ref(create["requestBody"]["content"]["application/json"]["schema"]) == "NominationCreateRequest"
    assert ref(create["responses"]["201"]["content"]["application/json"]["schema"]) == "NominationDetail"
    upload = paths["/api/v1/nominations/{id}/documents/"]["post"]
    assert list(upload["requestBody"]["content"]) == ["multipart/form-data"]
    assert ref(upload["responses"]["201"]["content"]["application/json"]["schema"]) == "NominationDocument"
    for step in ("submit", "withdraw", "answer", "transition"):
        operation = paths[f"/api/v1/nominations/{{id}}/{step}/"]["post"]
        assert ref(operation["responses"]["200"]["content"]["application/json"]["schema"]) == "NominationDetail"
        assert {"400", "401", "403", "404", "409"} <= set(operation["responses"]), step
    assert components["NominationDetail"]["properties"]["history"]["type"] == "array"
    assert "version" in components["PatchedNominationUpdateRequest"]["properties"]


def test_the_docs_offer_to_enter_a_token_for_the_nominations():
    # Swagger UI shows its "Authorize" dialog for the schema's security schemes and sends
    # the value entered as the header the scheme names, on the operations that require it.
    scheme = openapi.schema()["components"]["securitySchemes"]["tokenAuth"]

    assert scheme == {**scheme, "type": "apiKey", "in": "header", "name": "Authorization"}
    assert "Token" in scheme["description"]
    assert {"tokenAuth": []} in openapi.schema()["paths"]["/api/v1/nominations/"]["get"]["security"]


def test_the_public_list_parameters_say_which_values_are_valid():
    parameters = openapi.query_parameters("/api/v1/regions/")

    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 500}
    assert {"type": "integer", "minimum": 1} in parameters["page"]["schema"]["anyOf"]
    pattern = re.compile(parameters["ordering"]["schema"]["pattern"])
    assert pattern.match("kato") and pattern.match("-slug,kato")
    assert not pattern.match("name") and not pattern.match("kato,") and not pattern.match("")
    assert parameters["lang"]["schema"]["enum"] == sorted(LANGUAGES)


# /api/schema/ -------------------------------------------------------------------------------


def test_the_schema_endpoint_answers_yaml_by_default_and_json_on_request(client):
    as_yaml = client.get("/api/schema/")
    as_json = client.get("/api/schema/?format=json")

    assert as_yaml.status_code == as_json.status_code == 200
    assert as_yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    assert "json" not in as_yaml["Content-Type"]
    assert as_json["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert yaml.safe_load(as_yaml.content) == json.loads(as_json.content)
    validate_schema(json.loads(as_json.content))


def test_the_schema_endpoint_serves_the_schema_the_tests_read(client):
    served = client.get("/api/schema/?format=json&lang=en").json()

    assert served["paths"].keys() == openapi.schema()["paths"].keys()


def test_the_schema_endpoint_needs_no_credentials_and_sets_no_cookie(client):
    response = client.get("/api/schema/?format=json")

    assert response.status_code == 200
    assert not response.cookies


# /api/docs/ ---------------------------------------------------------------------------------


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("src", "href"):
            if attributes.get(name) and tag in {"script", "link", "img", "iframe"}:
                self.urls.append(attributes[name])


def _assets(page: str) -> list[str]:
    parser = _Assets()
    parser.feed(page)
    return parser.urls


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


def test_the_docs_page_loads_only_this_site_s_files(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    assets = _assets(page)
    assert len(assets) >= 4  # the style sheet, the favicon, Swagger UI's two scripts, its start script
    assert all(_is_local(url) for url in assets), assets
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    static = [url for url in assets if url.startswith("/" + settings.STATIC_URL.lstrip("/"))]
    assert len(static) >= 4
    for url in static:
        assert finders.find(urlsplit(url).path.removeprefix("/" + settings.STATIC_URL.lstrip("/"))), url


def test_the_docs_start_script_reads_the_local_schema_and_asks_no_validator(client):
    page = client.get("/api/docs/").content.decode()
    (script_url,) = [url for url in _assets(page) if "script" in urlsplit(url).query]

    response = client.get(script_url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    script = response.content.decode()
    assert 'url: "/api/schema/' in script
    assert not re.search(r"https?://", script)
    settings_json = re.search(r"const swaggerSettings = (\{.*?\});", script, re.DOTALL).group(1)
    assert json.loads(settings_json)["validatorUrl"] is None


def test_the_docs_are_offered_in_the_language_asked(client):
    page = client.get("/api/docs/?lang=ru").content.decode()
    (script_url,) = [url for url in _assets(page) if "script" in urlsplit(url).query]

    script = client.get(script_url).content.decode()

    assert 'url: "/api/schema/?lang=ru' in script.replace("\\u002D", "-").replace("\\u003F", "?").replace(
        "\\u003D", "="
    )
