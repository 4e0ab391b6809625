import datetime

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


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
