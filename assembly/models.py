"""The Assembly's structure: legal acts, bodies at every level and their posts.

Every body has a founding date, an optional dissolution date and an optional
successor, so that every question can be answered as of a date.
"""

import datetime

import simple_history
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .audit import AccountHistory


class LegalAct(models.Model):
    """A decree, order or decision behind an appointment, an ending or a meeting."""

    class Kind(models.TextChoices):
        LAW = "law", _("law")
        DECREE = "decree", _("decree")
        ORDER = "order", _("order")
        RESOLUTION = "resolution", _("resolution")
        DECISION = "decision", _("decision")
        MINUTES = "minutes", _("minutes")
        OTHER = "other", _("other act")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=40, blank=True)
    date = models.DateField(_("date"))
    issuer = models.CharField(
        _("issued by"), max_length=200, blank=True, help_text=_("For example: the President, the Council, the akim.")
    )
    title = models.CharField(_("title"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "kind", "number"]
        verbose_name = _("legal act")
        verbose_name_plural = _("legal acts")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "number", "date"],
                condition=~Q(number=""),
                name="legalact_unique_kind_number_date",
                violation_error_message=_("An act of this kind with this number and date is already registered."),
            ),
        ]

    def __str__(self) -> str:
        date = self.date.strftime("%d.%m.%Y") if self.date else "?"
        if self.number:
            return f"{self.get_kind_display()} № {self.number}, {date}"
        return f"{self.get_kind_display()}, {date}"


class BodyQuerySet(models.QuerySet):
    def active_on(self, date: datetime.date) -> "BodyQuerySet":
        """Bodies that existed on ``date``."""
        return self.filter(
            Q(founded__isnull=True) | Q(founded__lte=date),
            Q(dissolved__isnull=True) | Q(dissolved__gte=date),
        )

    def national(self) -> "BodyQuerySet":
        return self.filter(region__isnull=True)

    def of_region(self, region) -> "BodyQuerySet":
        return self.filter(region=region)


class Body(models.Model):
    """An organ of the Assembly at any level: the Assembly itself, its Council and
    Secretariat, a regional assembly and its council and secretariat, or a body
    further down (district, student ...). Levels are expressed by ``parent`` and
    ``region``, so a new level is data, not code.
    """

    class Kind(models.TextChoices):
        ASSEMBLY = "assembly", _("assembly")
        COUNCIL = "council", _("council")
        SECRETARIAT = "secretariat", _("secretariat")
        EXPERT_COUNCIL = "expert_council", _("scientific-expert council")
        OTHER = "other", _("other structure")

    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region = models.ForeignKey(
        "regional.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bodies",
        help_text=_("Empty for the national bodies."),
    )
    founded = models.DateField(_("founded"), null=True, blank=True)
    dissolved = models.DateField(_("dissolved"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    sort_order = models.PositiveSmallIntegerField(_("display order"), default=0)

    objects = BodyQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "region__kato", "pk"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved__isnull=True) | Q(founded__isnull=True) | Q(dissolved__gte=F("founded")),
                name="body_dissolved_after_founded",
                violation_error_message=_("A body cannot be dissolved before it is founded."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="body_not_own_parent",
                violation_error_message=_("A body cannot be its own parent."),
            ),
            models.CheckConstraint(
                condition=~Q(successor=F("pk")),
                name="body_not_own_successor",
                violation_error_message=_("A body cannot be its own successor."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, date: datetime.date) -> bool:
        return (self.founded is None or self.founded <= date) and (self.dissolved is None or self.dissolved >= date)


class Post(models.Model):
    """A seat in a body, such as its chairman, a deputy chairman or an ordinary member.

    ``seats`` is the number of people who may hold the post at once; empty means
    no fixed number. A single-seat post is guarded by the database (see
    ``members.Membership``); a multi-seat post by ``members.services``.
    """

    class Role(models.TextChoices):
        CHAIRMAN = "chairman", _("chairman")
        DEPUTY_CHAIRMAN = "deputy_chairman", _("deputy chairman")
        HEAD = "head", _("head")
        DEPUTY_HEAD = "deputy_head", _("deputy head")
        SECRETARY = "secretary", _("secretary")
        MEMBER = "member", _("member")
        STAFF = "staff", _("staff member")

    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="posts")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    label = models.CharField(_("label"), max_length=200)
    seats = models.PositiveIntegerField(
        _("number of seats"), null=True, blank=True, help_text=_("Empty when the number is not fixed.")
    )
    sort_order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        ordering = ["body", "sort_order", "pk"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "role"],
                name="post_unique_role_per_body",
                violation_error_message=_("This body already has a post with this role."),
            ),
            models.CheckConstraint(
                condition=Q(seats__isnull=True) | Q(seats__gte=1),
                name="post_seats_positive",
                violation_error_message=_("A post has at least one seat."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} — {self.body}"

    @property
    def is_single_seat(self) -> bool:
        return self.seats == 1


# The user accounts and their roles (groups, permissions): who may do what is part of the
# audit trail (assembly.audit), kept here with the rest of it.
simple_history.register(
    get_user_model(),
    app="assembly",
    records_class=AccountHistory,
    excluded_fields=["password", "last_login"],
    m2m_fields=["groups", "user_permissions"],
)
