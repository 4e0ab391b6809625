"""The read replica: which database each read and write goes to (``assembly.dbrouter``)."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import connections, transaction
from django.db.utils import load_backend
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from assembly import dbrouter
from assembly.dbrouter import REPLICA_DB_ALIAS, ReplicaRouter, is_public_read
from members.models import Person
from regional.models import Nomination
from sessions.models import Meeting
from tests.factories import (
    MembershipFactory,
    NominationFactory,
    api_client,
    regional_office_user,
)

router = ReplicaRouter()
ROUTER = "assembly.dbrouter.ReplicaRouter"
MIDDLEWARE = "assembly.dbrouter.ReplicaReadMiddleware"
# Committed data, so that a second connection sees it; the migrations' rows restored after the flush.
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def in_public_read():
    """As inside a request that the middleware marked as a public read."""
    token = dbrouter.public_read.set(True)
    yield
    dbrouter.public_read.reset(token)


# The settings -------------------------------------------------------------------------------


def test_without_a_replica_url_there_is_no_replica_and_no_router(load_settings):
    names = load_settings()

    assert set(names["DATABASES"]) == {"default"}
    assert "options" not in names["DATABASES"]["default"].get("OPTIONS", {})
    assert names.get("DATABASE_ROUTERS", []) == []
    assert MIDDLEWARE not in names["MIDDLEWARE"]


def test_a_replica_url_adds_the_replica_the_router_and_the_middleware(load_settings):
    names = load_settings(DATABASE_REPLICA_URL="postgresql://reader:secret@replica.internal:5433/assembly")

    primary, replica = names["DATABASES"]["default"], names["DATABASES"]["replica"]
    assert (replica["HOST"], replica["PORT"], replica["USER"], replica["NAME"]) == (
        "replica.internal",
        5433,
        "reader",
        "assembly",
    )
    assert primary["HOST"] == "primary.internal"
    # The same connection handling as the primary's.
    assert (replica["CONN_MAX_AGE"], replica["CONN_HEALTH_CHECKS"]) == (60, True)
    assert (primary["CONN_MAX_AGE"], primary["CONN_HEALTH_CHECKS"]) == (60, True)
    # Tests run on one database: the replica alias is the test database of the primary.
    assert replica["TEST"] == {"MIRROR": "default"}
    # The application's writes wait for the replica to apply them (when the primary's
    # synchronous_standby_names names it), so that no page is drawn from data older than a write.
    assert primary["OPTIONS"]["options"] == "-c synchronous_commit=remote_apply"
    assert "OPTIONS" not in replica or "synchronous_commit" not in replica["OPTIONS"].get("options", "")
    assert names["DATABASE_ROUTERS"] == [ROUTER]
    middleware = names["MIDDLEWARE"]
    # After the session and the user are set up; django-axes stays last, as it asks.
    assert middleware.index(MIDDLEWARE) > middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    assert middleware[-1] == "axes.middleware.AxesMiddleware"


def test_the_primary_keeps_its_own_connection_options_beside_the_synchronous_commit(load_settings):
    names = load_settings(
        DATABASE_URL="postgresql://assembly@primary.internal/assembly?options=-c%20statement_timeout%3D5000",
        DATABASE_REPLICA_URL="postgresql://reader@replica.internal/assembly",
    )
    options = names["DATABASES"]["default"]["OPTIONS"]["options"]
    assert options == "-c statement_timeout=5000 -c synchronous_commit=remote_apply"


# The router's choices -------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Person, Meeting, Nomination])
def test_reads_go_to_the_primary_outside_a_public_read(model):
    assert router.db_for_read(model) == "default"


@pytest.mark.parametrize("model", [Person, Meeting])
def test_reads_of_a_public_read_go_to_the_replica(in_public_read, model):
    assert router.db_for_read(model) == REPLICA_DB_ALIAS


@pytest.mark.parametrize("model", [User, Session, Token, AccessAttempt, TOTPDevice])
def test_sign_in_and_session_tables_are_read_from_the_primary_even_in_a_public_read(in_public_read, model):
    assert router.db_for_read(model) == "default"


def test_writes_go_to_the_primary_and_the_reads_after_a_write_too(in_public_read):
    assert router.db_for_read(Person) == REPLICA_DB_ALIAS

    assert router.db_for_write(Person) == "default"

    assert router.db_for_read(Person) == "default"
    assert router.db_for_write(Person) == "default"


@committed
def test_reads_inside_a_transaction_on_the_primary_stay_on_the_primary(in_public_read):
    assert router.db_for_read(Person) == REPLICA_DB_ALIAS
    with transaction.atomic():
        assert router.db_for_read(Person) == "default"


def test_relations_are_allowed_and_migrations_run_on_the_primary_only():
    assert router.allow_relation(Person(), Meeting()) is True
    assert router.allow_migrate("default", "members") is True
    assert router.allow_migrate(REPLICA_DB_ALIAS, "members") is False
    assert router.allow_migrate(REPLICA_DB_ALIAS, "auth", model_name="user") is False


# Which requests are public reads --------------------------------------------------------------


def resolved(method: str, path: str, **extra):
    request = getattr(RequestFactory(), method)(path, **extra)
    request.resolver_match = resolve(path)
    return request


@pytest.mark.parametrize(
    "path",
    [
        "/kk/",
        "/kk/bodies/",
        "/kk/bodies/assembly/",
        "/kk/composition/",
        "/kk/members/",
        "/kk/members/some-person/",
        "/kk/associations/",
        "/kk/regions/",
        "/kk/regions/almaty/",
        "/kk/sessions/",
        "/kk/sessions/1/",
        "/kk/sessions/documents/1/",
        "/kk/sessions/feed/rss/",
        "/kk/sessions/feed/atom/",
        "/kk/sessions/upcoming.ics",
        "/kk/open-data/",
        "/open-data/persons.csv",
        "/sitemap.xml",
        "/sitemap-pages.xml",
        "/robots.txt",
        "/api/v1/persons/",
        "/api/v1/persons/some-person/",
        "/api/v1/memberships/",
        "/api/v1/regions/",
        "/api/v1/bodies/",
        "/api/v1/sessions/",
        "/api/v1/elections/",
    ],
)
def test_an_anonymous_get_of_the_public_side_is_a_public_read(path):
    assert is_public_read(resolved("get", path)) is True
    assert is_public_read(resolved("head", path)) is True


@pytest.mark.parametrize(
    "path",
    [
        "/kk/admin/",
        "/kk/admin/members/person/",
        "/kk/admin/audit/",
        "/kk/portal/",
        "/kk/portal/login/",
        "/kk/portal/1/",
        "/api/v1/nominations/",
        "/api/v1/nominations/1/",
        "/api/v1/auth/token/",
        "/healthz",
        "/i18n/setlang/",
    ],
)
def test_the_staff_side_is_never_a_public_read(path):
    assert is_public_read(resolved("get", path)) is False


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_only_get_and_head_are_public_reads(method):
    assert is_public_read(resolved(method, "/kk/members/")) is False
    assert is_public_read(resolved(method, "/api/v1/persons/")) is False


@pytest.mark.parametrize("path", ["/kk/members/", "/api/v1/persons/"])
def test_a_request_with_credentials_reads_from_the_primary(path):
    signed_in = resolved("get", path)
    signed_in.COOKIES[settings.SESSION_COOKIE_NAME] = "a-session-key"
    assert is_public_read(signed_in) is False
    assert is_public_read(resolved("get", path, HTTP_AUTHORIZATION="Token 0123456789abcdef")) is False


# End to end: a replica database beside the primary ----------------------------------------------


@pytest.fixture
def replica(transactional_db, settings):
    """A ``replica`` database beside the primary: a second connection to the test database, as
    the settings' ``TEST: {"MIRROR": "default"}`` gives; with the router and its middleware.

    The connection is handed to ``connections`` directly rather than declared in the settings
    (which the test database was set up from), so that Django's test case, which allows only the
    databases it was told of, lets it connect. The data must be committed for it to see them."""
    primary = connections["default"].settings_dict
    connection = load_backend(primary["ENGINE"]).DatabaseWrapper(
        {**primary, "TEST": {"MIRROR": "default"}}, alias=REPLICA_DB_ALIAS
    )
    connections[REPLICA_DB_ALIAS] = connection
    settings.DATABASE_ROUTERS = [ROUTER]
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(middleware.index("axes.middleware.AxesMiddleware"), MIDDLEWARE)
    settings.MIDDLEWARE = middleware
    yield connection
    connection.close()
    del connections[REPLICA_DB_ALIAS]


def queries_by_database(client, url: str) -> tuple[int, int, int]:
    """The status of GET ``url`` and the number of queries it sent to the primary and to the replica."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA_DB_ALIAS]) as replica,
    ):
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    return response.status_code, len(primary), len(replica)


