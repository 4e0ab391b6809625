"""Validation of the Kazakh individual identification number (IIN, ЖСН)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_WEIGHTS_FIRST = range(1, 12)
_WEIGHTS_SECOND = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
# The seventh digit encodes the century of birth and the gender.
_CENTURY_GENDER = {
    "1": (1800, "male"),
    "2": (1800, "female"),
    "3": (1900, "male"),
    "4": (1900, "female"),
    "5": (2000, "male"),
    "6": (2000, "female"),
}


def iin_check_digit(first_eleven: str) -> int | None:
    """The control digit of an IIN, or None when no valid one exists."""
    digits = [int(char) for char in first_eleven]
    for weights in (_WEIGHTS_FIRST, _WEIGHTS_SECOND):
        control = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if control != 10:
            return control
    return None


def iin_birth_date_and_gender(iin: str) -> tuple[datetime.date, str]:
    """Decode the date of birth and gender an IIN carries; ValidationError if it carries none."""
    century_gender = _CENTURY_GENDER.get(iin[6])
    if century_gender is None:
        raise ValidationError(_("The seventh digit of an IIN must be 1 to 6."), code="iin_century")
    century, gender = century_gender
    try:
        birth_date = datetime.date(century + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        raise ValidationError(_("The first six digits of an IIN must be a date (YYMMDD)."), code="iin_date") from None
    return birth_date, gender


def is_twelve_digits(value: str) -> bool:
    # str.isdigit() alone also accepts other scripts' digits ("７", "²"), which int() or
    # the database's [0-9] check then refuse.
    return len(value) == 12 and value.isascii() and value.isdigit()


def validate_iin(value: str) -> None:
    """An IIN has 12 digits, a valid date and century digit, and a correct check digit."""
    if not is_twelve_digits(value):
        raise ValidationError(_("An IIN has exactly 12 digits."), code="iin_format")
    iin_birth_date_and_gender(value)
    if iin_check_digit(value[:11]) != int(value[11]):
        raise ValidationError(_("The IIN's check digit is wrong: please check the number."), code="iin_checksum")


def build_iin(birth_date: datetime.date, gender: str, serial: int) -> str | None:
    """A valid IIN for a date of birth, gender and 4-digit serial number (demo data and
    tests), or None for the rare serials that admit no check digit."""
    century_digit = {(century, g): digit for digit, (century, g) in _CENTURY_GENDER.items()}[
        (birth_date.year // 100 * 100, gender)
    ]
    first_eleven = f"{birth_date:%y%m%d}{century_digit}{serial % 10000:04d}"
    check = iin_check_digit(first_eleven)
    return None if check is None else f"{first_eleven}{check}"


def validate_iin_consistency(iin: str | None, birth_date: datetime.date | None, gender: str) -> None:
    """Raise a ValidationError on ``birth_date`` and/or ``gender`` where they contradict the
    IIN. An IIN that is itself malformed is left to ``validate_iin`` (the field's validator)."""
    if not iin or not is_twelve_digits(iin):
        return
    try:
        iin_birth_date, iin_gender = iin_birth_date_and_gender(iin)
    except ValidationError:
        return
    errors = {}
    if birth_date and birth_date != iin_birth_date:
        errors["birth_date"] = _("The date of birth does not match the IIN (%(date)s).") % {
            "date": iin_birth_date.strftime("%d.%m.%Y")
        }
    if gender and gender != iin_gender:
        errors["gender"] = _("The gender does not match the IIN.")
    if errors:
        raise ValidationError(errors)
