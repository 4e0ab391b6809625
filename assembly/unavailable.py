"""While the database cannot be reached, the site says so: 503 "try again shortly", never a 500
error page.

A lost connection (the server restarting, failing over, or down) surfaces in a view as
``OperationalError`` or ``InterfaceError`` (Django's, or the driver's own where Django passes
it through unwrapped: closing a server-side cursor, such as the one a list of choices is read
through while the page is drawn); whatever the view was doing did not happen, and the
same request will succeed once the database is back (the workers reconnect by themselves:
``CONN_HEALTH_CHECKS``). The answer is the site's 503 page in the visitor's language, or JSON
with a ``detail`` under /api/, with ``Retry-After``. The page is drawn without the request's
context: nothing on it may ask the database (the signed-in user, say).
"""

import logging

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext as _

from .views import api_error, is_api

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def unavailable_response(request) -> HttpResponse:
    if is_api(request):
        response = api_error(_("The service is temporarily unavailable. Please try again in a few minutes."), 503)
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        driver = connection.Database
        lost = (OperationalError, InterfaceError, driver.OperationalError, driver.InterfaceError)
        if not isinstance(exception, lost):
            return None
        message = str(exception).strip().splitlines()
        logger.warning("Database unavailable: %s: %s", type(exception).__name__, message[0] if message else "")
        return unavailable_response(request)
