"""schemathesis against every operation of the API's own schema, called in-process through
the WSGI application: the public endpoints and the token endpoint without credentials, the
nominations with the token of a regional office and of the Secretariat. No answer may be a
server error, and every answer must match the schema: its status, content type and body.

The schema is the one the project generates (``tests.api.openapi``), so a new endpoint is
tested here as soon as it is routed. The generated path parameters are mixed with the
identifiers of real objects (read from the API's own lists), so that the objects' answers
are checked too, not only the 404s."""

import re

import hypothesis
import jsonschema
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token

from . import openapi

pytestmark = pytest.mark.django_db

CONFIG = schemathesis.Config.from_dict(
    {
        # The same examples on every run, so that a failure in CI is one anyone can replay.
        "seed": 2026,
        "generation": {
            "max-examples": 12,
            "database": "none",
            # Like most APIs, this one ignores query parameters and fields it does not know (a
            # cache-busting `_=`, say): an unknown one is not a bad value to be refused.
            "allow-extra-parameters": False,
        },
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": False},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
        "checks": {
            # Unfit here: the schema cannot say which slugs and ids exist, so a well-formed
            # reference to a region or person that does not exist is rightly a 400 naming the
            # filter, and a well-formed nomination the services refuse (a wrong IIN check digit,
            # a step out of order) rightly a 400, 403 or 409. Every other default check runs.
            "positive_data_acceptance": {"enabled": False},
        },
    }
)

application = get_wsgi_application()
schema = schemathesis.openapi.from_dict(openapi.schema(), config=CONFIG)
# The requests go to the application in this process, not over the network.
schema.app = application

# Identifiers of real objects by operation path, filled from the API once the data exists.
KNOWN: dict[str, list] = {}


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    known = KNOWN.get(context.operation.path, [])
    if not known or not path_parameters:
        return st.just(path_parameters)
    (parameter,) = context.operation.path_parameters
    # A value the schema refuses stays: a negative case must stay negative.
    if not jsonschema.Draft4Validator(parameter.definition["schema"]).is_valid(path_parameters[parameter.name]):
        return st.just(path_parameters)
    return st.sampled_from([path_parameters, *({parameter.name: value} for value in known)])


SETTINGS = hypothesis.settings(
    # The data set is a pytest fixture, shared by the examples of one operation on purpose.
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture, hypothesis.HealthCheck.too_slow],
    deadline=None,
)


@pytest.fixture(autouse=True)
def _in_process_requests(settings):
    """schemathesis's WSGI client calls the application as a server would, with the host
    ``localhost``, and Django then closes the database connection after each request, which
    would end the test's transaction: Django's test client prevents it the same way."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def tokens(api_data, django_db_blocker) -> dict[str, str]:
    with django_db_blocker.unblock():
        return {role: Token.objects.get_or_create(user=api_data[role])[0].key for role in ("office", "secretariat")}


@pytest.fixture(scope="module")
def known_objects(api_data, django_db_blocker):
    """The identifiers of the objects each public list shows, and the nominations' ids."""
    client = Client()
    with django_db_blocker.unblock():
        for detail in openapi.public_detail_paths():
            collection, name = re.fullmatch(r"(.*/)\{([^}]+)\}/", detail).groups()
            rows = client.get(collection, {"page_size": 500}).json()["results"]
            KNOWN[detail] = [row[name] for row in rows if name in row][:5]
    nominations = [nomination.pk for nomination in api_data["nominations"]]
    for path in openapi.schema()["paths"]:
        if path.startswith("/api/v1/nominations/{"):
            KNOWN[path] = nominations
    yield KNOWN
    KNOWN.clear()


def test_the_known_objects_are_found(known_objects):
    assert len(known_objects["/api/v1/regions/{slug}/"]) == 5
    assert all(known_objects[path] for path in openapi.public_detail_paths())


@schema.exclude(path_regex=r"^/api/v1/nominations/").parametrize()
@SETTINGS
def test_the_public_operations_and_the_token(case, known_objects):
    case.call_and_validate()


@schema.include(path_regex=r"^/api/v1/nominations/").parametrize()
@SETTINGS
@pytest.mark.parametrize("role", ["office", "secretariat"])
def test_the_nominations_operations(case, role, tokens, known_objects):
    case.call_and_validate(headers={"Authorization": f"Token {tokens[role]}"})
