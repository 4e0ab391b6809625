"""The API's own OpenAPI schema, read by the tests to find every endpoint, so that a new
endpoint is tested without anyone adding it to a list."""

import functools
import json
import re

from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

API_PREFIX = "/api/v1/"
METHODS = ("get", "put", "post", "patch", "delete")


@functools.cache
def schema() -> dict:
    """The schema as ``/api/schema/?format=json`` gives it, in English (generated without a
    request, so without the database)."""
    with translation.override("en"):
        generated = SchemaGenerator().get_schema(request=None, public=True)
        return json.loads(OpenApiJsonRenderer().render(generated, renderer_context={}))


def operations() -> list[tuple[str, str, dict]]:
    """(path, method, operation) of every operation of the schema."""
    return [
        (path, method, item[method]) for path, item in schema()["paths"].items() for method in METHODS if method in item
    ]


def is_public(operation: dict) -> bool:
    """No credentials needed: the only security requirement is the empty one."""
    return operation.get("security") == [{}]


def public_list_paths() -> list[str]:
    """The public collections: public GET operations without a path parameter, e.g. /api/v1/regions/."""
    return sorted(
        path for path, method, operation in operations() if method == "get" and is_public(operation) and "{" not in path
    )


def public_detail_paths() -> list[str]:
    """The public objects' addresses, e.g. /api/v1/regions/{slug}/."""
    return sorted(
        path for path, method, operation in operations() if method == "get" and is_public(operation) and "{" in path
    )


def detail_path_of(list_path: str) -> str | None:
    """The address of one object of the collection at ``list_path``, if the schema has one."""
    for path in public_detail_paths():
        if re.fullmatch(re.escape(list_path) + r"\{[^}/]+\}/", path):
            return path
    return None


def query_parameters(path: str, method: str = "get") -> dict[str, dict]:
    """The documented query parameters of an operation, by name."""
    operation = schema()["paths"][path][method]
    return {parameter["name"]: parameter for parameter in operation.get("parameters", []) if parameter["in"] == "query"}
