"""Meetings of every body: the Assembly's numbered sessions, Council meetings,
regional sessions and councils — with their agendas, documents, attendance,
decisions and elections.

Attendance, quorum, decision results and election results are computed by
``sessions.services`` and stored; the database keeps what it can check alone.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assembly.models import Body


def roman(number: int) -> str:
    """Roman numerals for session numbers (1 -> I, 34 -> XXXIV)."""
    numerals = [
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ]  # fmt: skip
    out = []
    for value, numeral in numerals:
        count, number = divmod(number, value)
        out.append(numeral * count)
    return "".join(out)


class Majority(models.TextChoices):
    SIMPLE_PRESENT = "simple_present", _("more than half of the members present")
    TWO_THIRDS_PRESENT = "two_thirds_present", _("at least two thirds of the members present")
    MAJORITY_ALL = "majority_all", _("more than half of all members")
    TWO_THIRDS_ALL = "two_thirds_all", _("at least two thirds of all members")


class MeetingRules(models.Model):
    """How a body counts its quorum and, by default, its decisions.

    A body without rules uses the defaults: a quorum of more than half of its members,
    decisions by a simple majority of those present. The Councils' rules (at least
    two thirds of all members; decisions by two thirds of those present) are data.
    """

    class Comparison(models.TextChoices):
        AT_LEAST = "at_least", _("at least")
        MORE_THAN = "more_than", _("more than")

    body = models.OneToOneField(Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="meeting_rules")
    quorum_comparison = models.CharField(
        _("quorum: comparison"), max_length=10, choices=Comparison.choices, default=Comparison.MORE_THAN
    )
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum: numerator"), default=1)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum: denominator"), default=2)
    default_majority = models.CharField(
        _("default majority for decisions"), max_length=20, choices=Majority.choices, default=Majority.SIMPLE_PRESENT
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting rules")
        verbose_name_plural = _("meeting rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_denominator__gte=1) & Q(quorum_numerator__lte=F("quorum_denominator")),
                name="meetingrules_quorum_fraction",
                violation_error_message=_("The quorum is a fraction between 0 and 1."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.body)

    def quorum_rule_display(self) -> str:
        """The quorum rule in words, e.g. "at least 2/3 of all members"."""
        fraction = {"numerator": self.quorum_numerator, "denominator": self.quorum_denominator}
        if self.quorum_comparison == self.Comparison.AT_LEAST:
            return gettext("at least %(numerator)s/%(denominator)s of all members") % fraction
        return gettext("more than %(numerator)s/%(denominator)s of all members") % fraction


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, date) -> "MeetingQuerySet":
        return self.filter(start_date__gte=date, status=Meeting.Status.PLANNED).order_by("start_date", "pk")

    def held(self) -> "MeetingQuerySet":
        return self.filter(status=Meeting.Status.HELD)


class Meeting(models.Model):
    """A session or meeting of a body, convened by an act, on one or more days."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("regular")
        EXTRAORDINARY = "extraordinary", _("extraordinary")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="meetings")
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.REGULAR)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    convened_by = models.ForeignKey(
        "assembly.LegalAct",
        verbose_name=_("convening act"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="convened_meetings",
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("Empty for a one-day meeting."))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    theme = models.CharField(_("theme"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("session or meeting")
        verbose_name_plural = _("sessions and meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "number"],
                condition=Q(number__isnull=False),
                name="meeting_unique_number_per_body",
                violation_error_message=_("This body already has a meeting with this number."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="meeting_end_not_before_start",
                violation_error_message=_("A meeting cannot end before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["body", "start_date"], name="meeting_body_start")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_session(self) -> bool:
        """Sessions (of an assembly) are numbered in Roman numerals."""
        return self.body.kind == Body.Kind.ASSEMBLY

    @property
    def number_display(self) -> str:
        if self.number is None:
            return ""
        return roman(self.number) if self.is_session else str(self.number)

    @property
    def title(self) -> str:
        if self.is_session:
            if self.number:
                return _("%(number)s session — %(body)s") % {"number": self.number_display, "body": self.body}
            return _("Session — %(body)s") % {"body": self.body}
        if self.number:
            return _("Meeting No. %(number)s — %(body)s") % {"number": self.number, "body": self.body}
        return _("Meeting of %(date)s — %(body)s") % {"date": self.start_date.strftime("%d.%m.%Y"), "body": self.body}

    @property
    def last_date(self):
        return self.end_date or self.start_date


class AgendaItem(models.Model):
    """An item of a meeting's agenda; items nest (``parent``) and are ordered."""

    class Kind(models.TextChoices):
        REPORT = "report", _("report")
        DISCUSSION = "discussion", _("discussion")
        DECISION = "decision", _("decision")
        ELECTION = "election", _("election")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda")
    parent = models.ForeignKey(
        "self", verbose_name=_("parent item"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    order = models.PositiveSmallIntegerField(_("position"), default=1)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.REPORT)
    title = models.CharField(_("title"), max_length=500)

    class Meta:
        ordering = ["meeting", "parent_id", "order", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Document(models.Model):
    """A file of a meeting: decree, agenda, minutes, resolution, transcript, attendance sheet."""

    class Kind(models.TextChoices):
        DECREE = "decree", _("decree")
        AGENDA = "agenda", _("agenda")
        MINUTES = "minutes", _("minutes")
        RESOLUTION = "resolution", _("resolution")
        TRANSCRIPT = "transcript", _("transcript")
        ATTENDANCE_SHEET = "attendance_sheet", _("attendance sheet")
        OTHER = "other", _("other")

    class Language(models.TextChoices):
        KK = "kk", _("Kazakh")
        RU = "ru", _("Russian")
        EN = "en", _("English")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="documents")
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.KK)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="meetings/%Y/")
    is_public = models.BooleanField(_("public"), default=False, help_text=_("Restricted documents are staff-only."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "kind", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """Whether a member entitled on the meeting's date attended. Written by
    ``sessions.services``, which only admits members entitled on that date."""

    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        ABSENT = "absent", _("absent")
        EXCUSED = "excused", _("excused")
        LEFT_EARLY = "left_early", _("left early")

    ATTENDED = (Status.PRESENT, Status.LEFT_EARLY)

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey(
        "members.Membership", verbose_name=_("membership"), on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PRESENT)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "membership__person__sort_name", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"],
                name="attendance_once_per_member",
                violation_error_message=_("This member's attendance is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership.person} — {self.get_status_display()}"


class Decision(models.Model):
    """A decision voted at a meeting. ``result`` and the counts it was taken against
    are set by ``sessions.services.decision_record``."""

    class Result(models.TextChoices):
        ADOPTED = "adopted", _("adopted")
        REJECTED = "rejected", _("rejected")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    number = models.CharField(_("number"), max_length=20, blank=True)
    text = models.TextField(_("text"))
    required_majority = models.CharField(
        _("required majority"), max_length=20, choices=Majority.choices, default=Majority.SIMPLE_PRESENT
    )
    votes_for = models.PositiveIntegerField(_("for"), default=0)
    votes_against = models.PositiveIntegerField(_("against"), default=0)
    votes_abstained = models.PositiveIntegerField(_("abstained"), default=0)
    members_entitled = models.PositiveIntegerField(_("members entitled"), default=0, editable=False)
    members_present = models.PositiveIntegerField(_("members present"), default=0, editable=False)
    votes_needed = models.PositiveIntegerField(_("votes needed"), default=0, editable=False)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, editable=False)

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    members_present__gte=F("votes_for") + F("votes_against") + F("votes_abstained"),
                ),
                name="decision_votes_within_present",
                violation_error_message=_("More votes than members present."),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Election(models.Model):
    """An election (or a vote on proposals) at a meeting: seats, candidates, ballots.
    Who is elected is computed by ``sessions.services.election_compute``."""

    class Kind(models.TextChoices):
        MAZHILIS = "mazhilis", _("deputies of the Mazhilis (2007–2022)")
        SENATE_PROPOSAL = "senate_proposal", _("proposals for the Senate (2022–)")
        DEPUTY_CHAIRMEN = "deputy_chairmen", _("deputy chairmen")
        OTHER = "other", _("other")

    class Rule(models.TextChoices):
        ABSOLUTE_MAJORITY = "absolute_majority", _("more than half of the votes of the members who took part")
        PLURALITY = "plurality", _("the most votes")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="elections")
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="elections",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    seats = models.PositiveSmallIntegerField(_("seats"))
    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices, default=Rule.ABSOLUTE_MAJORITY)
    secret_ballot = models.BooleanField(_("secret ballot"), default=True)
    ballots_issued = models.PositiveIntegerField(_("ballots issued"), default=0)
    ballots_cast = models.PositiveIntegerField(_("ballots cast"), default=0)
    ballots_invalid = models.PositiveIntegerField(_("invalid ballots"), default=0)
    seats_filled = models.PositiveSmallIntegerField(_("seats filled"), default=0, editable=False)
    tie = models.BooleanField(_("tie for the last seat"), default=False, editable=False)
    result_note = models.TextField(_("result"), blank=True, editable=False)

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        constraints = [
            models.CheckConstraint(
                condition=Q(seats__gte=1),
                name="election_seats_positive",
                violation_error_message=_("At least one seat."),
            ),
            models.CheckConstraint(
                condition=Q(ballots_cast__lte=F("ballots_issued")) & Q(ballots_invalid__lte=F("ballots_cast")),
                name="election_ballots_consistent",
                violation_error_message=_(
                    "Ballots cast cannot exceed ballots issued, nor invalid ballots the ballots cast."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def seats_unfilled(self) -> int:
        return self.seats - self.seats_filled

    def result_summary(self) -> str:
        """The result in words, in the active language, from the stored figures."""
        notes = [
            ngettext("%(count)s of %(seats)s seat filled.", "%(count)s of %(seats)s seats filled.", self.seats)
            % {"count": self.seats_filled, "seats": self.seats}
        ]
        if self.tie:
            notes.append(gettext("Candidates tied for the last seat(s); the tied candidates are not elected."))
        if self.seats_unfilled:
            notes.append(
                ngettext("%(count)s seat remains unfilled.", "%(count)s seats remain unfilled.", self.seats_unfilled)
                % {"count": self.seats_unfilled}
            )
        return " ".join(notes)


class Candidate(models.Model):
    """A candidate in an election, with the decision that nominated them."""

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="candidates"
    )
    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="candidacies"
    )
    nominated_by_body = models.ForeignKey(
        Body,
        verbose_name=_("nominated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominated_candidates",
    )
    nominating_act = models.ForeignKey(
        "assembly.LegalAct",
        verbose_name=_("nominating decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominated_candidates",
    )
    votes = models.PositiveIntegerField(_("votes"), null=True, blank=True)
    elected = models.BooleanField(_("elected"), default=False, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["election", "-votes", "pk"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.UniqueConstraint(
                fields=["election", "person"],
                name="candidate_once_per_election",
                violation_error_message=_("This person is already a candidate in this election."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.person)
