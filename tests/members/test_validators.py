import datetime

import pytest
from django.core.exceptions import ValidationError

from members.models import Person
from members.validators import build_iin, iin_birth_date_and_gender, iin_check_digit, validate_iin

# 17 May 1975, a woman (seventh digit 4), serial 0001. Check digit by hand with the first
# weights 1..11: 7·1+5·2+0·3+5·4+1·5+7·6+4·7+0·8+0·9+0·10+1·11 = 123 ≡ 2 (mod 11).
VALID_IIN = "750517400012"
# Serial 0030: the first weights give 142 ≡ 10, so the second weights 3..11,1,2 decide:
# 7·3+5·4+0·5+5·6+1·7+7·8+4·9+0·10+0·11+3·1+0·2 = 173 ≡ 8 (mod 11).
SECOND_WEIGHTS_IIN = "750517400308"
# Serial 0031: both weightings give 10, so no check digit exists and no such IIN is issued.
NO_CHECK_DIGIT_FIRST_ELEVEN = "75051740031"


def error_code(value: str) -> str:
    with pytest.raises(ValidationError) as excinfo:
        validate_iin(value)
    return excinfo.value.code


def test_a_valid_iin_passes():
    validate_iin(VALID_IIN)


def test_check_digit_with_the_first_weights():
    assert iin_check_digit(VALID_IIN[:11]) == 2


def test_check_digit_falls_back_to_the_second_weights():
    assert iin_check_digit(SECOND_WEIGHTS_IIN[:11]) == 8
    validate_iin(SECOND_WEIGHTS_IIN)
    # The first weighting's remainder (10) is not a digit, so no other ending is accepted.
    assert error_code(SECOND_WEIGHTS_IIN[:11] + "0") == "iin_checksum"


def test_no_valid_check_digit_means_no_valid_iin():
    assert iin_check_digit(NO_CHECK_DIGIT_FIRST_ELEVEN) is None
    for last in "0123456789":
        assert error_code(NO_CHECK_DIGIT_FIRST_ELEVEN + last) == "iin_checksum"


def test_a_wrong_check_digit_is_refused():
    assert error_code(VALID_IIN[:11] + "3") == "iin_checksum"


@pytest.mark.parametrize(
    "value",
    ["", "75051740001", "7505174000123", "75051740001a", "7505 1740001", "７５０５１７４０００１２", "75051740001²"],
)
def test_an_iin_has_exactly_twelve_ascii_digits(value):
    assert error_code(value) == "iin_format"


@pytest.mark.parametrize(
    "first_six",
    ["751317", "750532", "750229", "750000", "750100"],
    ids=["month 13", "day 32", "29 February of a common year", "month 0", "day 0"],
)
def test_the_first_six_digits_are_a_date(first_six):
    first_eleven = f"{first_six}40001"
    check = iin_check_digit(first_eleven)
    assert error_code(f"{first_eleven}{check if check is not None else 0}") == "iin_date"


@pytest.mark.parametrize("century_digit", "0789")
def test_the_seventh_digit_is_a_century_and_gender(century_digit):
    first_eleven = f"750517{century_digit}0001"
    check = iin_check_digit(first_eleven)
    assert error_code(f"{first_eleven}{check if check is not None else 0}") == "iin_century"


@pytest.mark.parametrize(
    ("digit", "birth_date", "gender"),
    [
        ("1", datetime.date(1875, 5, 17), "male"),
        ("2", datetime.date(1875, 5, 17), "female"),
        ("3", datetime.date(1975, 5, 17), "male"),
        ("4", datetime.date(1975, 5, 17), "female"),
        ("5", datetime.date(2075, 5, 17), "male"),
        ("6", datetime.date(2075, 5, 17), "female"),
    ],
)
def test_the_seventh_digit_decodes_century_and_gender(digit, birth_date, gender):
    assert iin_birth_date_and_gender(f"750517{digit}00012") == (birth_date, gender)


def test_29_february_counts_only_in_a_leap_year_of_the_right_century():
    assert iin_birth_date_and_gender("000229500000") == (datetime.date(2000, 2, 29), "male")
    with pytest.raises(ValidationError):
        iin_birth_date_and_gender("000229100000")  # 1900 was not a leap year


@pytest.mark.parametrize(
    ("birth_date", "gender"),
    [
        (datetime.date(1899, 12, 31), "male"),
        (datetime.date(1900, 1, 1), "female"),
        (datetime.date(1975, 5, 17), "female"),
        (datetime.date(1999, 12, 31), "male"),
        (datetime.date(2000, 1, 1), "male"),
        (datetime.date(2004, 2, 29), "female"),
    ],
)
def test_build_iin_round_trips(birth_date, gender):
    built = [build_iin(birth_date, gender, serial) for serial in range(40)]
    valid = [iin for iin in built if iin is not None]
    assert len(valid) > 30
    for iin in valid:
        validate_iin(iin)
        assert iin_birth_date_and_gender(iin) == (birth_date, gender)
    assert len(set(valid)) == len(valid)


def test_build_iin_gives_none_when_no_check_digit_exists():
    assert build_iin(datetime.date(1975, 5, 17), "female", 31) is None
    assert build_iin(datetime.date(1975, 5, 17), "female", 30) == SECOND_WEIGHTS_IIN


def person(**fields) -> Person:
    values = {
        "surname": "Сейтқалиева",
        "given_name": "Айгүл",
        "slug": "seitqalieva-aigul",
        "gender": Person.Gender.FEMALE,
        "birth_date": datetime.date(1975, 5, 17),
        "iin": VALID_IIN,
    }
    return Person(**{**values, **fields})


@pytest.mark.django_db
def test_person_with_a_consistent_iin_is_valid():
    person().full_clean()


@pytest.mark.django_db
def test_person_without_birth_date_or_iin_is_valid():
    person(birth_date=None).full_clean()
    person(iin=None).full_clean()


@pytest.mark.django_db
def test_person_birth_date_must_match_the_iin():
    with pytest.raises(ValidationError) as excinfo:
        person(birth_date=datetime.date(1975, 5, 18)).full_clean()
    assert set(excinfo.value.message_dict) == {"birth_date"}
    assert "17.05.1975" in excinfo.value.message_dict["birth_date"][0]


@pytest.mark.django_db
def test_person_gender_must_match_the_iin():
    with pytest.raises(ValidationError) as excinfo:
        person(gender=Person.Gender.MALE).full_clean()
    assert set(excinfo.value.message_dict) == {"gender"}


@pytest.mark.django_db
def test_person_birth_date_and_gender_both_reported():
    with pytest.raises(ValidationError) as excinfo:
        person(gender=Person.Gender.MALE, birth_date=datetime.date(1976, 5, 17)).full_clean()
    assert set(excinfo.value.message_dict) == {"birth_date", "gender"}


@pytest.mark.django_db
@pytest.mark.parametrize("iin", ["75051740001", "750517400013", "751317400012", "750517900012"])
def test_person_with_an_invalid_iin_is_refused_on_the_iin_field(iin):
    with pytest.raises(ValidationError) as excinfo:
        person(iin=iin).full_clean()
    assert set(excinfo.value.message_dict) == {"iin"}


@pytest.mark.django_db
def test_person_blank_iin_becomes_null():
    blank = person(iin="")
    blank.full_clean()
    assert blank.iin is None
