"""Every write to the register that carries a rule.

The admin, the import, the portal and the API all call these functions, so a rule
holds whichever door the data comes through. Each function validates the whole
object (``full_clean``) before saving and runs in one transaction. An imported file is
checked and saved as a whole, with the same rules, by ``PersonsImport`` and
``MembershipsImport`` (at the end of this module).
"""

import datetime
import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Func, Q, Value
from django.utils.text import slugify
from django.utils.translation import gettext as _
from modeltranslation.translator import translator

from assembly import audit
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


def _names(person: Person) -> dict[str, str]:
    return {field: getattr(person, field) for pair in _LATIN_FIELDS for field in pair}


# The same names come back again and again (a file of thousands of persons holds a few hundred
# given names and patronymics): each is transliterated once.
_to_latin = functools.lru_cache(maxsize=50_000)(to_latin)


def _latin_spelling(names: Mapping[str, str], saved: Mapping[str, str] | None = None) -> dict[str, str]:
    """The Latin spelling of each of a person's names (``names``: the Kazakh and the Latin
    ones, as ``_names`` gives them): as written, or generated from the Kazakh one where empty.
    ``saved``: the names as stored, whose generated spelling follows a corrected Kazakh one."""
    spellings = {}
    for source, latin in _LATIN_FIELDS:
        spelling = names[latin]
        # A spelling typed by hand is kept.
        if not spelling or (saved is not None and spelling == _to_latin(saved[source])):
            spelling = _to_latin(names[source])
        spellings[latin] = spelling
    return spellings


def _slug_base(names: Mapping[str, str]) -> str:
    """The slug of a person's name (``names``: as ``_names`` gives them, the Latin spelling
    filled in), before any suffix that makes it unique."""
    latin = " ".join(names[field] for _source, field in _LATIN_FIELDS if names[field])
    kazakh = " ".join(names[field] for field, _latin in _LATIN_FIELDS if names[field])
    # slugify() drops the dotless ı (it has no ASCII decomposition): "Serık" would become "serk".
    return slugify((latin or to_latin(kazakh)).replace("ı", "i"))[:100] or "person"


def _unique_person_slug(person: Person) -> str:
    base = _slug_base(_names(person))
    slug, suffix = base, 2
    while Person.objects.filter(slug=slug).exclude(pk=person.pk).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def _fill_latin_spelling(person: Person, saved: Mapping[str, str] | None = None) -> None:
    for field, spelling in _latin_spelling(_names(person), saved).items():
        setattr(person, field, spelling)


def _fill_derived_person_fields(person: Person) -> None:
    saved = None
    if person.pk is not None:
        saved = Person.objects.filter(pk=person.pk).values(*(source for source, _ in _LATIN_FIELDS)).first()
    _fill_latin_spelling(person, saved)
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
    day = _first_day_without_a_seat(membership, post.seats, overlapping.values_list("start_date", "end_date"))
    if day is not None:
        raise _seats_taken(post, day)


def _overlaps(membership: Membership, first: datetime.date, last: datetime.date | None) -> bool:
    """Whether ``membership`` and the term from ``first`` to ``last`` (both inclusive) share a day."""
    return (last is None or last >= membership.start_date) and (
        membership.end_date is None or first <= membership.end_date
    )


def _first_day_without_a_seat(
    membership: Membership, seats: int, others: Iterable[tuple[datetime.date, datetime.date | None]]
) -> datetime.date | None:
    """The first day of ``membership`` on which the other holders of its post (``others``: their
    first and last days) already take all ``seats``; None when a seat is free on every day."""
    start = membership.start_date
    overlapping = [(first, last) for first, last in others if _overlaps(membership, first, last)]
    # The number of holders only rises where a membership starts: check those days.
    days = {start} | {first for first, _last in overlapping if first > start}
    for day in sorted(days):
        if sum(1 for first, last in overlapping if first <= day and (last is None or last >= day)) >= seats:
            return day
    return None


