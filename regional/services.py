"""Nominations from the regional offices: every write, with its rules.

The portal, the API and the admin all call these functions. The procedure is the table
``TRANSITIONS``: for each track and step, who takes it (the regional office of the
nomination's region, or an editor of the Secretariat), from which statuses, to which
status, and what it needs. ``nomination_transition`` applies any step of it; there is no
other way to change a nomination's status.

Every write runs in one transaction and does all of its work or nothing; edits and steps
lock the nomination's row and refuse a caller's copy that is stale (its ``version``). A refusal says why:
``NominationPermissionDenied`` for the wrong role or region, ``StaleNominationError`` for
a copy that changed since it was loaded, ``ValidationError`` for everything else.
"""

import dataclasses
import datetime
import logging
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assembly import audit, public_cache
from assembly.models import Body, LegalAct
from members.models import Association, Membership, Person
from members.services import legal_act_get_or_create, membership_appoint, person_save
from members.validators import is_twelve_digits
from sessions.models import Meeting

from . import roles
from .models import (
    Nomination,
    NominationDocument,
    NominationEvent,
    Notification,
    Region,
    RegionalOfficeUser,
)
from .uploads import CheckedUpload, check_upload, original_name_of

logger = logging.getLogger(__name__)

Status = Nomination.Status
Track = Nomination.Track
Action = NominationEvent.Action

# Fields a regional office fills in and may change while the nomination is a draft or
# returned for revision. Region, track, status and the links are the services' own.
EDITABLE_FIELDS = frozenset(
    {
        "surname", "given_name", "patronymic", "surname_ru", "given_name_ru", "patronymic_ru",
        "surname_latin", "given_name_latin", "patronymic_latin", "gender", "birth_date", "iin", "phone",
        "email", "position_kk", "position_ru", "position_en", "biography_kk", "biography_ru", "biography_en",
        "ethnic_group", "ethnicity_public", "basis", "nominating_association", "decision_number", "decision_date",
    }
)  # fmt: skip
EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

# A document is given as (kind, file), e.g. (NominationDocument.Kind.DECISION, request.FILES["decision"]).
DocumentUpload = tuple[str, File]


