"""The authorization matrix: every URL pattern of the project, asked by every role, and the
answer each must get.

The roles: an anonymous visitor, the regional offices of two regions (A: Almaty city, B:
Akmola), a Secretariat viewer, a Secretariat editor and a superuser (``regional.roles``). The
expected answers are the table ``RULES`` below, one rule per URL pattern (by its name, or by
its route when it has none) and, for the staff admin, one profile per model (``ADMIN_MODELS``).
A URL pattern without a rule fails ``test_every_url_pattern_has_a_rule``, naming it: a new
address cannot go live without someone deciding who may open it.

Each rule has one or more concrete addresses (``Case``), filled in from a small data set, and
two rows of six answers, one per role:

- ``get``: the answer to GET;
- ``write``: the answer to an unsafe request (POST unless the case says otherwise). ``-``
  marks a role to whom the matrix sends none: one allowed to write there (the tests of each
  app check those writes), or a sign-in or sign-out.

The answers: ``OK`` (200), ``REDIRECT`` (a redirect elsewhere than a sign-in page), ``LOGIN``
(a redirect to the admin's or the portal's sign-in), or the status code (400, 401, 403, 404,
405). Whatever the answer, a request this matrix sends must not write to the database: every
row inserted, changed or deleted (even in a transaction rolled back) is counted by
PostgreSQL's ``pg_stat_xact_user_tables``, and only the session table may change.

The test client sends no CSRF token and is not refused for it: the refusals seen here are the
authorization's. Two-factor sign-in is off, as in every test that does not turn it on
(``assembly.test_settings``); ``test_two_factor_closes_the_admin_to_an_unverified_session``
turns it on and checks that a staff session without a code reaches none of the admin's pages.
"""

import dataclasses
import datetime
import re
from collections.abc import Callable
from operator import attrgetter
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import LocalePrefixPattern
from django.utils import timezone, translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from assembly.opendata.files import FILES
from members.models import Membership
from regional.models import Notification, RegionalOfficeUser
from sessions import services as session_services
from sessions.models import Attendance, MeetingRules
from tests.factories import (
    AgendaItemFactory,
    AssociationFactory,
    BodyFactory,
    DecisionFactory,
    DocumentFactory,
    ElectionFactory,
    EthnicGroupFactory,
    MeetingFactory,
    MembershipFactory,
    NominationFactory,
    PersonFactory,
    PostFactory,
    national_body,
    next_iin,
    regional_office_user,
    secretariat_user,
    upload,
)

ROLES = ("anonymous", "office_a", "office_b", "viewer", "editor", "superuser")
NOT_SENT = "-"
OK, REDIRECT, LOGIN = "OK", "REDIRECT", "LOGIN"
ANSWERS = {OK, REDIRECT, LOGIN, "400", "401", "403", "404", "405", NOT_SENT}
# The tables a request may write to without changing anything the site keeps: the session.
WRITABLE_TABLES = {"django_session"}


def row(answers: str) -> dict[str, str]:
    """``"LOGIN OK 404 OK OK OK"``: one answer per role, in the order of ``ROLES``."""
    tokens = answers.split()
    assert len(tokens) == len(ROLES) and set(tokens) <= ANSWERS, answers
    return dict(zip(ROLES, tokens, strict=True))


def everyone(answer: str) -> str:
    return " ".join([answer] * len(ROLES))


@dataclasses.dataclass(frozen=True)
class Case:
    """A concrete address of a URL pattern and the answers there.

    ``args`` are the pattern's arguments (a dict of keyword arguments, or a tuple of positional
    ones), each the dotted path of a value in the data set (``"nomination_a.pk"``), a callable
    of the data set, or a literal. ``url`` is the address of a pattern without a name, with
    ``{lang}`` and the arguments formatted in. ``data`` is the body of the unsafe request (a
    callable of the data set when it holds files), sent as JSON when ``json``.
    """

    get: str
    write: str
    args: dict | tuple = ()
    url: str = ""
    query: str = ""
    method: str = "post"
    data: dict | Callable | None = None
    json: bool = False
    label: str = ""


def value(world, reference):
    """A reference to the data set (a callable of it, or a dotted path whose first part names
    one of its values: ``"nomination_a.pk"``), resolved; anything else as it is."""
    if callable(reference):
        return reference(world)
    if isinstance(reference, str) and hasattr(world, reference.split(".")[0]):
        return attrgetter(reference)(world)
    return reference


def public(**args) -> Case:
    """A public page or file, or an endpoint of the public API: the same for everyone, read-only."""
    return Case(get=everyone(OK), write=everyone("405"), args=args)


def public_any_method(**args) -> Case:
    """A public view that answers any method alike and writes nothing (feeds, sitemaps, downloads)."""
    return Case(get=everyone(OK), write=everyone(OK), args=args)


def never_public(**args) -> Case:
    """What no page shows: not found, for everyone."""
    return Case(get=everyone("404"), write=everyone("405"), args=args)


