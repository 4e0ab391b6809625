"""The cache of the public pages and the public API, for anonymous visitors.

What is cached: the answer to a ``GET`` (served again to a ``GET`` or ``HEAD``) of a public
page or public API endpoint, the same set that may read from a replica
(``assembly.dbrouter.is_public_read``: never the admin, the portal, the nominations or the
token endpoint), from a visitor who is not signed in (no session cookie, no ``Authorization``
header), when the answer is a 200 that sets no cookie, varies on nothing but the language and
does not forbid caching. The key is the address (scheme, host, path and query string), the
language the page is drawn in (the path's prefix, else the language cookie or
``Accept-Language``), today's date (pages that list who serves "today") and the data version.
``PUBLIC_CACHE_SECONDS`` bounds how long an entry lives; 0 turns the cache off.

Not Django's cache middleware: its key prefix is fixed (no data version), it keys on every
header in ``Vary`` rather than leaving signed-in users out, and it sends ``max-age`` to the
browsers, which would then keep a page after an edit. Nor django-cacheops: it caches querysets
by patching the ORM, and needs Redis.

Invalidation: the data version is one value, shared by every process (the ``data_version``
cache: Redis with ``REDIS_URL``, else a file of this machine), replaced after every committed
write of the records: ``post_save``, ``post_delete`` and ``m2m_changed`` of every model of the
project's apps (``connect_signals``), the bulk writes of ``assembly.audit``, the notifications'
bulk writes (``regional.services``), ``demo_data``, ``restore`` and ``migrate``. A new version
makes every stored page unreachable at once; the old entries expire by themselves.

Why after the commit, and why the version is read before the page is drawn: a visitor's page is
stored under the version read before its queries ran. A write that commits while the page is
drawn replaces the version only after its commit, so the page (old data or new) is stored under
a version that is already, or is about to be, out of date, and is never served. Replacing the
version before the commit instead would let a visitor read the new version, draw the old data
(the write not yet visible) and store it under the new version: a stale page until it expired.
The version is a fresh random value rather than a counter: the file store has no atomic
increment, and two racing increments could write the same number, so a page drawn between two
writes could outlive the second one.
"""

import hashlib
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone, translation
from django.utils.cache import set_response_etag
from simple_history.models import HistoricalChanges

PAGES_CACHE = "default"
VERSION_CACHE = "data_version"
VERSION_KEY = "public-cache:data-version"
RECORD_APPS = ("assembly", "members", "regional", "assembly_sessions")
# The language is part of the key; any other header an answer varies on is not.
KEYED_VARY = {"accept-language"}


def data_version() -> str:
    store = caches[VERSION_CACHE]
    version = store.get(VERSION_KEY)
    if version is None:
        # First use, or the entry was evicted: whichever process adds one first, all use it.
        store.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = store.get(VERSION_KEY)
    return version


def bump_data_version() -> None:
    """Make every stored page out of date. Call it only once the write is committed (see
    ``schedule_bump``)."""
    caches[VERSION_CACHE].set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def schedule_bump(using: str | None = None) -> None:
    """Replace the data version once the current transaction commits (at once outside one).

    One replacement per transaction, however many rows it writes: a pending one already covers
    this write, since any rollback that would drop it also undoes this write.
    """
    connection = transaction.get_connection(using or DEFAULT_DB_ALIAS)
    if connection.in_atomic_block and any(
        func is bump_data_version for _sids, func, _robust in connection.run_on_commit
    ):
        return
    # robust: the write has committed; a cache that cannot be reached must not turn its answer into an error.
    transaction.on_commit(bump_data_version, using=using, robust=True)


def _record_written(sender, using=None, **kwargs) -> None:
    schedule_bump(using)


def _relation_changed(sender, action, using=None, **kwargs) -> None:
    if action.startswith("post_"):
        schedule_bump(using)


def _migrated(sender, **kwargs) -> None:
    bump_data_version()


def connect_signals(app_config) -> None:
    """Connect the invalidation to every model of the project's apps but the history tables
    (each of their rows comes with a write of the record itself); ``app_config`` owns the
    ``post_migrate`` receiver (data migrations, deployments)."""
    for label in RECORD_APPS:
        for model in apps.get_app_config(label).get_models():
            if issubclass(model, HistoricalChanges):
                continue
            post_save.connect(_record_written, sender=model)
            post_delete.connect(_record_written, sender=model)
            for field in model._meta.many_to_many:
                m2m_changed.connect(_relation_changed, sender=field.remote_field.through)
    post_migrate.connect(_migrated, sender=app_config)


def _anonymous_read(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and "HTTP_AUTHORIZATION" not in request.META
        # A session or message cookie may change the page (a signed-in user, a message to show).
        and set(request.COOKIES) <= {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    )


def _storable_response(response: HttpResponseBase) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(directive in cache_control for directive in ("private", "no-store", "no-cache")):
        return False
    vary = {header.strip().lower() for header in response.get("Vary", "").split(",") if header.strip()}
    return vary <= KEYED_VARY


def page_key(request: HttpRequest) -> str:
    """The key of the request's page; reads the data version, so call it before drawing the page."""
    language = translation.get_language_from_request(request, check_path=True)
    # Absolute: the API's answers hold absolute links, which depend on the scheme and the host.
    address = request.build_absolute_uri()
    digest = hashlib.sha256(f"{language}\n{timezone.localdate().isoformat()}\n{address}".encode()).hexdigest()
    return f"public-page:{data_version()}:{digest}"


class PublicCacheMiddleware:
    """Serve and store the public pages of anonymous visitors (see the module's docstring).

    Placed before the session, CSRF and message middleware, so that it sees every cookie they
    set, and after those whose headers belong to each answer (the request id, CORS, ETag).
    """

    def __init__(self, get_response):
        # Imported here: the models import this module (through assembly.audit) before the API's
        # modules can be loaded.
        from assembly.dbrouter import is_public_read

        self.get_response = get_response
        self.is_public_read = is_public_read

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        seconds = settings.PUBLIC_CACHE_SECONDS
        if not seconds or not _anonymous_read(request):
            return self.get_response(request)
        key = page_key(request)
        pages = caches[PAGES_CACHE]
        stored = pages.get(key)
        if stored is not None:
            status, headers, content = stored
            return HttpResponse(content, status=status, headers=headers)
        response = self.get_response(request)
        # The view is known only once the request is resolved: a page is stored only if its view
        # is public, so only a public page can be found under a key.
        if request.method == "GET" and self.is_public_read(request) and _storable_response(response):
            # The ETag that ConditionalGetMiddleware would compute from the content on every answer
            # is computed once here and stored with the page.
            set_response_etag(response)
            pages.set(key, (response.status_code, dict(response.items()), response.content), seconds)
        return response
