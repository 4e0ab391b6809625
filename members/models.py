"""The register: people, the associations they represent, and their memberships.

Memberships answer "who held it then": ``Membership.objects.on(date)``. The
rules that can be, are kept by the database (see ``Membership.Meta``); those
that span rows or tables are kept by ``members.services``.
"""

import datetime

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.contrib.postgres.fields.ranges import DateTimeRangeContains
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assembly.db import DateRange

from .transliteration import search_key, search_key_expression, sort_key_expression
from .validators import validate_iin, validate_iin_consistency


class EthnicGroup(models.Model):
    """An ethnic group. Individual ethnicity is private; counts by group are public."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        ordering = ["name_kk"]
        verbose_name = _("ethnic group")
        verbose_name_plural = _("ethnic groups")

    def __str__(self) -> str:
        return self.name


class Association(models.Model):
    """An organisation a member represents: an ethnocultural association (ECA), another
    public association, or a state body."""

    class Kind(models.TextChoices):
        ETHNOCULTURAL = "ethnocultural", _("ethnocultural association")
        PUBLIC = "public", _("other public association")
        STATE_BODY = "state_body", _("state body")

    class Level(models.TextChoices):
        REPUBLICAN = "republican", _("republican")
        REGIONAL = "regional", _("regional")

    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    region = models.ForeignKey(
        "regional.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="associations",
    )
    ethnic_group = models.ForeignKey(
        EthnicGroup,
        verbose_name=_("ethnic group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="associations",
    )
    founded = models.DateField(_("founded"), null=True, blank=True)

    class Meta:
        ordering = ["name_kk"]
        verbose_name = _("association or organisation")
        verbose_name_plural = _("associations and organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(level="republican", region__isnull=True) | Q(level="regional", region__isnull=False),
                name="association_region_matches_level",
                violation_error_message=_("A regional association needs a region; a republican one has none."),
            ),
            models.CheckConstraint(
                condition=Q(ethnic_group__isnull=True) | Q(kind="ethnocultural"),
                name="association_ethnic_group_only_for_eca",
                violation_error_message=_("Only an ethnocultural association has an ethnic group."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(models.QuerySet):
    def search(self, query: str) -> "PersonQuerySet":
        """Persons whose name matches every word of ``query``, in any script."""
        queryset = self
        for word in search_key(query).split():
            queryset = queryset.filter(search_name__contains=word)
        return queryset


class Person(models.Model):
    """A person in the register. Names are kept in Kazakh Cyrillic, in the Russian
    spelling where it differs, and in the 2021 Kazakh Latin alphabet.

    Public: names, photo, gender, biography, position. Private — never on a public
    page, feed, export or API: IIN, date of birth, phone, e-mail, and the ethnic group
    unless ``ethnicity_public`` is set.
    """

    class Gender(models.TextChoices):
        MALE = "male", _("male")
        FEMALE = "female", _("female")

    surname = models.CharField(_("surname"), max_length=100)
    given_name = models.CharField(_("given name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    surname_ru = models.CharField(_("surname (Russian spelling)"), max_length=100, blank=True)
    given_name_ru = models.CharField(_("given name (Russian spelling)"), max_length=100, blank=True)
    patronymic_ru = models.CharField(_("patronymic (Russian spelling)"), max_length=100, blank=True)
    surname_latin = models.CharField(
        _("surname (Latin)"), max_length=100, blank=True, help_text=_("Generated from the Kazakh spelling when empty.")
    )
    given_name_latin = models.CharField(_("given name (Latin)"), max_length=100, blank=True)
    patronymic_latin = models.CharField(_("patronymic (Latin)"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices)
    photo = models.ImageField(_("photo"), upload_to="persons/", blank=True)
    position = models.CharField(_("position and workplace"), max_length=300, blank=True)
    biography = models.TextField(_("public biography"), blank=True)

    # Private fields.
    iin = models.CharField(_("IIN"), max_length=12, null=True, blank=True, unique=True, validators=[validate_iin])  # noqa: DJ001 - NULL, not "", so that unknown IINs do not collide on the unique index
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    ethnic_group = models.ForeignKey(
        EthnicGroup,
        verbose_name=_("ethnic group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="persons",
    )
    ethnicity_public = models.BooleanField(
        _("ethnic group may be published"), default=False, help_text=_("Only with the person's consent.")
    )

    search_name = models.GeneratedField(
        expression=search_key_expression(
            Concat(
                "surname", models.Value(" "), "given_name", models.Value(" "), "patronymic", models.Value(" "),
                "surname_ru", models.Value(" "), "given_name_ru", models.Value(" "), "patronymic_ru",
                models.Value(" "), "surname_latin", models.Value(" "), "given_name_latin", models.Value(" "),
                "patronymic_latin",
            )
        ),
        output_field=models.TextField(),
        db_persist=True,
    )  # fmt: skip
    sort_name = models.GeneratedField(
        expression=sort_key_expression(
            Concat("surname", models.Value(" "), "given_name", models.Value(" "), "patronymic")
        ),
        output_field=models.TextField(db_collation="C"),
        db_persist=True,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["sort_name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            GinIndex(fields=["search_name"], opclasses=["gin_trgm_ops"], name="person_search_name_trgm"),
            models.Index(fields=["sort_name"], name="person_sort_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(iin__isnull=True) | Q(iin__regex=r"^[0-9]{12}$"),
                name="person_iin_twelve_digits",
                violation_error_message=_("An IIN has exactly 12 digits."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        if self.iin == "":
            self.iin = None
        validate_iin_consistency(self.iin, self.birth_date, self.gender)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.surname, self.given_name, self.patronymic) if part)

    @property
    def full_name_ru(self) -> str:
        return " ".join(
            part
            for part in (
                self.surname_ru or self.surname,
                self.given_name_ru or self.given_name,
                self.patronymic_ru or self.patronymic,
            )
            if part
        )

    @property
    def full_name_latin(self) -> str:
        return " ".join(part for part in (self.surname_latin, self.given_name_latin, self.patronymic_latin) if part)

    @property
    def display_name(self) -> str:
        """The name in the script of the active language."""
        language = (get_language() or "kk")[:2]
        if language == "ru":
            return self.full_name_ru
        if language == "en":
            return self.full_name_latin or self.full_name
        return self.full_name


def held_on(date: datetime.date, prefix: str = "") -> Q:
    """The condition "a membership held on ``date``" (both ends inclusive). ``prefix`` reaches
    the memberships through a relation, e.g. ``"memberships__"`` to count a body's members.

    Written as ``daterange(start, end, '[]') @> date``, which the index ``membership_held_on``
    answers: "started by then, and not ended or ended since" as two comparisons joined by an OR
    has no index to use, and read every one of a million memberships.
    """
    held = DateTimeRangeContains(DateRange(f"{prefix}start_date", f"{prefix}end_date"), date)
    return Q(held)


class MembershipQuerySet(models.QuerySet):
    def on(self, date: datetime.date) -> "MembershipQuerySet":
        """Memberships held on ``date`` (both ends of a membership are inclusive)."""
        return self.filter(held_on(date))

    def current(self) -> "MembershipQuerySet":
        return self.on(timezone.localdate())

    def past(self) -> "MembershipQuerySet":
        return self.filter(end_date__lt=timezone.localdate())

    def with_related(self) -> "MembershipQuerySet":
        return self.select_related("person", "body", "post", "on_behalf_of", "appointed_by", "ended_by")


class Membership(models.Model):
    """A person's membership of a body in a post, from ``start_date`` to ``end_date``
    (both inclusive; no end date means current), with the acts behind it.

    Write through ``members.services``: appoint, end, change post.
    """

    class Basis(models.TextChoices):
        ETHNOCULTURAL = "ethnocultural", _("ethnocultural association")
        PUBLIC_ASSOCIATION = "public_association", _("other public association")
        STATE_BODY = "state_body", _("state body")
        PUBLIC_FIGURE = "public_figure", _("public figure")
        EX_OFFICIO = "ex_officio", _("ex officio")

    class EndReason(models.TextChoices):
        # Ending automatically (Law art. 17).
        OWN_INITIATIVE = "own_initiative", _("own initiative")
        LOSS_OF_CITIZENSHIP = "loss_of_citizenship", _("loss of citizenship")
        EMIGRATION = "emigration", _("permanent residence abroad")
        CHANGE_OF_POSITION = "change_of_position", _("civil servant member by position left that post")
        DEATH = "death", _("death")
        DECLARED_INCOMPETENT = "declared_incompetent", _("declared legally incompetent by a court")
        DECLARED_MISSING = "declared_missing", _("declared missing by a court")
        DECLARED_DEAD = "declared_dead", _("declared dead by a court")
        ROTATION = "rotation", _("rotation")
        RECALL = "recall", _("recalled by the nominating association")
        # Ending by the President's decision.
        HEALTH = "health", _("state of health (President's decision)")
        IMPROPER_PERFORMANCE = "improper_performance", _("improper performance of duties (President's decision)")
        DISCREDITING_OFFENCE = "discrediting_offence", _("discrediting offence (President's decision)")
        CONVICTION = "conviction", _("guilty verdict in force (President's decision)")
        OTHER_GROUNDS = "other_grounds", _("other grounds (President's decision)")
        # Regional members only.
        MOVED_REGION = "moved_region", _("moved permanently to another region")
        # Changes of the register itself.
        POST_CHANGED = "post_changed", _("moved to another post in the same body")
        COMPOSITION_RENEWED = "composition_renewed", _("new composition approved")
        BODY_DISSOLVED = "body_dissolved", _("body dissolved")

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships")
    body = models.ForeignKey(
        "assembly.Body", verbose_name=_("body"), on_delete=models.PROTECT, related_name="memberships"
    )
    post = models.ForeignKey(
        "assembly.Post", verbose_name=_("post"), on_delete=models.PROTECT, related_name="memberships"
    )
    basis = models.CharField(_("basis"), max_length=20, choices=Basis.choices)
    on_behalf_of = models.ForeignKey(
        Association,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        help_text=_("The association or state body the member represents."),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("The last day of the membership."))
    end_reason = models.CharField(_("reason for ending"), max_length=25, choices=EndReason.choices, blank=True)
    appointed_by = models.ForeignKey(
        "assembly.LegalAct",
        verbose_name=_("appointing act"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    ended_by = models.ForeignKey(
        "assembly.LegalAct",
        verbose_name=_("ending act"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="endings",
    )
    note = models.TextField(_("internal note"), blank=True)
    # Kept equal to ``post.seats == 1`` by a database trigger (migration 0002), so the
    # exclusion constraint below can guard single-seat posts whatever writes the row.
    single_seat = models.BooleanField(default=False, editable=False)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [
            models.Index(fields=["body", "start_date", "end_date"], name="membership_body_dates"),
            # held_on(): who held a membership on a day. The columns most reads of that set need
            # are included, so that counting them (a pager, a composition) reads the index alone.
            GistIndex(
                DateRange("start_date", "end_date"),
                name="membership_held_on",
                include=["id", "person", "body", "post", "start_date", "end_date"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="membership_end_not_before_start",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True, end_reason="", ended_by__isnull=True)
                | Q(end_date__isnull=False) & ~Q(end_reason=""),
                name="membership_end_has_reason",
                violation_error_message=_("An ended membership needs a reason, and only an ended one has one."),
            ),
            ExclusionConstraint(
                name="membership_no_overlap_per_body",
                expressions=[
                    ("person", RangeOperators.EQUAL),
                    ("body", RangeOperators.EQUAL),
                    (DateRange("start_date", "end_date"), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_("This person already has a membership of this body in that period."),
            ),
            ExclusionConstraint(
                name="membership_single_seat_one_holder",
                expressions=[
                    ("post", RangeOperators.EQUAL),
                    (DateRange("start_date", "end_date"), RangeOperators.OVERLAPS),
                ],
                condition=Q(single_seat=True),
                violation_error_message=_("This post has a single seat and someone else holds it in that period."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.post}"

    def clean(self) -> None:
        if self.post_id is not None:
            self.single_seat = self.post.is_single_seat
            if self.body_id is not None and self.post.body_id != self.body_id:
                raise ValidationError({"post": _("This post belongs to another body.")})

    def validate_constraints(self, exclude=None) -> None:
        if exclude and "single_seat" in exclude:
            # A form without the derived single_seat cannot evaluate the single-seat
            # constraint's condition: leave that constraint (keyed by post) to full_clean().
            exclude = {*exclude, "post"}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            # PostgreSQL cannot build the date range of the two overlap constraints from
            # reversed dates (DataError): leave them out, by their person and post
            # fields, until the end-before-start error is corrected.
            exclude = {*(exclude or ()), "person", "post"}
        super().validate_constraints(exclude=exclude)

    def is_current_on(self, date: datetime.date) -> bool:
        return self.start_date <= date and (self.end_date is None or self.end_date >= date)