NOMINATION_A = {"pk": "nomination_a.pk"}
VERSION_A = {"version": "nomination_a.version"}


# The answers for every pattern outside the staff admin's models. Columns, in every row:
#                      anonymous office_a office_b viewer editor superuser
RULES: dict[str, Case | list[Case]] = {
    # Outside the language prefix.
    "": Case(get=everyone(REDIRECT), write=everyone(REDIRECT), url="/"),
    "healthz": public(),
    "set_language": Case(get=everyone(REDIRECT), write=everyone(NOT_SENT)),
    "robots": public(),
    "sitemap-index": public_any_method(),
    "django.contrib.sitemaps.views.sitemap": [
        dataclasses.replace(public_any_method(section=section), label=section)
        for section in ("pages", "members", "bodies", "regions", "sessions")
    ],
    "api-token": Case(get=everyone("405"), write=everyone(NOT_SENT)),
    "api-schema": public(),
    "api-docs": public(),
    "api/": Case(get=everyone(REDIRECT), write=everyone(REDIRECT), url="/api/"),
    "open-data-file": [
        dataclasses.replace(public(filename="open_data_file"), label="a data file"),
        dataclasses.replace(never_public(filename="settings.py"), label="another file"),
    ],
    # The public API: read-only for everyone.
    "assembly_api:body-list": public(),
    "assembly_api:body-detail": public(slug="body.slug"),
    "assembly_api:post-list": public(),
    "assembly_api:post-detail": public(pk="post.pk"),
    "members_api:person-list": public(),
    "members_api:person-detail": [
        dataclasses.replace(public(slug="person.slug"), label="a member"),
        dataclasses.replace(never_public(slug="private_person.slug"), label="never a member"),
    ],
    "members_api:membership-list": public(),
    "members_api:membership-detail": public(pk="membership.pk"),
    "members_api:association-list": public(),
    "members_api:association-detail": public(slug="association.slug"),
    "members_api:ethnic-group-list": public(),
    "members_api:ethnic-group-detail": public(slug="ethnic_group.slug"),
    "sessions_api:meeting-list": public(),
    "sessions_api:meeting-detail": public(pk="meeting.pk"),
    "sessions_api:agenda-item-list": public(),
    "sessions_api:agenda-item-detail": public(pk="agenda_item.pk"),
    "sessions_api:decision-list": public(),
    "sessions_api:decision-detail": public(pk="decision.pk"),
    "sessions_api:election-list": public(),
    "sessions_api:election-detail": public(pk="election.pk"),
    "regional_api:region-list": public(),
    "regional_api:region-detail": public(slug="region_a.slug"),
    # The nominations API: a region's office sees its own region's, another region's is not found.
    "regional_api:nomination-list": Case(
        get="401 OK OK OK OK OK", write="401 - - 403 403 403", data=lambda world: world.new_draft, json=True
    ),
    "regional_api:nomination-detail": Case(
        get="401 OK 404 OK OK OK",
        write="401 - 404 403 403 403",
        args=NOMINATION_A,
        method="patch",
        data={**VERSION_A, "position_kk": "Өзгертілді"},
        json=True,
    ),
    **{
        f"regional_api:nomination-{step}": Case(
            get="401 405 405 405 405 405",
            write="401 - 404 403 403 403",
            args=NOMINATION_A,
            data={**VERSION_A, "action": "submit"} if step == "transition" else VERSION_A,
            json=True,
        )
        for step in ("submit", "withdraw", "answer", "transition")
    },
    "regional_api:nomination-documents": Case(
        get="401 405 405 405 405 405",
        write="401 - 404 403 403 403",
        args=NOMINATION_A,
        data=lambda world: {"kind": "consent", "file": upload("consent.pdf")},
    ),
    # The public site, under the language prefix.
    "home": public(),
    "bodies": public(),
    "body": public(slug="body.slug"),
    "composition": public(),
    "open-data": public(),
    "members:directory": public(),
    "members:profile": [
        dataclasses.replace(public(slug="person.slug"), label="a member"),
        dataclasses.replace(never_public(slug="private_person.slug"), label="never a member"),
    ],
    "members:associations": public(),
    "regional:list": public(),
    "regional:detail": public(slug="region_a.slug"),
    "sessions:list": public(),
    "sessions:detail": public(pk="meeting.pk"),
    "sessions:document": [
        dataclasses.replace(public_any_method(pk="public_document.pk"), label="public"),
        # Restricted: for the staff who may view documents; not found (not forbidden) for others.
        Case(
            get="404 404 404 OK OK OK",
            write="404 404 404 OK OK OK",
            args={"pk": "restricted_document.pk"},
            label="restricted",
        ),
    ],
    "sessions:feed-rss": public_any_method(),
    "sessions:feed-atom": public_any_method(),
    "sessions:calendar": public_any_method(),
    # The regional office portal.
    "portal:list": Case(get="LOGIN OK OK OK OK OK", write="LOGIN 405 405 405 405 405"),
    "portal:login": Case(get="OK REDIRECT REDIRECT REDIRECT REDIRECT REDIRECT", write=everyone(NOT_SENT)),
    "portal:logout": Case(get=everyone("405"), write=everyone(NOT_SENT)),
    "portal:create": Case(get="LOGIN OK OK 403 403 403", write="LOGIN - - 403 403 403"),
    "portal:dashboard": Case(get="LOGIN 403 403 OK OK OK", write="LOGIN 403 403 405 405 405"),
    "portal:notifications": Case(get="LOGIN OK OK OK OK OK", write="LOGIN 405 405 405 405 405"),
    "portal:notifications-read-all": Case(get="LOGIN 405 405 405 405 405", write="LOGIN - - - - -"),
    "portal:notification-read": Case(
        get="LOGIN 405 405 405 405 405", write="LOGIN - 404 404 404 404", args={"pk": "notification_a.pk"}
    ),
    "portal:detail": Case(get="LOGIN OK 404 OK OK OK", write="LOGIN 405 405 405 405 405", args=NOMINATION_A),
    "portal:edit": Case(
        get="LOGIN OK 404 403 403 403",
        write="LOGIN - 404 403 403 403",
        args=NOMINATION_A,
        data=lambda world: world.portal_edit,
    ),
    "portal:transition": Case(
        get="LOGIN 405 405 405 405 405",
        write="LOGIN - 404 403 403 403",
        args={**NOMINATION_A, "action": "submit"},
        data={"submit-version": "nomination_a.version"},
    ),
    "portal:document-upload": Case(
        get="LOGIN 405 405 405 405 405",
        write="LOGIN - 404 403 403 403",
        args=NOMINATION_A,
        data=lambda world: {"kind": "consent", "file": upload("consent.pdf")},
    ),
    "portal:document": Case(
        get="LOGIN OK 404 OK OK OK",
        write="LOGIN 405 405 405 405 405",
        args={**NOMINATION_A, "document_pk": "document_a.pk"},
    ),
    "portal:document-remove": Case(
        get="LOGIN 405 405 405 405 405",
        write="LOGIN - 404 403 403 403",
        args={**NOMINATION_A, "document_pk": "document_a.pk"},
    ),
    # The staff admin's own pages. Users who are not staff are sent to its sign-in.
    "admin:index": Case(get="LOGIN LOGIN LOGIN OK OK OK", write="LOGIN LOGIN LOGIN OK OK OK"),
    "admin:login": Case(get="OK OK OK REDIRECT REDIRECT REDIRECT", write=everyone(NOT_SENT)),
    "admin:logout": Case(get="REDIRECT REDIRECT REDIRECT 405 405 405", write=everyone(NOT_SENT)),
    "admin:password_change": Case(get="LOGIN LOGIN LOGIN OK OK OK", write="LOGIN LOGIN LOGIN - - -"),
    "admin:password_change_done": Case(get="LOGIN LOGIN LOGIN OK OK OK", write="LOGIN LOGIN LOGIN 405 405 405"),
    "admin:two_factor": Case(get="LOGIN LOGIN LOGIN OK OK OK", write="LOGIN LOGIN LOGIN - - -"),
    "admin:autocomplete": Case(
        get="LOGIN LOGIN LOGIN OK OK OK",
        write="LOGIN LOGIN LOGIN 405 405 405",
        query="app_label=members&model_name=membership&field_name=person&term=a",
    ),
    "admin:jsi18n": Case(get="LOGIN LOGIN LOGIN OK OK OK", write="LOGIN LOGIN LOGIN 405 405 405"),
    "admin:view_on_site": Case(
        get="LOGIN LOGIN LOGIN 404 404 404",
        write="LOGIN LOGIN LOGIN 404 404 404",
        args={"content_type_id": "person_content_type.pk", "object_id": "person.pk"},
    ),
    "admin:app_list": [
        Case(
            get="LOGIN LOGIN LOGIN OK OK OK",
            write="LOGIN LOGIN LOGIN OK OK OK",
            args={"app_label": "members"},
            label="members",
        ),
        Case(
            get="LOGIN LOGIN LOGIN 404 404 OK",
            write="LOGIN LOGIN LOGIN 404 404 OK",
            args={"app_label": "auth"},
            label="auth",
        ),
    ],
    "admin/(?P<url>.*)$": Case(
        get="LOGIN LOGIN LOGIN 404 404 404", write="LOGIN LOGIN LOGIN 404 404 404", url="/{lang}/admin/nothing/here/"
    ),
    "audit-log": Case(get="LOGIN LOGIN LOGIN OK OK OK", write="LOGIN LOGIN LOGIN 405 405 405"),
    # Pages of particular models.
    "admin:assembly_body_composition": Case(
        get="LOGIN LOGIN LOGIN OK OK OK", write="LOGIN LOGIN LOGIN OK OK OK", args={"object_id": "body.pk"}
    ),
    **{
        f"admin:assembly_sessions_meeting_{page}": Case(
            get="LOGIN LOGIN LOGIN OK OK OK", write="LOGIN LOGIN LOGIN 403 - -", args={"object_id": "meeting.pk"}
        )
        for page in ("attendance", "votes")
    },
    **{
        f"admin:assembly_sessions_meeting_{page}": Case(
            get="LOGIN LOGIN LOGIN OK OK OK", write="LOGIN LOGIN LOGIN OK OK OK", args={"object_id": "meeting.pk"}
        )
        for page in ("attendance_csv", "attendance_pdf")
    },
    **{
        f"admin:members_{model}_{page}": case
        for model in ("person", "membership")
        for page, case in {
            "import": Case(get="LOGIN LOGIN LOGIN 403 OK OK", write="LOGIN LOGIN LOGIN 403 - -"),
            "process_import": Case(get="LOGIN LOGIN LOGIN 405 405 405", write="LOGIN LOGIN LOGIN 403 - -"),
            "export": Case(get="LOGIN LOGIN LOGIN OK OK OK", write="LOGIN LOGIN LOGIN - - -"),
        }.items()
    },
    # django-otp's pages of a device: its secret is never shown (OTP_ADMIN_HIDE_SENSITIVE_DATA).
    **{
        f"admin:otp_totp_totpdevice_{page}": Case(
            get="LOGIN LOGIN LOGIN 403 403 403", write="LOGIN LOGIN LOGIN 403 403 403", args={"pk": "device.pk"}
        )
        for page in ("config", "qrcode")
    },
    # django-axes' own action "Clean up expired attempts" deletes attempts, and was offered
    # to everyone who sees the list (a viewer too). It is not offered: the list again.
    "admin:axes_accessattempt_changelist": Case(
        get="LOGIN LOGIN LOGIN OK OK OK",
        write="LOGIN LOGIN LOGIN OK - -",
        data={"action": "cleanup_expired_attempts", "_selected_action": "expired_attempt.pk"},
        label="clean up",
    ),
    "admin:auth_user_password_change": Case(
        get="LOGIN LOGIN LOGIN 403 403 OK", write="LOGIN LOGIN LOGIN 403 403 -", args={"id": "office_a.pk"}
    ),
}

