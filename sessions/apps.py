from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsConfig(AppConfig):
    """Sessions and meetings of every body.

    The label is ``assembly_sessions``: ``sessions`` belongs to ``django.contrib.sessions``.
    """

    name = "sessions"
    label = "assembly_sessions"
    verbose_name = _("Sessions and meetings")
