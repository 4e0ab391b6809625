"""Reads of the public side from a read replica (``DATABASE_REPLICA_URL``), everything else
from the primary.

Which database a read may use depends on the request, not on the model: the same ``Person``
is read by a public profile (the replica will do) and by the admin form that is about to
change it (it must be the primary). ``ReplicaReadMiddleware`` therefore marks a request as a
*public read* and ``ReplicaRouter`` sends reads to the replica only while that mark is set.

A request is a public read when it is a GET or HEAD of a public page, feed, sitemap, the open
data, or a public API endpoint (a ``PublicReadOnlyViewSet``), **and** it carries no
credentials: no session cookie, no ``Authorization`` header. Everybody who can write (the
Secretariat, the regional offices, their systems) is signed in, so whoever has just saved
something reads from the primary and sees it at once; anonymous visitors, who never write,
may see the site a moment (the replication lag) behind. Deciding by the cookie rather than by
``request.user`` costs no query and keeps the session's own lookup on the primary.

Everything else stays on the primary: writes; every read of a request that is not a public
read (the admin, the portal, the nominations API, sign-in); management commands and other
code outside a request; the rest of a public read after any write in it, and reads inside a
transaction on the primary; and, whatever the request, the tables of sign-in and sessions
(auth, sessions, tokens, django-axes, django-otp).

Both are installed only when ``DATABASE_REPLICA_URL`` is set (see the settings); without it
there is no ``replica`` database and nothing here runs.
"""

from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from .api.public import PublicReadOnlyViewSet

REPLICA_DB_ALIAS = "replica"

# Public pages: their URL namespaces, and the names of those outside one.
PUBLIC_NAMESPACES = frozenset({"members", "regional", "sessions"})
PUBLIC_URL_NAMES = frozenset(
    {
        "home",
        "bodies",
        "body",
        "composition",
        "open-data",
        "open-data-file",
        "robots",
        "sitemap-index",
        "django.contrib.sitemaps.views.sitemap",
    }
)
# Apps whose tables are always read from the primary: signing in, sessions, lockouts and
# second factors must see the latest row (a replica a moment behind could accept a revoked
# token or forget a lockout).
PRIMARY_ONLY_APPS = frozenset({"auth", "sessions", "authtoken", "axes", "otp_totp"})

public_read: ContextVar[bool] = ContextVar("public_read", default=False)


def is_public_read(request) -> bool:
    """Whether ``request`` (resolved: ``request.resolver_match`` is set) may read from the replica."""
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return False
    match = request.resolver_match
    if match is None:
        return False
    view_class = getattr(match.func, "cls", None)
    if isinstance(view_class, type) and issubclass(view_class, PublicReadOnlyViewSet):
        return True
    if match.namespaces:
        return match.namespaces[0] in PUBLIC_NAMESPACES
    return match.url_name in PUBLIC_URL_NAMES


class ReplicaReadMiddleware:
    """Marks a public read for ``ReplicaRouter``, from the view on to the end of the response.

    The mark is set once the URL is resolved (``process_view``), after the other middleware's
    work on the request, and cleared when the request ends, whatever happened in it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = public_read.set(False)
        try:
            return self.get_response(request)
        finally:
            public_read.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_public_read(request):
            public_read.set(True)


class ReplicaRouter:
    """Reads of a public read from the replica; everything else from the primary (``default``)."""

    def db_for_read(self, model, **hints):
        if (
            public_read.get()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
            # Inside a transaction on the primary a read must see what the transaction wrote.
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA_DB_ALIAS
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        # Whatever the request reads after a write must see it: the primary from now on.
        public_read.set(False)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read from one may point to one from the other.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