# The staff admin's pages of each model: its list, add, change, delete and history pages,
# the page of one past version (django-simple-history) and the bare object address (a
# redirect to its change page). A profile gives the (get, write) rows of each.
_STAFF = "LOGIN LOGIN LOGIN"
# Edited by the Secretariat's editors, read by its viewers.
SECRETARIAT_EDITS = {
    # The list answers a viewer's action with the list again: the viewer is offered no action.
    "changelist": (f"{_STAFF} OK OK OK", f"{_STAFF} OK - -"),
    "add": (f"{_STAFF} 403 OK OK", f"{_STAFF} 403 - -"),
    "change": (f"{_STAFF} OK OK OK", f"{_STAFF} 403 - -"),
    "delete": (f"{_STAFF} 403 OK OK", f"{_STAFF} 403 - -"),
    "history": (f"{_STAFF} OK OK OK", f"{_STAFF} OK OK OK"),
    # The page of a past version is the form that reverts the object to it: a change.
    "simple_history": (f"{_STAFF} 403 OK OK", f"{_STAFF} 403 - -"),
    "object": (f"{_STAFF} REDIRECT REDIRECT REDIRECT", f"{_STAFF} REDIRECT REDIRECT REDIRECT"),
}
# Reference data loaded by a migration: the Secretariat reads it, a superuser corrects it,
# nobody adds or deletes it here.
REFERENCE = {
    "changelist": (f"{_STAFF} OK OK OK", f"{_STAFF} OK OK OK"),
    "add": (f"{_STAFF} 403 403 403", f"{_STAFF} 403 403 403"),
    "change": (f"{_STAFF} OK OK OK", f"{_STAFF} 403 403 -"),
    "delete": (f"{_STAFF} 403 403 403", f"{_STAFF} 403 403 403"),
    "history": (f"{_STAFF} OK OK OK", f"{_STAFF} OK OK OK"),
    "simple_history": (f"{_STAFF} 403 403 OK", f"{_STAFF} 403 403 -"),
    "object": (f"{_STAFF} REDIRECT REDIRECT REDIRECT", f"{_STAFF} REDIRECT REDIRECT REDIRECT"),
}
# Nominations: the Secretariat reads them; they change only through the procedure, never here.
PROCEDURE_ONLY = {
    "changelist": (f"{_STAFF} OK OK OK", f"{_STAFF} OK OK OK"),
    "add": (f"{_STAFF} 403 403 403", f"{_STAFF} 403 403 403"),
    "change": (f"{_STAFF} OK OK OK", f"{_STAFF} 403 403 403"),
    "delete": (f"{_STAFF} 403 403 403", f"{_STAFF} 403 403 403"),
    "history": (f"{_STAFF} OK OK OK", f"{_STAFF} OK OK OK"),
    "simple_history": (f"{_STAFF} 403 403 403", f"{_STAFF} 403 403 403"),
    "object": (f"{_STAFF} REDIRECT REDIRECT REDIRECT", f"{_STAFF} REDIRECT REDIRECT REDIRECT"),
}
# Groups, API tokens, authenticator devices, regional office profiles: the superuser's.
SUPERUSER_ONLY = {
    "changelist": (f"{_STAFF} 403 403 OK", f"{_STAFF} 403 403 -"),
    "add": (f"{_STAFF} 403 403 OK", f"{_STAFF} 403 403 -"),
    "change": (f"{_STAFF} 403 403 OK", f"{_STAFF} 403 403 -"),
    "delete": (f"{_STAFF} 403 403 OK", f"{_STAFF} 403 403 -"),
    "history": (f"{_STAFF} 403 403 OK", f"{_STAFF} 403 403 OK"),
    "simple_history": (f"{_STAFF} 403 403 OK", f"{_STAFF} 403 403 -"),
    "object": (f"{_STAFF} REDIRECT REDIRECT REDIRECT", f"{_STAFF} REDIRECT REDIRECT REDIRECT"),
}
# User accounts: deactivated, never deleted (the audit trail names them).
ACCOUNTS = {**SUPERUSER_ONLY, "delete": (f"{_STAFF} 403 403 403", f"{_STAFF} 403 403 403")}
# django-axes' records of sign-ins: the Secretariat reads them, nobody adds or changes one;
# deleting a lockout (an attempt) unlocks the user: an editor may.
SIGN_IN_RECORDS = {
    "changelist": (f"{_STAFF} OK OK OK", f"{_STAFF} OK - -"),
    "add": (f"{_STAFF} 403 403 403", f"{_STAFF} 403 403 403"),
    "change": (f"{_STAFF} OK OK OK", f"{_STAFF} 403 403 403"),
    "delete": (f"{_STAFF} 403 OK OK", f"{_STAFF} 403 - -"),
    "history": (f"{_STAFF} OK OK OK", f"{_STAFF} OK OK OK"),
    "object": (f"{_STAFF} REDIRECT REDIRECT REDIRECT", f"{_STAFF} REDIRECT REDIRECT REDIRECT"),
}
SIGN_IN_LOGS = {**SIGN_IN_RECORDS, "changelist": (f"{_STAFF} OK OK OK", f"{_STAFF} OK OK -")}
SIGN_IN_LOGS["delete"] = (f"{_STAFF} 403 403 OK", f"{_STAFF} 403 403 -")

