"""The lockout after repeated failed sign-ins (django-axes), as this site needs it.

Every sign-in (the staff admin, the regional office portal, the API token endpoint) calls
``django.contrib.auth.authenticate`` with the request, so django-axes' backend sees them all:
after ``AXES_FAILURE_LIMIT`` failures of one user name from one client address, that pair is
refused for ``AXES_COOLOFF_TIME``, even with the right password. The settings name the three
hooks below; README, "Security: logins", says how to unlock someone.
"""

import ipaddress
import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, by the rule of the API's throttles (``REST_FRAMEWORK["NUM_PROXIES"]``).

    Behind N proxies it is the N-th address from the right of ``X-Forwarded-For`` (each proxy
    appends the address it saw); without proxies only ``REMOTE_ADDR``, where the throttles
    would trust the header: a client could write any ``X-Forwarded-For`` and so start afresh
    with every try. What is not an address counts as coming from the proxy itself.
    """
    remote_addr = request.META.get("REMOTE_ADDR")
    if not settings.REST_FRAMEWORK.get("NUM_PROXIES"):
        return remote_addr
    try:
        return str(ipaddress.ip_address(BaseThrottle().get_ident(request)))
    except ValueError:
        return remote_addr


class LoginAttemptHandler(AxesDatabaseHandler):
    """django-axes' database handler, which also sees the lockouts of the API.

    DRF hands ``authenticate`` its own request object, which wraps Django's: the lockout mark
    django-axes puts on it must reach the Django request, the one ``AxesMiddleware`` answers for.
    """

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if isinstance(request, Request) and getattr(request, "axes_locked_out", False):
            request._request.axes_locked_out = True
            request._request.axes_credentials = request.axes_credentials


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """429 Too Many Requests, with ``Retry-After``: JSON with ``detail`` for the API, else a page."""
    seconds = int(get_cool_off(request).total_seconds())
    minutes = math.ceil(seconds / 60)
    message = ngettext(
        "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
        "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "assembly/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response
