"""django-axes' records of sign-ins in the staff admin, for the Secretariat.

django-axes registers its own admin classes while the admin modules are discovered;
``assembly.apps.AssemblyAdminConfig.ready`` then puts these in their place.
"""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin

from regional import roles


class SecretariatSeesSignIns:
    """Every Secretariat user (``regional.roles``) reads the records of sign-ins: who failed
    to sign in, from where, and who is locked out. Nobody edits them."""

    def has_module_permission(self, request):
        return super().has_module_permission(request) or roles.is_secretariat(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or roles.is_secretariat(request.user)

    def has_change_permission(self, request, obj=None):
        return False


class SecretariatAccessAttemptAdmin(SecretariatSeesSignIns, AccessAttemptAdmin):
    """Deleting an attempt unlocks that user name at that address: a Secretariat editor may."""

    # Not django-axes' "clean up expired attempts": it fails on a request that did not sign in,
    # and every sign-in removes the expired attempts anyway.
    actions = []

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) or roles.is_secretariat_editor(request.user)


class SecretariatAccessLogAdmin(SecretariatSeesSignIns, AccessLogAdmin):
    pass


class SecretariatAccessFailureLogAdmin(SecretariatSeesSignIns, AccessFailureLogAdmin):
    pass


def register() -> None:
    for model, model_admin in (
        (AccessAttempt, SecretariatAccessAttemptAdmin),
        (AccessLog, SecretariatAccessLogAdmin),
        (AccessFailureLog, SecretariatAccessFailureLogAdmin),
    ):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, model_admin)
