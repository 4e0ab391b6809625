import datetime
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Membership, Person
from members.validators import validate_iin, validate_iin_consistency


class RegionQuerySet(models.QuerySet):
    def on(self, date: datetime.date) -> "RegionQuerySet":
        """Regions that existed on ``date``."""
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=date),
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=date),
        )


class Region(models.Model):
    """A first-level administrative unit that has its own regional assembly.

    Names are translated (``name_kk``, ``name_ru``, ``name_en``, see ``translation.py``).
    """

    class Kind(models.TextChoices):
        OBLAST = "oblast", _("region (oblast)")
        CITY = "city", _("city of republican significance")
        CAPITAL = "capital", _("capital")

    kato = models.CharField(
        _("KATO code"),
        max_length=9,
        unique=True,
        validators=[RegexValidator(r"^\d{2,9}$", _("A KATO code has 2 to 9 digits."))],
    )
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    centre = models.CharField(_("administrative centre"), max_length=80, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["kato"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="region_valid_until_after_from",
                violation_error_message=_("A region cannot end before it begins."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


# Nominations from the regional offices ------------------------------------------------------

# The storage of the settings that holds the nomination documents, when it is not a local folder.
PRIVATE_STORAGE_ALIAS = "private"


@deconstructible
class PrivateMediaStorage(Storage):
    """Files never given a URL: they are served only by a view that checks who asks.

    Kept in the storage ``STORAGES["private"]`` when the settings have one (a private S3 bucket,
    see ``S3_BUCKET``), else in the folder ``settings.PRIVATE_MEDIA_ROOT``, outside ``MEDIA_ROOT``.
    Chosen on every use, not once, so that a test (or a deployment) can move it; the field's
    migration names this class only, wherever the files are."""

    @property
    def backend(self) -> Storage:
        if PRIVATE_STORAGE_ALIAS in settings.STORAGES:
            return storages[PRIVATE_STORAGE_ALIAS]
        return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)

    @property
    def location(self) -> str:
        return self.backend.location

    def open(self, name, mode="rb"):
        return self.backend.open(name, mode)

    def save(self, name, content, max_length=None):
        return self.backend.save(name, content, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend.generate_filename(filename)

    def get_valid_name(self, name):
        return self.backend.get_valid_name(name)

    def get_available_name(self, name, max_length=None):
        return self.backend.get_available_name(name, max_length=max_length)

    def path(self, name):
        return self.backend.path(name)

    def delete(self, name):
        return self.backend.delete(name)

    def exists(self, name):
        return self.backend.exists(name)

    def listdir(self, path):
        return self.backend.listdir(path)

    def size(self, name):
        return self.backend.size(name)

    def get_accessed_time(self, name):
        return self.backend.get_accessed_time(name)

    def get_created_time(self, name):
        return self.backend.get_created_time(name)

    def get_modified_time(self, name):
        return self.backend.get_modified_time(name)

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view that checks permission.")


private_storage = PrivateMediaStorage()


class RegionalOfficeUser(models.Model):
    """A user of a regional office (the regional secretariat): each belongs to one region.
    Write through ``regional.services.regional_office_user_set``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="regional_office"
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="office_users")

    history = HistoricalRecords()

    class Meta:
        ordering = ["region__kato", "user__username"]
        verbose_name = _("regional office user")
        verbose_name_plural = _("regional office users")

    def __str__(self) -> str:
        return f"{self.user} — {self.region}"


class NominationQuerySet(models.QuerySet):
    def open(self) -> "NominationQuerySet":
        """Nominations not yet decided, withdrawn or turned down (drafts included)."""
        return self.filter(status__in=Nomination.OPEN_STATUSES)

    def with_related(self) -> "NominationQuerySet":
        return self.select_related("region", "target_body", "nominating_association", "person")


class NominationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned for revision")
    RESUBMITTED = "resubmitted", _("resubmitted")
    ACCEPTED = "accepted", _("accepted for the Council")
    RECOMMENDED = "recommended", _("recommended by the council")
    NOT_RECOMMENDED = "not_recommended", _("not recommended by the council")
    SESSION_SUPPORTED = "session_supported", _("supported by the regional session")
    SENT_TO_PRESIDENT = "sent_to_president", _("submitted to the President")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


_S = NominationStatus
# Not yet decided, withdrawn or turned down (drafts included).
_OPEN = (
    _S.DRAFT, _S.SUBMITTED, _S.RETURNED, _S.RESUBMITTED, _S.ACCEPTED, _S.RECOMMENDED, _S.SESSION_SUPPORTED,
    _S.SENT_TO_PRESIDENT,
)  # fmt: skip
# Reached only through a council's consideration, on either track.
_AFTER_COUNCIL = (
    _S.RECOMMENDED, _S.NOT_RECOMMENDED, _S.SESSION_SUPPORTED, _S.SENT_TO_PRESIDENT, _S.APPROVED, _S.REJECTED,
)  # fmt: skip
# Reached on the regional track only through the regional session.
_AFTER_SESSION = (_S.SESSION_SUPPORTED, _S.APPROVED, _S.REJECTED)
_NATIONAL_ONLY = (_S.ACCEPTED, _S.SENT_TO_PRESIDENT)
_REGIONAL_ONLY = (_S.SESSION_SUPPORTED,)


class Nomination(models.Model):
    """A candidate put forward by a regional office: to the national Assembly (the national
    track) or to the region's own assembly (the regional track), with the nominating
    decision, through review to the decision.

    Write through ``regional.services``: every change of status is a transition of the
    table there, recorded as a ``NominationEvent``; ``version`` grows with every change, so
    that a change made from a stale copy is refused.

    The candidate's fields follow the register's ``Person``; all of them are private.
    """

    class Track(models.TextChoices):
        NATIONAL = "national", _("to the Assembly of the People of Kazakhstan")
        REGIONAL = "regional", _("to the regional assembly")

    class Basis(models.TextChoices):
        REGIONAL_SESSION = "regional_session", _("decision of a regional assembly's session")
        ASSOCIATION_BODY = "association_body", _("decision of an association's supreme body")
        COUNCIL = "council", _("decision of the Council")
        ROTATION = "rotation", _("rotation")

    Status = NominationStatus
    OPEN_STATUSES = _OPEN

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="nominations")
    track = models.CharField(_("track"), max_length=10, choices=Track.choices)
    target_body = models.ForeignKey(
        "assembly.Body",
        verbose_name=_("nominated to"),
        on_delete=models.PROTECT,
        related_name="nominations",
        help_text=_("The Assembly (national track) or the region's assembly (regional track)."),
    )

    # The candidate, as in the register.
    surname = models.CharField(_("surname"), max_length=100)
    given_name = models.CharField(_("given name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    surname_ru = models.CharField(_("surname (Russian spelling)"), max_length=100, blank=True)
    given_name_ru = models.CharField(_("given name (Russian spelling)"), max_length=100, blank=True)
    patronymic_ru = models.CharField(_("patronymic (Russian spelling)"), max_length=100, blank=True)
    surname_latin = models.CharField(_("surname (Latin)"), max_length=100, blank=True)
    given_name_latin = models.CharField(_("given name (Latin)"), max_length=100, blank=True)
    patronymic_latin = models.CharField(_("patronymic (Latin)"), max_length=100, blank=True)
    gender = models.CharField(_("gender"), max_length=6, choices=Person.Gender.choices)
    birth_date = models.DateField(_("date of birth"))
    iin = models.CharField(_("IIN"), max_length=12, validators=[validate_iin])
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    position_kk = models.CharField(_("position and workplace (Kazakh)"), max_length=300, blank=True)
    position_ru = models.CharField(_("position and workplace (Russian)"), max_length=300, blank=True)
    position_en = models.CharField(_("position and workplace (English)"), max_length=300, blank=True)
    biography_kk = models.TextField(_("biography (Kazakh)"), blank=True)
    biography_ru = models.TextField(_("biography (Russian)"), blank=True)
    biography_en = models.TextField(_("biography (English)"), blank=True)
    ethnic_group = models.ForeignKey(
        "members.EthnicGroup",
        verbose_name=_("ethnic group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    ethnicity_public = models.BooleanField(
        _("ethnic group may be published"), default=False, help_text=_("Only with the candidate's consent.")
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person in the register"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
        help_text=_("Linked by the IIN when the candidate is already in the register."),
    )

    # The nominating decision.
    basis = models.CharField(_("basis of nomination"), max_length=20, choices=Basis.choices)
    nominating_association = models.ForeignKey(
        "members.Association",
        verbose_name=_("nominating association"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    decision_number = models.CharField(_("number of the nominating decision"), max_length=40)
    decision_date = models.DateField(_("date of the nominating decision"))

    # The procedure.
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    council_meeting = models.ForeignKey(
        "assembly_sessions.Meeting",
        verbose_name=_("council meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="considered_nominations",
        help_text=_("The meeting of the council that considered the nomination."),
    )
    session_meeting = models.ForeignKey(
        "assembly_sessions.Meeting",
        verbose_name=_("regional session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="session_nominations",
        help_text=_("Regional track: the session of the regional assembly that considered the nomination."),
    )
    decree = models.ForeignKey(
        "assembly.LegalAct",
        verbose_name=_("act of the decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
        help_text=_("The President's decree or the akim's order that approved or rejected the candidate."),
    )
    membership = models.OneToOneField(
        Membership,
        verbose_name=_("resulting membership"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nomination",
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="created_nominations",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True, editable=False)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now, editable=False)

    objects = NominationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-status_changed_at", "-pk"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        indexes = [
            models.Index(fields=["region", "status"], name="nomination_region_status"),
            models.Index(fields=["iin"], name="nomination_iin"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["iin", "target_body"],
                condition=Q(status__in=_OPEN),
                name="nomination_one_open_per_candidate_and_body",
                violation_error_message=_("This candidate already has an open nomination to this body."),
            ),
            models.CheckConstraint(
                condition=Q(iin__regex=r"^[0-9]{12}$"),
                name="nomination_iin_twelve_digits",
                violation_error_message=_("An IIN has exactly 12 digits."),
            ),
            models.CheckConstraint(
                condition=Q(track="national") | Q(basis="association_body"),
                name="nomination_regional_by_association",
                violation_error_message=_(
                    "A candidate for a regional assembly is nominated by the decision of an association's supreme body."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(basis="association_body") | Q(nominating_association__isnull=False),
                name="nomination_association_decision_names_it",
                violation_error_message=_("Give the association whose supreme body nominated the candidate."),
            ),
            models.CheckConstraint(
                condition=~Q(track="national", status__in=_REGIONAL_ONLY)
                & ~Q(track="regional", status__in=_NATIONAL_ONLY),
                name="nomination_status_of_its_track",
                violation_error_message=_("This status does not belong to the nomination's track."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "withdrawn"]) | Q(submitted_at__isnull=False),
                name="nomination_submitted_at_once_submitted",
                violation_error_message=_("A nomination past its draft has a date of submission."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=_AFTER_COUNCIL) | Q(council_meeting__isnull=False),
                name="nomination_council_meeting_after_council",
                violation_error_message=_("A nomination considered by the council names the council meeting."),
            ),
            models.CheckConstraint(
                condition=Q(session_meeting__isnull=True) | Q(track="regional"),
                name="nomination_session_meeting_regional_only",
                violation_error_message=_("Only a nomination to a regional assembly is considered by its session."),
            ),
            models.CheckConstraint(
                condition=~Q(track="regional", status__in=_AFTER_SESSION) | Q(session_meeting__isnull=False),
                name="nomination_session_meeting_after_session",
                violation_error_message=_("A nomination considered by the regional session names the session."),
            ),
            models.CheckConstraint(
                condition=Q(decree__isnull=True) | Q(status__in=["approved", "rejected"]),
                name="nomination_decree_only_when_decided",
                violation_error_message=_("Only an approved or rejected nomination has the act of the decision."),
            ),
            models.CheckConstraint(
                condition=Q(status="approved", membership__isnull=False, decree__isnull=False)
                | (~Q(status="approved") & Q(membership__isnull=True)),
                name="nomination_membership_when_approved",
                violation_error_message=_(
                    "An approved nomination has its decree and the membership it created; no other nomination "
                    "has a membership."
                ),
            ),
        ]

    def __str__(self) -> str:
        return _("Nomination No. %(number)s: %(candidate)s") % {"number": self.pk, "candidate": self.candidate_name}

    def clean(self) -> None:
        validate_iin_consistency(self.iin, self.birth_date, self.gender)

    @property
    def candidate_name(self) -> str:
        return " ".join(part for part in (self.surname, self.given_name, self.patronymic) if part)


class NominationEvent(models.Model):
    """One step of a nomination: who moved it from which status to which, when, and why.
    Written only by ``regional.services`` with the step itself."""

    class Action(models.TextChoices):
        CREATE = "create", _("create")
        SUBMIT = "submit", _("submit")
        RETURN = "return", _("return for revision")
        RESUBMIT = "resubmit", _("resubmit")
        ACCEPT = "accept", _("accept for the Council")
        RECOMMEND = "recommend", _("record the council's recommendation")
        NOT_RECOMMEND = "not_recommend", _("record that the council did not recommend")
        SESSION_SUPPORT = "session_support", _("record the regional session's support")
        SESSION_REFUSE = "session_refuse", _("record the regional session's refusal")
        SEND_TO_PRESIDENT = "send_to_president", _("submit to the President")
        APPROVE = "approve", _("record the approval")
        REJECT = "reject", _("record the rejection")
        WITHDRAW = "withdraw", _("withdraw")

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=NominationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=NominationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="nomination_events"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["nomination", "at", "pk"]
        verbose_name = _("nomination event")
        verbose_name_plural = _("nomination events")

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.get_from_status_display()} → {self.get_to_status_display()}"


def nomination_document_path(document: "NominationDocument", filename: str) -> str:
    # The stored name never comes from the user: the extension follows the checked content.
    extension = NominationDocument.EXTENSIONS.get(document.content_type, "")
    return f"nominations/{document.nomination_id}/{uuid.uuid4().hex}{extension}"


class NominationDocument(models.Model):
    """A file of a nomination (the nominating decision, a consent, minutes, a decree ...),
    in private storage. Checked by its content before it is stored (``regional.uploads``)."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("nominating decision")
        CONSENT = "consent", _("candidate's consent")
        CURRICULUM_VITAE = "curriculum_vitae", _("curriculum vitae")
        MINUTES = "minutes", _("extract from the minutes")
        DECREE = "decree", _("decree or order")
        OTHER = "other", _("other document")

    EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="documents"
    )
    event = models.ForeignKey(
        NominationEvent,
        verbose_name=_("attached to the step"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=nomination_document_path, storage=private_storage)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=40, choices=[(value, value) for value in EXTENSIONS])
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="nomination_documents",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["nomination", "uploaded_at", "pk"]
        verbose_name = _("nomination document")
        verbose_name_plural = _("nomination documents")

    def __str__(self) -> str:
        return self.original_name


class Notification(models.Model):
    """A message to a user about a change of a nomination's status, shown in the portal
    until read (``read_at``); the same message goes out by e-mail."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.ForeignKey(
        NominationEvent,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.message
