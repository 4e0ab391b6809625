from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class AssemblyConfig(AppConfig):
    name = "assembly"
    label = "assembly"
    verbose_name = _("Assembly and its bodies")

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from . import audit, public_cache

        # The actor of a management command or a service, on every history row (assembly.audit).
        pre_create_historical_record.connect(audit.fill_from_context)
        # Every write of the records makes the cached public pages out of date.
        public_cache.connect_signals(self)


class AssemblyAdminConfig(AdminConfig):
    """``django.contrib.admin`` with ``admin.site``, where every app registers its models, an
    ``assembly.adminsite.AssemblyAdminSite`` (two-factor sign-in), and with the records of
    sign-ins shown to the Secretariat (``assembly.signins_admin``)."""

    default_site = "assembly.adminsite.AssemblyAdminSite"

    def ready(self):
        super().ready()
        from . import signins_admin

        signins_admin.register()
