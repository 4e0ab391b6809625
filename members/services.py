"""Every write to the register that carries a rule.

The admin, the import, the portal and the API all call these functions, so a rule
holds whichever door the data comes through. Each function validates the whole
object (``full_clean``) before saving and runs in one transaction.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from assembly.models import Body, LegalAct, Post

from .models import Association, Membership, Person
from .transliteration import to_latin

_LATIN_FIELDS = (("surname", "surname_latin"), ("given_name", "given_name_latin"), ("patronymic", "patronymic_latin"))

# Which kind of organisation each basis must be on behalf of; None: any or none.
_BASIS_ORGANISATION = {
    Membership.Basis.ETHNOCULTURAL: Association.Kind.ETHNOCULTURAL,
    Membership.Basis.PUBLIC_ASSOCIATION: Association.Kind.PUBLIC,
    Membership.Basis.STATE_BODY: Association.Kind.STATE_BODY,
}


def _unique_person_slug(person: Person) -> str:
    # slugify() drops the dotless ı (it has no ASCII decomposition): "Serık" would become "serk".
    base = slugify((person.full_name_latin or to_latin(person.full_name)).replace("ı", "i"))[:100] or "person"
    slug, suffix = base, 2
    while Person.objects.filter(slug=slug).exclude(pk=person.pk).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def _fill_derived_person_fields(person: Person) -> None:
    saved = None
    if person.pk is not None:
        saved = Person.objects.filter(pk=person.pk).values(*(source for source, _ in _LATIN_FIELDS)).first()
    for source, latin in _LATIN_FIELDS:
        spelling = getattr(person, latin)
        # A generated spelling follows a corrected Kazakh one; a spelling typed by hand is kept.
        if not spelling or (saved is not None and spelling == to_latin(saved[source])):
            setattr(person, latin, to_latin(getattr(person, source)))
    if not person.iin:
        person.iin = None
    if not person.slug:
        person.slug = _unique_person_slug(person)


@transaction.atomic
def person_save(*, person: Person) -> Person:
    """Validate and save a new or changed person, generating the Latin spelling and
    the public slug where they are empty."""
    _fill_derived_person_fields(person)
    person.full_clean()
    person.save()
    return person


def person_create(**fields: Any) -> Person:
    return person_save(person=Person(**fields))


def person_update(*, person: Person, **fields: Any) -> Person:
    for name, value in fields.items():
        setattr(person, name, value)
    return person_save(person=person)


def legal_act_get_or_create(
    *, kind: str, number: str, date: datetime.date, issuer: str = "", title: str = ""
) -> LegalAct:
    """The registered act with this kind, number and date, created if new.

    Two callers registering the same new act at the same moment (two approvals by one
    decree, two imports citing it) get the same row: the unique index makes the second
    insert wait for the first to commit and fail, and the second then reads the first's row.
    """
    acts = LegalAct.objects.filter(kind=kind, number=number, date=date)
    if number:
        act = acts.first()
        if act is not None:
            return act
    act = LegalAct(kind=kind, number=number, date=date, issuer=issuer, title=title)
    # The unique index decides, not a read that another connection may overtake.
    act.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            act.save()
    except IntegrityError:
        registered = acts.first() if number else None
        if registered is None:
            raise
        return registered
    return act


def _holders_on(post: Post, date: datetime.date, exclude_pk: int | None) -> int:
    return Membership.objects.filter(post=post).on(date).exclude(pk=exclude_pk).count()


def _lock_post(membership: Membership) -> None:
    """Lock the post's row before any check: two writes of memberships of one post at the
    same moment are then checked one after the other, the second seeing the first's row
    (its single seat held, the same person appointed to it twice), and refused with a
    validation error rather than by the database's constraint."""
    if membership.post_id is not None:
        # Without the default ordering, which joins the body: FOR UPDATE takes no outer join.
        Post.objects.select_for_update().filter(pk=membership.post_id).order_by("pk").first()


def _check_seats(membership: Membership) -> None:
    """A multi-seat post never has more holders at once than it has seats.

    The post row is locked so that two appointments at the same moment are counted
    one after the other.
    """
    post = Post.objects.select_for_update().get(pk=membership.post_id)
    if post.seats is None or post.seats == 1:  # unlimited, or guarded by the database
        return
    overlapping = Membership.objects.filter(post=post).exclude(pk=membership.pk)
    overlapping = overlapping.exclude(end_date__lt=membership.start_date)
    if membership.end_date is not None:
        overlapping = overlapping.exclude(start_date__gt=membership.end_date)
    # The number of holders only rises where a membership starts: check those days.
    days = {membership.start_date} | {
        d for d in overlapping.values_list("start_date", flat=True) if d > membership.start_date
    }
    for day in sorted(days):
        if _holders_on(post, day, membership.pk) >= post.seats:
            raise ValidationError(
                {
                    "post": _("All %(seats)s seats of “%(post)s” are taken on %(date)s.")
                    % {"seats": post.seats, "post": post.label, "date": day.strftime("%d.%m.%Y")}
                }
            )


