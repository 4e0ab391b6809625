"""One structured log line per request.

The line has the method, the path (never the query string: a search may hold a name or an
IIN), the status, the duration in milliseconds and the user's id; the request id is added
to it, as to every other record, by django-guid's log filter (``LOGGING`` in the settings).
"""

import logging
import time

from django.http import HttpRequest, HttpResponseBase
from django.utils.functional import LazyObject, empty

logger = logging.getLogger("assembly.request")


def known_user_id(request: HttpRequest) -> int | None:
    """The id of the signed-in user if the request has already looked them up, else None.

    Looking the user up here would cost two queries on pages that never needed the user,
    and would fail while the database is down.
    """
    user = getattr(request, "user", None)
    if user is None or (isinstance(user, LazyObject) and user._wrapped is empty):
        return None
    return user.pk if user.is_authenticated else None


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        # The load balancer asks every few seconds; a healthy answer is not news.
        healthy_check = request.path_info == "/healthz" and response.status_code == 200
        logger.log(
            logging.DEBUG if healthy_check else logging.INFO,
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user_id": known_user_id(request),
            },
        )
        return response