@pytest.fixture
def member(replica):
    return MembershipFactory().person


@committed
def test_an_anonymous_public_page_reads_from_the_replica_only(client, member):
    for url in ("/kk/members/", f"/kk/members/{member.slug}/", "/kk/", "/sitemap.xml", "/kk/sessions/feed/rss/"):
        status, primary, replica = queries_by_database(client, url)
        assert status == 200, url
        assert primary == 0, url
        assert replica > 0, url


@committed
def test_the_public_api_reads_from_the_replica_only(client, member):
    status, primary, replica = queries_by_database(client, "/api/v1/persons/")
    assert status == 200
    assert (primary, replica > 0) == (0, True)
    status, primary, replica = queries_by_database(client, f"/api/v1/persons/{member.slug}/")
    assert status == 200
    assert (primary, replica > 0) == (0, True)


@committed
def test_a_signed_in_user_reads_public_pages_from_the_primary(client, member, staff_user):
    client.force_login(staff_user)
    status, primary, replica = queries_by_database(client, f"/kk/members/{member.slug}/")
    assert status == 200
    assert (primary > 0, replica) == (True, 0)


@committed
def test_the_admin_and_the_portal_read_from_the_primary(client, member, staff_user):
    client.force_login(staff_user)
    for url in ("/kk/admin/", "/kk/admin/members/person/", f"/kk/admin/members/person/{member.pk}/change/"):
        status, primary, replica = queries_by_database(client, url)
        assert status == 200, url
        assert (primary > 0, replica) == (True, 0), url
    client.force_login(regional_office_user())
    status, primary, replica = queries_by_database(client, "/kk/portal/")
    assert status == 200
    assert (primary > 0, replica) == (True, 0)


@committed
def test_the_nominations_api_reads_from_the_primary(replica, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    nomination = NominationFactory()
    client = api_client(nomination.created_by)
    for url in ("/api/v1/nominations/", f"/api/v1/nominations/{nomination.pk}/"):
        status, primary, replica_queries = queries_by_database(client, url)
        assert status == 200, url
        assert (primary > 0, replica_queries) == (True, 0), url


@committed
def test_a_posted_sign_in_reads_from_the_primary(client, replica):
    User.objects.create_user("reader", password="pass-for-tests")
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA_DB_ALIAS]) as replica_queries,
    ):
        response = client.post("/kk/portal/login/", {"username": "reader", "password": "wrong"})
    assert response.status_code == 200
    assert len(primary) > 0
    assert len(replica_queries) == 0