ADMIN_MODELS = {
    "auth.group": SUPERUSER_ONLY,
    "auth.user": ACCOUNTS,
    "authtoken.tokenproxy": SUPERUSER_ONLY,
    "otp_totp.totpdevice": SUPERUSER_ONLY,
    "regional.regionalofficeuser": SUPERUSER_ONLY,
    "assembly.legalact": SECRETARIAT_EDITS,
    "assembly.body": SECRETARIAT_EDITS,
    "assembly.post": SECRETARIAT_EDITS,
    "members.ethnicgroup": SECRETARIAT_EDITS,
    "members.association": SECRETARIAT_EDITS,
    "members.person": SECRETARIAT_EDITS,
    "members.membership": SECRETARIAT_EDITS,
    "assembly_sessions.meeting": SECRETARIAT_EDITS,
    "assembly_sessions.meetingrules": SECRETARIAT_EDITS,
    "assembly_sessions.decision": SECRETARIAT_EDITS,
    "assembly_sessions.document": SECRETARIAT_EDITS,
    "assembly_sessions.election": SECRETARIAT_EDITS,
    "regional.region": REFERENCE,
    "regional.nomination": PROCEDURE_ONLY,
    "axes.accessattempt": SIGN_IN_RECORDS,
    "axes.accesslog": SIGN_IN_LOGS,
    "axes.accessfailurelog": SIGN_IN_LOGS,
}
# What an unsafe request to each page of a model sends: the list, the "delete selected" action.
ADMIN_WRITES = {
    "changelist": lambda obj: {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    "add": lambda obj: {"_save": "1"},
    "change": lambda obj: {"_save": "1"},
    "delete": lambda obj: {"post": "yes"},
    "simple_history": lambda obj: {"_save": "1"},
}


def admin_rules() -> dict[str, Case]:
    """The rules of the staff admin's pages of every model in ``ADMIN_MODELS``; the pages a
    model's admin does not have (no past versions without django-simple-history) are left out."""
    patterns = url_patterns()
    rules = {}
    for label, profile in ADMIN_MODELS.items():
        app_label, model_name = label.split(".")
        info = f"{app_label}_{model_name}"
        for page, (get, write) in profile.items():
            if page == "object":
                key = f"admin/{app_label}/{model_name}/<path:object_id>/"
                url = "/{lang}/admin/" + f"{app_label}/{model_name}/" + "{object_id}/"
            else:
                key, url = f"admin:{info}_{page}", ""
            if key not in patterns:
                continue
            args = {}
            if page in ("change", "delete", "history", "object"):
                args = {"object_id": lambda world, label=label: world.admin_objects[label].pk}
            elif page == "simple_history":
                args = (
                    lambda world, label=label: world.admin_objects[label].pk,
                    lambda world, label=label: world.admin_objects[label].history.earliest("history_date").pk,
                )
            writer = ADMIN_WRITES.get(page)
            rules[key] = Case(
                get=get,
                write=write,
                args=args,
                url=url,
                data=None
                if writer is None
                else lambda world, writer=writer, label=label: writer(world.admin_objects[label]),
            )
    return rules


# Every URL pattern ---------------------------------------------------------------------------


def url_patterns() -> dict[str, bool]:
    """Every URL pattern of the project by its key (the namespaced name, or the route of a
    pattern without a name), with whether it lives under the language prefix."""
    found = {}

    def walk(patterns, namespace: str, route: str, localized: bool) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                locale = isinstance(pattern.pattern, LocalePrefixPattern)
                walk(
                    pattern.url_patterns,
                    f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace,
                    route + ("" if locale else str(pattern.pattern)),
                    localized or locale,
                )
                continue
            key = f"{namespace}{pattern.name}" if pattern.name else route + str(pattern.pattern)
            assert key not in found, f"two URL patterns have the key {key!r}"
            found[key] = localized

    walk(get_resolver().url_patterns, "", "", False)
    return found


def all_rules() -> dict[str, list[Case]]:
    """``RULES`` and the admin's rules; a key in both has the cases of both."""
    rules = {key: [case] for key, case in admin_rules().items()}
    for key, cases in RULES.items():
        rules.setdefault(key, []).extend(cases if isinstance(cases, list) else [cases])
    return rules


def test_every_url_pattern_has_a_rule():
    patterns, rules = url_patterns(), all_rules()
    missing = sorted(set(patterns) - set(rules))
    assert not missing, "URL patterns with no rule in the authorization matrix: " + ", ".join(missing)
    stale = sorted(set(rules) - set(patterns))
    assert not stale, "Rules of the authorization matrix for no URL pattern: " + ", ".join(stale)


# The data set --------------------------------------------------------------------------------


def build_world(open_data_root) -> SimpleNamespace:
    """Regions A and B with an office user each, the Secretariat's viewer and editor, a
    superuser; a member and a person who never was one; a held session with its agenda,
    attendance, a decision, an election, a public and a restricted document; a draft
    nomination of region A with its nominating decision attached, one of region B, a
    notification to region A's office; and one object of every model of the admin."""
    user_model = get_user_model()
    office_a, office_b = regional_office_user("75"), regional_office_user("11")
    viewer, editor = secretariat_user("Secretariat viewer"), secretariat_user("Secretariat editor")
    superuser = user_model.objects.create_superuser("matrix-superuser", "matrix-superuser@example.kz", "pass-for-tests")

    ethnic_group = EthnicGroupFactory()
    association = AssociationFactory(ethnic_group=ethnic_group)
    membership = MembershipFactory(
        body=national_body("assembly"), basis=Membership.Basis.ETHNOCULTURAL, on_behalf_of=association
    )
    body = BodyFactory()
    post = PostFactory(body=body)
    meeting = MeetingFactory(body=national_body("assembly"), start_date=datetime.date(2024, 4, 24))
    agenda_item = AgendaItemFactory(meeting=meeting)
    session_services.attendance_set(meeting=meeting, statuses={membership.pk: Attendance.Status.PRESENT})
    decision = DecisionFactory(meeting=meeting, agenda_item=agenda_item, votes_for=1)
    election = ElectionFactory(meeting=meeting)
    restricted_document = DocumentFactory(meeting=meeting)
    meeting_rules = MeetingRules.objects.get(body=national_body("council"))
    meeting_rules.save()  # a version in its history

    nomination_a = NominationFactory(created_by=office_a)
    nomination_b = NominationFactory(created_by=office_b)
    region_a = nomination_a.region
    region_a.save()  # a version in its history

    open_data_file = next(iter(FILES))
    (open_data_root / open_data_file).write_text("id\n", encoding="utf-8")
    attempt = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "someone", "http_accept": "*/*"}
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    expired_attempt = AccessAttempt.objects.create(
        **{**attempt, "username": "long-ago"},
        path_info="/kk/portal/login/",
        get_data="",
        post_data="",
        failures_since_start=5,
    )
    AccessAttempt.objects.filter(pk=expired_attempt.pk).update(attempt_time=timezone.now() - datetime.timedelta(days=2))
    admin_objects = {
        "auth.group": Group.objects.get(name="Secretariat viewer"),
        "auth.user": office_a,
        "authtoken.tokenproxy": SimpleNamespace(pk=Token.objects.create(user=office_a).user_id),
        "otp_totp.totpdevice": device,
        "regional.regionalofficeuser": RegionalOfficeUser.objects.get(user=office_a),
        "assembly.legalact": membership.appointed_by,
        "assembly.body": body,
        "assembly.post": post,
        "members.ethnicgroup": ethnic_group,
        "members.association": association,
        "members.person": membership.person,
        "members.membership": membership,
        "assembly_sessions.meeting": meeting,
        "assembly_sessions.meetingrules": meeting_rules,
        "assembly_sessions.decision": decision,
        "assembly_sessions.document": restricted_document,
        "assembly_sessions.election": election,
        "regional.region": region_a,
        "regional.nomination": nomination_a,
        "axes.accessattempt": AccessAttempt.objects.create(
            **attempt, path_info="/kk/admin/login/", get_data="", post_data="", failures_since_start=1
        ),
        "axes.accesslog": AccessLog.objects.create(**attempt, path_info="/kk/admin/login/"),
        "axes.accessfailurelog": AccessFailureLog.objects.create(**attempt, path_info="/kk/admin/login/"),
    }
    return SimpleNamespace(
        users={
            "anonymous": None,
            "office_a": office_a,
            "office_b": office_b,
            "viewer": viewer,
            "editor": editor,
            "superuser": superuser,
        },
        office_a=office_a,
        region_a=region_a,
        ethnic_group=ethnic_group,
        association=association,
        membership=membership,
        person=membership.person,
        person_content_type=ContentType.objects.get_for_model(membership.person),
        private_person=PersonFactory(),
        body=body,
        post=post,
        meeting=meeting,
        agenda_item=agenda_item,
        decision=decision,
        election=election,
        public_document=DocumentFactory(meeting=meeting, is_public=True),
        restricted_document=restricted_document,
        nomination_a=nomination_a,
        nomination_b=nomination_b,
        document_a=nomination_a.documents.get(),
        notification_a=Notification.objects.create(
            user=office_a, nomination=nomination_a, message="Ұсыным өзгерді", created_at=timezone.now()
        ),
        device=device,
        expired_attempt=expired_attempt,
        open_data_file=open_data_file,
        admin_objects=admin_objects,
        new_draft={
            "track": "national",
            "surname": "Сәрсенова",
            "given_name": "Әлия",
            "gender": "female",
            "birth_date": "1985-06-07",
            "iin": next_iin(datetime.date(1985, 6, 7), "female"),
            "basis": "rotation",
            "decision_number": "R-1",
            "decision_date": "2024-02-01",
        },
        portal_edit={
            "version": nomination_a.version,
            "surname": nomination_a.surname,
            "given_name": nomination_a.given_name,
            "gender": nomination_a.gender,
            "birth_date": nomination_a.birth_date.isoformat(),
            "iin": nomination_a.iin,
            "basis": nomination_a.basis,
            "nominating_association": nomination_a.nominating_association_id,
            "decision_number": nomination_a.decision_number,
            "decision_date": nomination_a.decision_date.isoformat(),
            "position_kk": "Өзгертілді",
        },
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """``build_world()`` once for the module, in a transaction rolled back after it; each test
    is marked ``django_db``, so that it runs in a savepoint inside this one."""
    root = tmp_path_factory.mktemp("matrix")
    folders = {name: root / name for name in ("media", "private-media", "open-data")}
    for folder in folders.values():
        folder.mkdir()
    with (
        override_settings(
            MEDIA_ROOT=folders["media"],
            PRIVATE_MEDIA_ROOT=folders["private-media"],
            OPEN_DATA_ROOT=folders["open-data"],
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield build_world(folders["open-data"])
        transaction.set_rollback(True)


# Asking ----------------------------------------------------------------------------------------


def answer(response) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        target = resolve(urlsplit(response["Location"]).path)
        return LOGIN if target.view_name in ("admin:login", "portal:login") else REDIRECT
    if response.status_code == 200:
        return OK
    return str(response.status_code)


def writes() -> dict[str, int]:
    """Rows inserted, changed or deleted in each table so far in this transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables")
        return {table: count for table, count in cursor.fetchall() if count and table not in WRITABLE_TABLES}


def address(key: str, case: Case, world, language: str) -> str:
    with translation.override(language):
        if isinstance(case.args, dict) or case.url:
            arguments = {name: value(world, reference) for name, reference in dict(case.args).items()}
            url = case.url.format(lang=language, **arguments) if case.url else reverse(key, kwargs=arguments)
        else:
            url = reverse(key, args=[value(world, reference) for reference in case.args])
    return f"{url}?{case.query}" if case.query else url


def ask(client: Client, method: str, url: str, case: Case, world):
    """One request, in a savepoint rolled back after it, so that a write wrongly let through
    cannot change what the next request sees; and the tables it wrote to."""
    before = writes()
    with transaction.atomic():
        if method == "get":
            response = client.get(url)
        else:
            if callable(case.data):
                data = case.data(world)
            else:
                data = {name: value(world, item) for name, item in (case.data or {}).items()}
            if case.json:
                response = getattr(client, method)(url, data, content_type="application/json")
            else:
                response = getattr(client, method)(url, data)
        transaction.set_rollback(True)
    after = writes()
    written = sorted(table for table, count in after.items() if count != before.get(table, 0))
    return response, written


def signed_in(world, role: str) -> Client:
    # An error is an answer too (500), in the list of wrong answers rather than the end of the test.
    client = Client(raise_request_exception=False)
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


def wrong_answers(
    client: Client, world, role: str, language: str, *, under: str = "/", writes_too: bool = True
) -> list[str]:
    """Every request of the matrix for ``role`` to an address under ``under``, with the
    ``language`` prefix (outside it too with Kazakh, the default), and what was not as the
    table says."""
    localized = url_patterns()
    wrong = []
    for key, cases in all_rules().items():
        if language != "kk" and not localized[key]:
            continue
        for case in cases:
            url = address(key, case, world, language)
            if not url.startswith(under):
                continue
            for method, expected in (("get", row(case.get)[role]), (case.method, row(case.write)[role])):
                if expected == NOT_SENT or (method != "get" and not writes_too):
                    continue
                response, written = ask(client, method, url, case, world)
                got = answer(response)
                if got != expected or written:
                    wrong.append(
                        f"{key} {case.label} {method.upper()} {url}: expected {expected}, got {got}"
                        + (f", wrote to {', '.join(written)}" if written else "")
                    )
    return wrong


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "language"),
    [
        *((role, "kk") for role in ROLES),
        # The other language prefixes serve the same views: asked by those who may see least.
        *((role, language) for role in ("anonymous", "office_b") for language in ("ru", "en")),
    ],
)
def test_every_role_gets_the_expected_answer_everywhere(world, role, language):
    wrong = wrong_answers(signed_in(world, role), world, role, language)
    assert not wrong, f"{len(wrong)} wrong answers for {role}:\n" + "\n".join(wrong)


@pytest.mark.django_db
def test_the_matrix_holds_with_two_factor_sign_in_on(world, settings):
    """As in production: an editor signed in with a code from their authenticator app opens
    the admin's pages as without two-factor sign-in (only the admin asks for the code; the
    writes are refused or allowed by the same permissions, checked above)."""
    settings.OTP_REQUIRED_FOR_ADMIN = True
    client = signed_in(world, "editor")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = world.device.persistent_id
    session.save()
    wrong = wrong_answers(client, world, "editor", "kk", under="/kk/admin/", writes_too=False)
    assert not wrong, f"{len(wrong)} wrong answers:\n" + "\n".join(wrong)


@pytest.mark.django_db
def test_two_factor_closes_the_admin_to_an_unverified_session(world, settings):
    """An editor who has an authenticator app but signed in without its code: every page of
    the admin sends them to sign in, but the sign-in page itself (and the sign-out, to the index)."""
    settings.OTP_REQUIRED_FOR_ADMIN = True
    client = signed_in(world, "editor")
    exceptions = {"admin:login": OK, "admin:logout": REDIRECT}
    wrong, asked = [], 0
    for key, cases in all_rules().items():
        for case in cases:
            url = address(key, case, world, "kk")
            if not url.startswith("/kk/admin/"):
                continue
            asked += 1
            got, expected = answer(client.get(url)), exceptions.get(key, LOGIN)
            if got != expected:
                wrong.append(f"{key} {case.label} GET {url}: expected {expected}, got {got}")
    assert asked > 100
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_lists_show_a_regional_office_only_its_own_regions_nominations(world):
    """The lists answer every role (the matrix), but with what? Region B's office finds
    nothing of region A's nomination or of region A's notifications, in the portal or the
    API; region A's office and the Secretariat find them."""

    def names(nomination, content: str) -> bool:
        return re.search(rf"{nomination.surname}(?!\d)", content) is not None

    notifications = reverse("portal:notifications")
    for role, sees_a, sees_b in [
        ("office_a", True, False),
        ("office_b", False, True),
        ("viewer", True, True),
        ("editor", True, True),
    ]:
        client = signed_in(world, role)
        for page in (reverse("portal:list"), reverse("regional_api:nomination-list")):
            content = client.get(page).content.decode()
            found = (names(world.nomination_a, content), names(world.nomination_b, content))
            assert found == (sees_a, sees_b), (role, page)
        content = client.get(notifications).content.decode()
        assert (world.notification_a.message in content) == (role == "office_a"), role
