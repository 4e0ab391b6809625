"""Who a user is to the nominations.

- A **regional office user** has a ``RegionalOfficeUser`` profile: they belong to one
  region, prepare and submit its nominations, and are that region's secretariat for the
  nominations to its own assembly.
- A **Secretariat editor** or **viewer** is an active staff user in the group of that
  name (see ``members/migrations/0003_secretariat_groups.py``); both see every region's
  nominations, only an editor records the Secretariat's steps. A superuser counts as an
  editor.
- Anyone else, including an anonymous visitor, has no role and sees no nomination.

The answers come in one query, cached on the user object: a request asks once.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.db.models import Exists, OuterRef

SECRETARIAT_EDITOR = "Secretariat editor"
SECRETARIAT_VIEWER = "Secretariat viewer"

_CACHE = "_nomination_roles"


def _roles(user) -> dict:
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return cached
    roles = {"region_id": None, "editor": False, "viewer": False}
    if user is not None and not isinstance(user, AnonymousUser) and user.is_active:
        in_group = {
            name: Exists(Group.objects.filter(user=OuterRef("pk"), name=name))
            for name in (SECRETARIAT_EDITOR, SECRETARIAT_VIEWER)
        }
        row = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .values_list("regional_office__region_id", in_group[SECRETARIAT_EDITOR], in_group[SECRETARIAT_VIEWER])
            .first()
        )
        if row is not None:
            region_id, editor, viewer = row
            roles["region_id"] = region_id
            if user.is_staff:
                roles["editor"] = user.is_superuser or editor
                roles["viewer"] = roles["editor"] or viewer
    if user is not None:
        setattr(user, _CACHE, roles)
    return roles


def forget_roles(user) -> None:
    """Drop the cached roles (after the user's groups or region changed)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def office_region_id(user) -> int | None:
    """The region of a regional office user, or None."""
    return _roles(user)["region_id"]


def is_office_user_of(user, region_id: int) -> bool:
    return region_id is not None and office_region_id(user) == region_id


def is_secretariat_editor(user) -> bool:
    return _roles(user)["editor"]


def is_secretariat(user) -> bool:
    """An editor or a viewer of the Secretariat: sees every region's nominations."""
    return _roles(user)["viewer"]


def can_view_nomination(user, nomination) -> bool:
    """The Secretariat sees every nomination, a regional office user those of their region."""
    return is_secretariat(user) or is_office_user_of(user, nomination.region_id)
