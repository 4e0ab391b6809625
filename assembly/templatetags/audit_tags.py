"""Template helpers of the audit log (assembly.audit_admin)."""

from django import template

from regional import roles

register = template.Library()


@register.filter
def sees_audit_log(user) -> bool:
    """Whether ``user`` may read the audit log: the Secretariat's viewers and editors."""
    return roles.is_secretariat(user)