def _seats_taken(post: Post, day: datetime.date) -> ValidationError:
    return ValidationError(
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
            raise _no_member_post()
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


def _no_member_post() -> ValidationError:
    return ValidationError({"post": _("This body has no ordinary member's post: choose a post.")})


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


# Whole-file imports ------------------------------------------------------------------------
#
# An imported file (members.resources) is checked and saved as a whole: every rule above, for
# each row in the file's order, against the register and against the rows before it, with a
# few queries per file where the services above run several per row. The register's rows the
# file can meet are read once, when the import begins; new rows are created together at the end,
# with their history. A row that changes a recorded person or membership is saved through
# ``person_save`` or ``membership_update`` like any other change.

# Rows per INSERT of a bulk creation.
_BULK_BATCH = 1000


def _read_relations(instance: Person | Membership) -> list[str]:
    """The foreign keys of ``instance`` that name a row. ``full_clean`` would look each one up
    again, a query per key and row: the import read them from the database itself (and the
    insert's foreign keys hold them)."""
    return [field.name for field in _foreign_keys(type(instance)) if getattr(instance, field.attname) is not None]


@functools.cache
def _foreign_keys(model: type[Person | Membership]) -> list:
    return [field for field in model._meta.concrete_fields if field.is_relation]


@functools.cache
def _translated_fields(model: type[Person]) -> tuple[str, ...]:
    """The translated fields of ``model`` (``position``): each shows the value of one of its
    languages' columns (``position_kk`` ...), which ``full_clean`` validates themselves. Read
    through modeltranslation's language fallbacks, they would cost more than all the rest."""
    return tuple(translator.get_options_for_model(model).fields)


def _unique_error(person: Person, field: str) -> ValidationError:
    """The error ``validate_unique`` gives: "Person with this IIN already exists."."""
    return person.unique_error_message(Person, (field,))


class PersonsImport:
    """The persons of one file (``person_save`` for a whole file).

    Made with every slug and IIN the file gives, and the names of its rows without a slug
    (as ``_names`` gives them, for the slugs to generate): two queries read the persons they
    name and the slugs taken.
    ``recorded`` finds a row's person (by slug, else by IIN); ``check`` validates a row;
    ``create`` saves the new persons of the valid rows.
    """

    def __init__(self, *, slugs: Iterable[str], iins: Iterable[str], names: Iterable[Mapping[str, str]]) -> None:
        slugs, iins = set(slugs) - {""}, set(iins) - {""}
        found = list(Person.objects.filter(Q(slug__in=slugs) | Q(iin__in=iins)))
        self._by_slug = {person.slug: person for person in found}
        self._by_iin = {person.iin: person for person in found if person.iin}
        # Who holds each IIN the file gives: a recorded person's key, or None for a new row.
        self._iin_holders: dict[str, int | None] = {person.iin: person.pk for person in found if person.iin}
        self._iin_of = {person.pk: person.iin for person in found}
        bases = {_slug_base({**row, **_latin_spelling(row)}) for row in names}
        # The slugs a generated one must avoid: those of the register that a base or a base with a
        # suffix ("base-2") would give, and every slug the file gives itself.
        stems = Person.objects.annotate(stem=Func("slug", Value(r"-[0-9]+$"), Value(""), function="regexp_replace"))
        self._taken = set(stems.filter(Q(slug__in=bases) | Q(stem__in=bases)).values_list("slug", flat=True))
        self._taken |= slugs
        self._new_slugs: set[str] = set()

    def recorded(self, *, slug: str, iin: str) -> Person | None:
        """The recorded person a row names: by its slug when it gives one, else by its IIN."""
        if slug:
            return self._by_slug.get(slug)
        return self._by_iin.get(iin) if iin else None

    def check(self, person: Person, errors: dict) -> None:
        """Raise a ValidationError with all that is wrong with a row's person (``errors``: the
        row's own, from reading it), as ``person_save`` would, the rows checked before it counting
        as saved. A new person gets its Latin spelling and its slug here."""
        if not person._state.adding:
            self._check_recorded(person, errors)
            return
        _fill_latin_spelling(person)
        person.iin = person.iin or None
        if not person.slug:
            person.slug = self._free_slug(_slug_base(_names(person)))
        elif person.slug in self._new_slugs:
            errors.setdefault("slug", []).append(_unique_error(person, "slug"))
        try:
            person.full_clean(
                exclude=[*errors, *_read_relations(person), *_translated_fields(Person)],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if person.iin in self._iin_holders and "iin" not in errors:
            errors.setdefault("iin", []).append(_unique_error(person, "iin"))
        if errors:
            raise ValidationError(errors)
        self._new_slugs.add(person.slug)
        if person.iin:
            self._iin_holders[person.iin] = None

    def _check_recorded(self, person: Person, errors: dict) -> None:
        # person_save checks the change against the register; here, against the file's new rows.
        if person.iin and self._iin_holders.get(person.iin, person.pk) != person.pk:
            errors.setdefault("iin", []).append(_unique_error(person, "iin"))
        if errors:
            raise ValidationError(errors)
        previous = self._iin_of.get(person.pk)
        if previous and self._iin_holders.get(previous) == person.pk:
            del self._iin_holders[previous]
        if person.iin:
            self._iin_holders[person.iin] = person.pk
        self._iin_of[person.pk] = person.iin

    def _free_slug(self, base: str) -> str:
        slug, suffix = base, 2
        while slug in self._taken:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        self._taken.add(slug)
        return slug

    def update(self, person: Person) -> Person:
        """Save a checked row's change of a recorded person."""
        return person_save(person=person)

    @transaction.atomic
    def create(self, persons: list[Person]) -> list[Person]:
        """Save the new persons of checked rows, with a history row each."""
        return audit.bulk_create_with_history(persons, Person, batch_size=_BULK_BATCH)


# The database constraints of a membership that ``full_clean`` checks with a query each, checked
# in memory (their messages are the constraints' own).
_CONSTRAINTS = {constraint.name: constraint for constraint in Membership._meta.constraints}


def _violated(name: str) -> ValidationError:
    return ValidationError(_CONSTRAINTS[name].get_violation_error_message())


class MembershipsImport:
    """The memberships of one file (``membership_appoint`` for a whole file).

    Made with the persons and the bodies the file names and the acts it cites (kind, number,
    date): it locks the bodies' posts and reads, in a few queries, the posts, the acts already
    registered, and the memberships the file's rows can overlap or compete with for a seat.
    ``act`` gives the act a row cites; ``check`` validates a row; ``create`` saves the new
    memberships of the valid rows and registers the new acts they cite.
    """

    def __init__(
        self,
        *,
        persons: Iterable[Person],
        bodies: Iterable[Body],
        acts: Iterable[tuple[str, str, datetime.date]],
    ) -> None:
        bodies = {body.pk: body for body in bodies}
        # As _lock_post, for every post a row of the file may take, before anything is read:
        # which post a row takes is known only once it is read. In the order of their keys, so
        # that two imports naming the same posts wait for each other rather than deadlock.
        posts = Post.objects.select_for_update().filter(body__in=list(bodies)).order_by("pk")
        self.posts: list[Post] = list(posts)
        for post in self.posts:
            post.body = bodies[post.body_id]
        self._member_posts = {post.body_id: post for post in self.posts if post.role == Post.Role.MEMBER}
        # The terms of each person in each body, and the terms of each post with a number of seats:
        # {(person key, body key)} or {post key} -> {membership key: (first day, last day)}. A new
        # row's key is a fresh object, so that it stands apart from every other.
        self._terms: dict[tuple[int, int], dict] = defaultdict(dict)
        self._holders: dict[int, dict] = defaultdict(dict)
        self._placed: dict[int, tuple[tuple[int, int], int]] = {}
        columns = ("pk", "person_id", "body_id", "post_id", "start_date", "end_date")
        of_persons = Membership.objects.filter(person__in=[person.pk for person in persons], body__in=bodies)
        of_posts = Membership.objects.filter(post__in=[post.pk for post in self.posts if post.seats is not None])
        recorded = of_persons.order_by().values_list(*columns).union(of_posts.order_by().values_list(*columns))
        for pk, person_id, body_id, post_id, first, last in recorded:
            self._place(pk, (person_id, body_id), post_id, first, last)
        acts = {act for act in acts if act[1]}
        registered = LegalAct.objects.filter(
            kind__in={kind for kind, _number, _date in acts},
            number__in={number for _kind, number, _date in acts},
            date__in={date for _kind, _number, date in acts},
        )
        self._acts = {(act.kind, act.number, act.date): act for act in registered}

    def _place(self, key, terms: tuple[int, int], post_id: int, first, last) -> None:
        self._terms[terms][key] = (first, last)
        self._holders[post_id][key] = (first, last)
        if isinstance(key, int):
            self._placed[key] = (terms, post_id)

    def act(self, *, kind: str, number: str, date: datetime.date) -> LegalAct:
        """The registered act with this kind, number and date, or a new one, registered by
        ``create`` (every row citing a new numbered act cites the same one; an act without a
        number is new each time, as with ``legal_act_get_or_create``)."""
        act = self._acts.get((kind, number, date)) if number else None
        if act is None:
            act = LegalAct(kind=kind, number=number, date=date)
            act.full_clean(validate_constraints=False)
            if number:
                self._acts[kind, number, date] = act
        return act

    def check(self, membership: Membership, errors: dict) -> None:
        """Raise a ValidationError with what is wrong with a row's membership (``errors``: the
        row's own, from reading it), as ``membership_appoint`` (a new one) or ``membership_update``
        (a recorded one) would, the rows checked before it counting as saved."""
        if membership._state.adding:
            # A new membership: the row's id, if any, names no recorded one, and is not kept.
            membership.pk = None
            if membership.post_id is None and membership.body_id is not None and "post" not in errors:
                post = self._member_posts.get(membership.body_id)
                if post is None:
                    raise _no_member_post()
                membership.post = post
        try:
            membership.full_clean(
                exclude=[*errors, *_read_relations(membership)], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
        self._check_constraints(membership)
        _check_membership(membership)
        post = membership.post
        if post.seats is not None and post.seats > 1:
            day = _first_day_without_a_seat(membership, post.seats, self._others(self._holders[post.pk], membership))
            if day is not None:
                raise _seats_taken(post, day)
        self._record(membership)

    def _check_constraints(self, membership: Membership) -> None:
        """The constraints of ``Membership.Meta``, as ``full_clean`` checks them."""
        errors = []
        start, end = membership.start_date, membership.end_date
        if end is not None and end < start:
            errors.append(_violated("membership_end_not_before_start"))
        if not (
            (end is None and not membership.end_reason and membership.ended_by is None)
            or (end is not None and membership.end_reason)
        ):
            errors.append(_violated("membership_end_has_reason"))
        # Reversed dates make no range to compare (see Membership.validate_constraints).
        if end is None or end >= start:
            terms = self._others(self._terms[membership.person_id, membership.body_id], membership)
            if any(_overlaps(membership, first, last) for first, last in terms):
                errors.append(_violated("membership_no_overlap_per_body"))
            if membership.post.is_single_seat and _first_day_without_a_seat(
                membership, 1, self._others(self._holders[membership.post_id], membership)
            ):
                errors.append(_violated("membership_single_seat_one_holder"))
        if errors:
            raise ValidationError({NON_FIELD_ERRORS: errors})

    @staticmethod
    def _others(terms: dict, membership: Membership) -> list[tuple]:
        return [term for key, term in terms.items() if key != membership.pk]

    def _record(self, membership: Membership) -> None:
        """Count the checked row in the terms the next rows are checked against."""
        if membership.pk is not None:
            terms, post_id = self._placed.pop(membership.pk, (None, None))
            self._terms.get(terms, {}).pop(membership.pk, None)
            self._holders.get(post_id, {}).pop(membership.pk, None)
        key = object() if membership.pk is None else membership.pk
        terms = (membership.person_id, membership.body_id)
        self._place(key, terms, membership.post_id, membership.start_date, membership.end_date)

    @transaction.atomic
    def update(self, membership: Membership) -> Membership:
        """Save a checked row's change of a recorded membership, and the new acts it cites."""
        self._register_acts([membership])
        return membership_update(membership=membership)

    @transaction.atomic
    def create(self, memberships: list[Membership]) -> list[Membership]:
        """Save the new memberships of checked rows, and the new acts they cite, with a history
        row each."""
        self._register_acts(memberships)
        return audit.bulk_create_with_history(memberships, Membership, batch_size=_BULK_BATCH)

    def _register_acts(self, memberships: list[Membership]) -> None:
        """Register the new acts the memberships cite. As ``legal_act_get_or_create``, the unique
        index decides: an act that another transaction registered since the file was read is
        cited as registered."""
        new = {
            id(act): act
            for membership in memberships
            for act in (membership.appointed_by, membership.ended_by)
            if act is not None and act.pk is None
        }
        if not new:
            return
        try:
            with transaction.atomic():
                audit.bulk_create_with_history(list(new.values()), LegalAct, batch_size=_BULK_BATCH)
            return
        except IntegrityError:
            pass
        numbers = {act.number for act in new.values() if act.number}
        registered = {(act.kind, act.number, act.date): act for act in LegalAct.objects.filter(number__in=numbers)}
        self._acts.update(registered)
        for membership in memberships:
            for attribute in ("appointed_by", "ended_by"):
                act = getattr(membership, attribute)
                if act is not None and id(act) in new:
                    setattr(membership, attribute, registered.get((act.kind, act.number, act.date), act))
        remaining = [act for act in new.values() if (act.kind, act.number, act.date) not in registered]
        for act in remaining:
            # A key the rolled-back insert gave is no one's.
            act.pk = None
            act._state.adding = True
        audit.bulk_create_with_history(remaining, LegalAct, batch_size=_BULK_BATCH)