def _check_membership(membership: Membership) -> None:
    """Rules that span tables, checked before the row is validated and saved."""
    body: Body = membership.body
    if not body.is_active_on(membership.start_date):
        raise ValidationError({"start_date": _("The body did not exist on that date.")})
    required_kind = _BASIS_ORGANISATION.get(membership.basis)
    organisation = membership.on_behalf_of
    if required_kind and (organisation is None or organisation.kind != required_kind):
        raise ValidationError(
            {
                "on_behalf_of": _("A member on the basis “%(basis)s” represents a %(kind)s.")
                % {"basis": membership.get_basis_display(), "kind": Association.Kind(required_kind).label}
            }
        )
    if membership.appointed_by is None and membership.basis != Membership.Basis.EX_OFFICIO:
        raise ValidationError({"appointed_by": _("Give the act that appointed the member.")})
    if membership.end_reason == Membership.EndReason.MOVED_REGION and body.region_id is None:
        raise ValidationError({"end_reason": _("Moving to another region ends only a regional membership.")})


def _save_membership(membership: Membership) -> Membership:
    _lock_post(membership)
    membership.full_clean()
    _check_membership(membership)
    _check_seats(membership)
    membership.save()
    return membership


@transaction.atomic
def membership_appoint(
    *,
    person: Person,
    body: Body,
    basis: str,
    start_date: datetime.date,
    appointed_by: LegalAct | None,
    post: Post | None = None,
    on_behalf_of: Association | None = None,
    end_date: datetime.date | None = None,
    end_reason: str = "",
    ended_by: LegalAct | None = None,
    note: str = "",
) -> Membership:
    """Make ``person`` a member of ``body`` (in ``post``, the ordinary member's post by
    default) from ``start_date``. A past membership can be recorded whole by giving
    its end as well."""
    if post is None:
        post = Post.objects.filter(body=body, role=Post.Role.MEMBER).first()
        if post is None:
            raise ValidationError({"post": _("This body has no ordinary member's post: choose a post.")})
    membership = Membership(
        person=person,
        body=body,
        post=post,
        basis=basis,
        on_behalf_of=on_behalf_of,
        start_date=start_date,
        end_date=end_date,
        end_reason=end_reason,
        appointed_by=appointed_by,
        ended_by=ended_by,
        note=note,
    )
    return _save_membership(membership)


@transaction.atomic
def membership_update(*, membership: Membership, **fields: Any) -> Membership:
    """Correct a recorded membership; every rule is checked again."""
    for name, value in fields.items():
        setattr(membership, name, value)
    return _save_membership(membership)


@transaction.atomic
def membership_end(*, membership: Membership, end_date: datetime.date, reason: str, act: LegalAct | None) -> Membership:
    """End a current membership on ``end_date`` (its last day) for ``reason``, by ``act``."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.end_date is not None:
        raise ValidationError(
            _("This membership already ended on %(date)s.") % {"date": membership.end_date.strftime("%d.%m.%Y")}
        )
    if reason not in Membership.EndReason.values:
        raise ValidationError({"end_reason": _("Choose a reason for ending the membership.")})
    if act is None:
        raise ValidationError({"ended_by": _("Give the act that ended the membership.")})
    membership.end_date = end_date
    membership.end_reason = reason
    membership.ended_by = act
    return _save_membership(membership)


@transaction.atomic
def membership_change_post(*, membership: Membership, post: Post, date: datetime.date, act: LegalAct) -> Membership:
    """Move a member to another post of the same body from ``date``: the old membership
    ends the day before, a new one with the same basis begins on ``date``."""
    if post.body_id != membership.body_id:
        raise ValidationError({"post": _("The new post must belong to the same body.")})
    if post.pk == membership.post_id:
        raise ValidationError({"post": _("The member already holds this post.")})
    if date <= membership.start_date:
        raise ValidationError({"date": _("The new post must begin after the membership began.")})
    membership_end(
        membership=membership,
        end_date=date - datetime.timedelta(days=1),
        reason=Membership.EndReason.POST_CHANGED,
        act=act,
    )
    return membership_appoint(
        person=membership.person,
        body=membership.body,
        post=post,
        basis=membership.basis,
        on_behalf_of=membership.on_behalf_of,
        start_date=date,
        appointed_by=act,
    )
