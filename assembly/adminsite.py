"""The staff admin's site, with two-factor sign-in (``assembly.twofactor``).

``assembly.apps.AssemblyAdminConfig`` takes the place of ``django.contrib.admin`` in
``INSTALLED_APPS``, so that ``admin.site``, where every app registers its models, is an
``AssemblyAdminSite``.
"""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import urlencode

from . import twofactor


class AssemblyAdminSite(admin.AdminSite):
    """While two-factor sign-in is required, only a session verified with a code gets in; a
    staff member who has not set up an authenticator app is sent to set one up."""

    login_form = twofactor.AdminLoginForm
    login_template = "admin/two_factor/login.html"

    def has_permission(self, request):
        return super().has_permission(request) and (not twofactor.required() or twofactor.is_verified(request.user))

    def login(self, request, extra_context=None):
        if request.method == "GET" and twofactor.needs_enrolment(request.user):
            enrol = reverse("admin:two_factor", current_app=self.name)
            next_url = request.GET.get(REDIRECT_FIELD_NAME)
            return redirect(f"{enrol}?{urlencode({REDIRECT_FIELD_NAME: next_url})}" if next_url else enrol)
        return super().login(request, {"otp_required": twofactor.required(), **(extra_context or {})})

    def get_urls(self):
        enrol = twofactor.EnrolView.as_view(admin_site=self)
        return [path("two-factor/", enrol, name="two_factor"), *super().get_urls()]
