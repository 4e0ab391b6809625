"""The Content-Security-Policy's one widening for the staff admin.

Two third-party admin pages carry inline attributes: django-import-export's export form (a
"select all" checkbox with an ``onchange`` handler, two ``style`` attributes) and
django-simple-history's history list (one ``style`` attribute). On the admin's pages the
policy allows exactly those attribute values, by their SHA-256 ('unsafe-hashes'); any other
inline script or style stays blocked, and nothing changes outside the admin. The browser
test (tests/browser/test_csp.py) fails if an upgrade of either package changes them.
"""

import re

from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase

ADMIN_PATH = re.compile(r"^/[a-z]{2}/admin/")
UNSAFE_HASHES = "'unsafe-hashes'"
ADMIN_ATTRIBUTES = {
    "script-src-attr": [
        UNSAFE_HASHES,
        "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='",  # onSelectToggleChange(event)
    ],
    "style-src-attr": [
        UNSAFE_HASHES,
        "'sha256-mHgUAqxc8GPXM/QhzkHrHujcrQTU9fd6ZjWz+icxKcA='",  # padding: 0;
        "'sha256-+YWRMZ88jMyO7jVlBA52tZADiPobPIUA8LAWee68Fvs='",  # font-weight: bold;
        "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",  # border-top: 0
    ],
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's attribute hashes on the admin's pages."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and ADMIN_PATH.match(request.path_info):
            parts.update = {**ADMIN_ATTRIBUTES, **(parts.update or {})}
        return parts