class NominationPermissionDenied(PermissionDenied):
    """The user may not do this to this nomination: wrong role, or another region's."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StaleNominationError(ValidationError):
    """The nomination changed after the caller loaded it; nothing was done."""


# The procedure ------------------------------------------------------------------------------


class Actor:
    REGIONAL_OFFICE = "regional_office"
    SECRETARIAT = "secretariat"


@dataclasses.dataclass(frozen=True)
class Transition:
    """One step of the procedure.

    ``comment``: empty when a comment is optional, else what the comment must say.
    ``decree``: "required", "optional" or "" (the step takes no act).
    """

    action: str
    sources: frozenset[str]
    target: str
    actor: str
    comment: str | Promise = ""
    decision_document: bool = False
    council_meeting: bool = False
    session_meeting: bool = False
    decree: str = ""
    appoints: bool = False

    @property
    def label(self) -> str:
        return Action(self.action).label


_RETURN_REASONS = gettext_lazy("Give the reasons for returning the nomination.")
_ANSWER = gettext_lazy("Answer the reasons the nomination was returned for.")
_COUNCIL_REASONS = gettext_lazy("Give the council's reasons.")
_SESSION_REASONS = gettext_lazy("Give the session's reasons.")
_REJECTION_REASONS = gettext_lazy("Give the reasons for the rejection.")
_WITHDRAWAL_REASONS = gettext_lazy("Give the reason for withdrawing the nomination.")

_OFFICE, _SECRETARIAT = Actor.REGIONAL_OFFICE, Actor.SECRETARIAT
_REVIEWABLE = frozenset({Status.SUBMITTED, Status.RESUBMITTED})


def _steps(track: str, *transitions: Transition) -> dict[tuple[str, str], Transition]:
    return {(track, transition.action): transition for transition in transitions}


TRANSITIONS: dict[tuple[str, str], Transition] = {
    # To the Assembly: the region submits, the Secretariat reviews, records the Council's
    # consideration, submits to the President and records his decision.
    **_steps(
        Track.NATIONAL,
        Transition(Action.SUBMIT, frozenset({Status.DRAFT}), Status.SUBMITTED, _OFFICE, decision_document=True),
        Transition(Action.RETURN, _REVIEWABLE, Status.RETURNED, _SECRETARIAT, comment=_RETURN_REASONS),
        Transition(
            Action.RESUBMIT,
            frozenset({Status.RETURNED}),
            Status.RESUBMITTED,
            _OFFICE,
            comment=_ANSWER,
            decision_document=True,
        ),
        Transition(Action.ACCEPT, _REVIEWABLE, Status.ACCEPTED, _SECRETARIAT),
        Transition(
            Action.RECOMMEND, frozenset({Status.ACCEPTED}), Status.RECOMMENDED, _SECRETARIAT, council_meeting=True
        ),
        Transition(
            Action.NOT_RECOMMEND,
            frozenset({Status.ACCEPTED}),
            Status.NOT_RECOMMENDED,
            _SECRETARIAT,
            comment=_COUNCIL_REASONS,
            council_meeting=True,
        ),
        Transition(Action.SEND_TO_PRESIDENT, frozenset({Status.RECOMMENDED}), Status.SENT_TO_PRESIDENT, _SECRETARIAT),
        Transition(
            Action.APPROVE,
            frozenset({Status.SENT_TO_PRESIDENT}),
            Status.APPROVED,
            _SECRETARIAT,
            decree="required",
            appoints=True,
        ),
        Transition(
            Action.REJECT,
            frozenset({Status.SENT_TO_PRESIDENT}),
            Status.REJECTED,
            _SECRETARIAT,
            comment=_REJECTION_REASONS,
            decree="optional",
        ),
        Transition(
            Action.WITHDRAW,
            frozenset(
                {
                    Status.DRAFT,
                    Status.SUBMITTED,
                    Status.RETURNED,
                    Status.RESUBMITTED,
                    Status.ACCEPTED,
                    Status.RECOMMENDED,
                    Status.SENT_TO_PRESIDENT,
                }
            ),
            Status.WITHDRAWN,
            _OFFICE,
            comment=_WITHDRAWAL_REASONS,
        ),
    ),
    # To the region's assembly: the regional office is the regional secretariat, and records
    # every step: its council, its session and the akim's decision.
    **_steps(
        Track.REGIONAL,
        Transition(Action.SUBMIT, frozenset({Status.DRAFT}), Status.SUBMITTED, _OFFICE, decision_document=True),
        Transition(Action.RETURN, _REVIEWABLE, Status.RETURNED, _OFFICE, comment=_RETURN_REASONS),
        Transition(
            Action.RESUBMIT,
            frozenset({Status.RETURNED}),
            Status.RESUBMITTED,
            _OFFICE,
            comment=_ANSWER,
            decision_document=True,
        ),
        Transition(Action.RECOMMEND, _REVIEWABLE, Status.RECOMMENDED, _OFFICE, council_meeting=True),
        Transition(
            Action.NOT_RECOMMEND,
            _REVIEWABLE,
            Status.NOT_RECOMMENDED,
            _OFFICE,
            comment=_COUNCIL_REASONS,
            council_meeting=True,
        ),
        Transition(
            Action.SESSION_SUPPORT,
            frozenset({Status.RECOMMENDED}),
            Status.SESSION_SUPPORTED,
            _OFFICE,
            session_meeting=True,
        ),
        Transition(
            Action.SESSION_REFUSE,
            frozenset({Status.RECOMMENDED}),
            Status.REJECTED,
            _OFFICE,
            comment=_SESSION_REASONS,
            session_meeting=True,
        ),
        Transition(
            Action.APPROVE,
            frozenset({Status.SESSION_SUPPORTED}),
            Status.APPROVED,
            _OFFICE,
            decree="required",
            appoints=True,
        ),
        Transition(
            Action.REJECT,
            frozenset({Status.SESSION_SUPPORTED}),
            Status.REJECTED,
            _OFFICE,
            comment=_REJECTION_REASONS,
            decree="optional",
        ),
        Transition(
            Action.WITHDRAW,
            frozenset(
                {
                    Status.DRAFT,
                    Status.SUBMITTED,
                    Status.RETURNED,
                    Status.RESUBMITTED,
                    Status.RECOMMENDED,
                    Status.SESSION_SUPPORTED,
                }
            ),
            Status.WITHDRAWN,
            _OFFICE,
            comment=_WITHDRAWAL_REASONS,
        ),
    ),
}

# The act of the decision on each track: (kind, who issues it).
_DECISION_ACT = {
    Track.NATIONAL: (LegalAct.Kind.DECREE, lambda region: "Қазақстан Республикасының Президенті"),
    Track.REGIONAL: (LegalAct.Kind.ORDER, lambda region: f"{region.name_kk} әкімі"),
}

# The basis of the membership follows the kind of the nominating organisation.
_MEMBERSHIP_BASIS = {
    Association.Kind.ETHNOCULTURAL: Membership.Basis.ETHNOCULTURAL,
    Association.Kind.PUBLIC: Membership.Basis.PUBLIC_ASSOCIATION,
    Association.Kind.STATE_BODY: Membership.Basis.STATE_BODY,
}


def may_take(*, user, nomination: Nomination, transition: Transition) -> bool:
    """Whether ``user`` has the role this step needs for this nomination (its status aside)."""
    if transition.actor == Actor.REGIONAL_OFFICE:
        return roles.is_office_user_of(user, nomination.region_id)
    return roles.is_secretariat_editor(user)


def available_transitions(*, user, nomination: Nomination) -> list[Transition]:
    """The steps ``user`` may take now (the buttons a page shows)."""
    return [
        transition
        for (track, _action), transition in TRANSITIONS.items()
        if track == nomination.track
        and nomination.status in transition.sources
        and may_take(user=user, nomination=nomination, transition=transition)
    ]


# Checks shared by the writes ------------------------------------------------------------------


def _lock(nomination: Nomination) -> Nomination:
    return Nomination.objects.select_for_update().get(pk=nomination.pk)


def _check_visible(user, nomination: Nomination) -> None:
    if not roles.can_view_nomination(user, nomination):
        raise NominationPermissionDenied(_("You have no access to this nomination."))


def _check_office(user, nomination: Nomination) -> None:
    _check_visible(user, nomination)
    if not roles.is_office_user_of(user, nomination.region_id):
        raise NominationPermissionDenied(
            _("Only the regional office of %(region)s may change this nomination.") % {"region": nomination.region}
        )


def _check_version(nomination: Nomination, version: int) -> None:
    if nomination.version != version:
        raise StaleNominationError(
            _(
                "The nomination has been changed by someone else since you opened it (it is now “%(status)s”). "
                "Reload it and try again."
            )
            % {"status": nomination.get_status_display()},
            code="stale",
        )


def _check_editable(nomination: Nomination) -> None:
    if nomination.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("Only a draft or a returned nomination can be changed; this one is “%(status)s”.")
            % {"status": nomination.get_status_display()},
            code="not_editable",
        )


def _check_documents(documents: Sequence[DocumentUpload]) -> list[tuple[str, CheckedUpload]]:
    """Check every file before anything is written; all the refusals at once."""
    checked, errors = [], []
    for kind, file in documents:
        if kind not in NominationDocument.Kind.values:
            errors.append(_("“%(kind)s” is not a kind of nomination document.") % {"kind": kind})
            continue
        try:
            checked.append((kind, check_upload(file)))
        except ValidationError as error:
            errors.extend(
                _("%(name)s: %(error)s") % {"name": original_name_of(file), "error": message}
                for message in error.messages
            )
    if errors:
        raise ValidationError({"documents": errors})
    return checked


def _store_documents(
    nomination: Nomination, checked: list[tuple[str, CheckedUpload]], *, user, event: NominationEvent | None
) -> list[NominationDocument]:
    stored = []
    for kind, upload in checked:
        document = NominationDocument(
            nomination=nomination,
            event=event,
            kind=kind,
            file=upload.file,
            original_name=upload.original_name,
            content_type=upload.content_type,
            size=upload.size,
            uploaded_by=user,
        )
        document.full_clean()
        document._history_user = user
        document.save()
        stored.append(document)
    return stored


# Drafts --------------------------------------------------------------------------------------


def _expected_target_body(region: Region, track: str) -> Body | None:
    assemblies = Body.objects.filter(kind=Body.Kind.ASSEMBLY)
    if track == Track.NATIONAL:
        return assemblies.filter(region__isnull=True, parent__isnull=True).first()
    return assemblies.filter(region=region, parent__region__isnull=True).first()


def _validate_candidate(nomination: Nomination) -> None:
    """Every rule of a draft, all the errors at once, by field: the register's person rules,
    the nominating decision, the target body, and no duplicate (a current member of the body,
    or another open nomination to it)."""
    errors: dict[str, list] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    try:
        # The constraints are kept by the database and, field by field, below.
        nomination.full_clean(validate_constraints=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)

    expected = _expected_target_body(nomination.region, nomination.track)
    if nomination.target_body_id is not None and nomination.target_body_id != getattr(expected, "pk", None):
        if nomination.track == Track.NATIONAL:
            message = _("A nomination on the national track goes to the Assembly of the People of Kazakhstan.")
        else:
            message = _("A nomination on the regional track goes to the assembly of %(region)s.") % {
                "region": nomination.region
            }
        add("target_body", message)
    elif expected is not None and not expected.is_active_on(timezone.localdate()):
        add("target_body", _("%(body)s does not exist today.") % {"body": expected})

    if (
        nomination.track == Track.REGIONAL
        and nomination.basis
        and nomination.basis != Nomination.Basis.ASSOCIATION_BODY
    ):
        add(
            "basis",
            _("A candidate for a regional assembly is nominated by the decision of an association's supreme body."),
        )
    association = nomination.nominating_association
    if association is None and nomination.basis == Nomination.Basis.ASSOCIATION_BODY:
        add("nominating_association", _("Give the association whose supreme body nominated the candidate."))
    if association is not None and association.region_id not in (None, nomination.region_id):
        add("nominating_association", _("This association belongs to another region."))
    if nomination.decision_date and nomination.decision_date > timezone.localdate():
        add("decision_date", _("The nominating decision cannot be dated in the future."))

    if nomination.iin and "iin" not in errors and is_twelve_digits(nomination.iin):
        nomination.person = Person.objects.filter(iin=nomination.iin).first()
        if nomination.target_body_id is not None and "target_body" not in errors:
            body = nomination.target_body
            if Membership.objects.current().filter(body=body, person__iin=nomination.iin).exists():
                add("iin", _("This candidate is already a member of %(body)s.") % {"body": body})
            elif (
                Nomination.objects.open()
                .filter(iin=nomination.iin, target_body=body)
                .exclude(pk=nomination.pk)
                .exists()
            ):
                add("iin", _("This candidate already has an open nomination to %(body)s.") % {"body": body})
    if errors:
        raise ValidationError(errors)


def _save(nomination: Nomination, *, user) -> None:
    """Save, turning a duplicate that slipped past the check (two at the same moment) into
    the same clear refusal."""
    nomination._history_user = user
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError as error:
        if "nomination_one_open_per_candidate_and_body" in str(error):
            raise ValidationError(
                {
                    "iin": _("This candidate already has an open nomination to %(body)s.")
                    % {"body": nomination.target_body}
                }
            ) from error
        raise


def _set_fields(nomination: Nomination, fields: dict[str, Any]) -> None:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"Not editable through the nomination services: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(nomination, name, value)


@transaction.atomic
def nomination_create(
    *,
    user,
    track: str,
    target_body: Body | None = None,
    documents: Sequence[DocumentUpload] = (),
    **fields: Any,
) -> Nomination:
    """A new draft nomination of the user's region, with the candidate's and the decision's
    fields (see ``EDITABLE_FIELDS``) and any documents. The target body follows from the
    track (the Assembly, or the region's assembly); one given must be that one."""
    region_id = roles.office_region_id(user)
    if region_id is None:
        raise NominationPermissionDenied(_("Only a user of a regional office can nominate a candidate."))
    if track not in Track.values:
        raise ValidationError({"track": _("Choose the national or the regional track.")})
    region = Region.objects.get(pk=region_id)
    nomination = Nomination(region=region, track=track, created_by=user)
    _set_fields(nomination, fields)
    nomination.target_body = target_body or _expected_target_body(region, track)
    checked = _check_documents(documents)
    _validate_candidate(nomination)
    now = timezone.now()
    nomination.created_at = nomination.status_changed_at = now
    _save(nomination, user=user)
    NominationEvent.objects.create(
        nomination=nomination, action=Action.CREATE, from_status="", to_status=Status.DRAFT, actor=user, at=now
    )
    _store_documents(nomination, checked, user=user, event=None)
    return nomination


@transaction.atomic
def nomination_update(
    *, nomination: Nomination, user, version: int, documents: Sequence[DocumentUpload] = (), **fields: Any
) -> Nomination:
    """Change a draft or returned nomination (the regional office of its region only), and
    add documents to it. ``version`` is the one the user loaded."""
    nomination = _lock(nomination)
    _check_office(user, nomination)
    _check_version(nomination, version)
    _check_editable(nomination)
    _set_fields(nomination, fields)
    checked = _check_documents(documents)
    _validate_candidate(nomination)
    nomination.version += 1
    _save(nomination, user=user)
    _store_documents(nomination, checked, user=user, event=None)
    return nomination


@transaction.atomic
def nomination_document_add(*, nomination: Nomination, user, kind: str, file: File) -> NominationDocument:
    """Attach a document to a draft or returned nomination (its regional office only)."""
    nomination = _lock(nomination)
    _check_office(user, nomination)
    _check_editable(nomination)
    checked = _check_documents([(kind, file)])
    return _store_documents(nomination, checked, user=user, event=None)[0]


@transaction.atomic
def nomination_document_remove(*, document: NominationDocument, user) -> None:
    """Remove a document from a draft or returned nomination. A document that came with a
    step is part of the record and stays."""
    nomination = _lock(document.nomination)
    _check_office(user, nomination)
    _check_editable(nomination)
    if document.event_id is not None:
        raise ValidationError(_("This document was attached to a step of the procedure and stays in the record."))
    stored_name = document.file.name
    document._history_user = user
    document.delete()
    # The file goes only once the row is gone for good.
    transaction.on_commit(partial(document.file.storage.delete, stored_name))


# Steps of the procedure -----------------------------------------------------------------------


def _check_meeting(meeting: Meeting, *, body: Body, field: str, not_before: datetime.date) -> None:
    if meeting.body_id != body.pk:
        raise ValidationError({field: _("Choose a meeting of %(body)s.") % {"body": body}})
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError({field: _("This meeting has not been held: choose a held meeting.")})
    if meeting.last_date < not_before:
        raise ValidationError(
            {
                field: _("This meeting was held before %(date)s: choose a later one.")
                % {"date": not_before.strftime("%d.%m.%Y")}
            }
        )


def _council_of(body: Body) -> Body | None:
    return Body.objects.filter(kind=Body.Kind.COUNCIL, parent=body).first()


def _check_step_arguments(
    nomination: Nomination,
    transition: Transition,
    *,
    comment: str,
    council_meeting: Meeting | None,
    session_meeting: Meeting | None,
    decree_number: str,
    decree_date: datetime.date | None,
    start_date: datetime.date | None,
    documents: list[tuple[str, CheckedUpload]],
) -> None:
    given = {
        "council_meeting": council_meeting is not None,
        "session_meeting": session_meeting is not None,
        "decree_number": bool(decree_number),
        "decree_date": decree_date is not None,
        "start_date": start_date is not None,
    }
    takes = {
        "council_meeting": transition.council_meeting,
        "session_meeting": transition.session_meeting,
        "decree_number": bool(transition.decree),
        "decree_date": bool(transition.decree),
        "start_date": transition.appoints,
    }
    extra = {
        field: _("This step does not take this value.") for field, value in given.items() if value and not takes[field]
    }
    if extra:
        raise ValidationError(extra)
    if transition.comment and not comment.strip():
        raise ValidationError({"comment": str(transition.comment)})
    if transition.decision_document and not (
        any(kind == NominationDocument.Kind.DECISION for kind, _upload in documents)
        or nomination.documents.filter(kind=NominationDocument.Kind.DECISION).exists()
    ):
        raise ValidationError({"documents": _("Attach the nominating decision (a PDF, JPEG or PNG file).")})
    submitted_on = timezone.localdate(nomination.submitted_at) if nomination.submitted_at else None
    if transition.council_meeting:
        if council_meeting is None:
            raise ValidationError({"council_meeting": _("Choose the council meeting that considered the nomination.")})
        council = _council_of(nomination.target_body)
        _check_meeting(council_meeting, body=council, field="council_meeting", not_before=submitted_on)
    if transition.session_meeting:
        if session_meeting is None:
            raise ValidationError({"session_meeting": _("Choose the session that considered the nomination.")})
        _check_meeting(
            session_meeting,
            body=nomination.target_body,
            field="session_meeting",
            not_before=nomination.council_meeting.start_date,
        )
    if transition.decree == "required" or (transition.decree == "optional" and (decree_number or decree_date)):
        errors = {}
        if not decree_number.strip():
            errors["decree_number"] = _("Give the number of the act of the decision.")
        if decree_date is None:
            errors["decree_date"] = _("Give the date of the act of the decision.")
        elif decree_date > timezone.localdate():
            errors["decree_date"] = _("The act of the decision cannot be dated in the future.")
        elif decree_date < submitted_on:
            errors["decree_date"] = _(
                "The act of the decision cannot be dated before the nomination was submitted (%(date)s)."
            ) % {"date": submitted_on.strftime("%d.%m.%Y")}
        if start_date is not None and decree_date is not None and start_date < decree_date:
            errors["start_date"] = _("The membership cannot begin before the act of the decision.")
        if errors:
            raise ValidationError(errors)


def _decision_act(nomination: Nomination, *, number: str, date: datetime.date) -> LegalAct:
    kind, issuer = _DECISION_ACT[nomination.track]
    # One decree approves many candidates: two approvals registering it at the same moment
    # get the same act (legal_act_get_or_create settles the race).
    return legal_act_get_or_create(kind=kind, number=number, date=date, issuer=issuer(nomination.region))


def _appoint(nomination: Nomination, *, act: LegalAct, start_date: datetime.date) -> Membership:
    """Make the candidate a member of the target body through the register, creating the
    person from the candidate's fields if the register does not know them yet."""
    person = nomination.person or Person.objects.filter(iin=nomination.iin).first()
    association = nomination.nominating_association
    try:
        if person is None:
            person = person_save(
                person=Person(
                    **{
                        field: getattr(nomination, field)
                        for field in (
                            "surname", "given_name", "patronymic", "surname_ru", "given_name_ru", "patronymic_ru",
                            "surname_latin", "given_name_latin", "patronymic_latin", "gender", "birth_date", "iin",
                            "phone", "email", "position_kk", "position_ru", "position_en", "biography_kk",
                            "biography_ru", "biography_en", "ethnic_group", "ethnicity_public",
                        )
                    }
                )
            )  # fmt: skip
        nomination.person = person
        return membership_appoint(
            person=person,
            body=nomination.target_body,
            basis=_MEMBERSHIP_BASIS[association.kind] if association else Membership.Basis.PUBLIC_FIGURE,
            on_behalf_of=association,
            start_date=start_date,
            appointed_by=act,
        )
    except ValidationError as error:
        raise ValidationError(
            _("The register cannot appoint the candidate: %(reason)s") % {"reason": " ".join(error.messages)},
            code="appointment",
        ) from error


@transaction.atomic
def nomination_transition(
    *,
    nomination: Nomination,
    user,
    action: str,
    version: int,
    comment: str = "",
    documents: Sequence[DocumentUpload] = (),
    council_meeting: Meeting | None = None,
    session_meeting: Meeting | None = None,
    decree_number: str = "",
    decree_date: datetime.date | None = None,
    start_date: datetime.date | None = None,
) -> Nomination:
    """Take the step ``action`` of the procedure (see ``TRANSITIONS``), as ``user``, on the
    nomination as it was at ``version``; record it, with ``comment`` and ``documents``, and
    notify the region's office and the Secretariat.

    What a step needs: the council meeting that considered the nomination (a held meeting
    of the target body's council, on or after the submission), the regional session (a held
    session of the regional assembly), the act of the decision (``decree_number`` and
    ``decree_date``; the membership starts on ``start_date``, the act's date by default).

    Approval appoints the candidate through ``members.services.membership_appoint`` in the
    same transaction; the locked row and the version make it happen once.
    """
    nomination = _lock(nomination)
    transition = TRANSITIONS.get((nomination.track, action))
    if transition is None:
        raise ValidationError(
            {
                "action": _("There is no step “%(action)s” for a nomination %(track)s.")
                % {"action": action, "track": nomination.get_track_display()}
            }
        )
    _check_visible(user, nomination)
    if not may_take(user=user, nomination=nomination, transition=transition):
        if transition.actor == Actor.REGIONAL_OFFICE:
            message = _("Only the regional office of %(region)s may take this step (“%(action)s”).")
        else:
            message = _("Only an editor of the Secretariat may take this step (“%(action)s”).")
        raise NominationPermissionDenied(message % {"region": nomination.region, "action": transition.label})
    _check_version(nomination, version)
    if nomination.status not in transition.sources:
        raise ValidationError(
            _("A nomination that is “%(status)s” cannot take this step (“%(action)s”).")
            % {"status": nomination.get_status_display(), "action": transition.label},
            code="wrong_status",
        )
    checked = _check_documents(documents)
    _check_step_arguments(
        nomination,
        transition,
        comment=comment,
        council_meeting=council_meeting,
        session_meeting=session_meeting,
        decree_number=decree_number,
        decree_date=decree_date,
        start_date=start_date,
        documents=checked,
    )
    if transition.action in (Action.SUBMIT, Action.RESUBMIT):
        # The candidate may have become a member, or been nominated elsewhere, since the draft.
        _validate_candidate(nomination)

    now = timezone.now()
    previous = nomination.status
    nomination.status = transition.target
    nomination.status_changed_at = now
    nomination.version += 1
    if nomination.submitted_at is None and transition.action == Action.SUBMIT:
        nomination.submitted_at = now
    if council_meeting is not None:
        nomination.council_meeting = council_meeting
    if session_meeting is not None:
        nomination.session_meeting = session_meeting
    # The act and the membership are the register's rows: credited to the user whoever calls.
    with audit.acting(user=user):
        if decree_number:
            nomination.decree = _decision_act(nomination, number=decree_number.strip(), date=decree_date)
        if transition.appoints:
            nomination.membership = _appoint(nomination, act=nomination.decree, start_date=start_date or decree_date)
    _save(nomination, user=user)
    event = NominationEvent.objects.create(
        nomination=nomination,
        action=transition.action,
        from_status=previous,
        to_status=nomination.status,
        actor=user,
        at=now,
        comment=comment.strip(),
    )
    _store_documents(nomination, checked, user=user, event=event)
    _notify(nomination, event)
    return nomination


# Notifications -------------------------------------------------------------------------------


def notification_recipients(nomination: Nomination):
    """Who hears of a change of status: the active users of the region's office and of the
    Secretariat."""
    return (
        get_user_model()
        .objects.filter(
            Q(regional_office__region_id=nomination.region_id)
            | Q(is_staff=True, groups__name__in=[roles.SECRETARIAT_EDITOR, roles.SECRETARIAT_VIEWER]),
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def _message(nomination: Nomination, event: NominationEvent) -> tuple[str, str]:
    values = {
        "number": nomination.pk,
        "candidate": nomination.candidate_name,
        "region": nomination.region,
        "status": nomination.get_status_display(),
        "previous": event.get_from_status_display(),
        "action": event.get_action_display(),
        "actor": event.actor.get_full_name() or event.actor.get_username(),
        "at": timezone.localtime(event.at).strftime("%d.%m.%Y %H:%M"),
    }
    subject = _("Nomination No. %(number)s is now “%(status)s”") % values
    text = (
        _(
            "Nomination No. %(number)s (%(candidate)s, %(region)s) is now “%(status)s” (it was “%(previous)s”): "
            "%(action)s, by %(actor)s on %(at)s."
        )
        % values
    )
    if event.comment:
        text = "\n\n".join([text, _("Comment: %(comment)s") % {"comment": event.comment}])
    return subject, text


def _send(messages: list[EmailMessage]) -> None:
    try:
        get_connection().send_messages(messages)
    except OSError:
        # The step is recorded and the portal shows the notification: a mail server that is
        # down must not turn it into an error for the user.
        logger.exception("Could not send %s nomination e-mail(s)", len(messages))


def _notify(nomination: Nomination, event: NominationEvent) -> list[Notification]:
    """A notification in the portal and an e-mail (after the commit) for each recipient
    except the one who took the step. Written in the default language: the recipients'
    own is not known."""
    recipients = list(notification_recipients(nomination).exclude(pk=event.actor_id))
    with translation.override(settings.LANGUAGE_CODE):
        subject, text = _message(nomination, event)
    notifications = Notification.objects.bulk_create(
        Notification(user=user, nomination=nomination, event=event, message=text, created_at=event.at)
        for user in recipients
    )
    # bulk_create sends no post_save.
    public_cache.schedule_bump()
    messages = [EmailMessage(subject=subject, body=text, to=[user.email]) for user in recipients if user.email]
    if messages:
        transaction.on_commit(partial(_send, messages))
    return notifications


@transaction.atomic
def notification_mark_read(*, notification: Notification, user) -> Notification:
    """Mark one of the user's own notifications read."""
    if notification.user_id != user.pk:
        raise PermissionDenied(_("This notification is someone else's."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user) -> int:
    """Mark all of the user's notifications read; the number marked."""
    marked = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    # update() sends no post_save.
    public_cache.schedule_bump()
    return marked


# Regional office users ------------------------------------------------------------------------


@transaction.atomic
def regional_office_user_set(*, user, region: Region) -> RegionalOfficeUser:
    """Make ``user`` a user of the regional office of ``region`` (moving them from another)."""
    profile = RegionalOfficeUser.objects.filter(user=user).first() or RegionalOfficeUser(user=user)
    profile.region = region
    profile.full_clean()
    profile.save()
    roles.forget_roles(user)
    return profile
