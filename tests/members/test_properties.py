"""Property tests (hypothesis) for the rules that take free text from people: the IIN,
transliteration and the name search. Each draws many inputs, including the odd ones
(other scripts' digits, combining marks, empty words) that hand-picked examples miss."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from members.models import Person
from members.services import person_save
from members.transliteration import KAZAKH_ALPHABET, search_key, to_latin
from members.validators import build_iin, iin_birth_date_and_gender, validate_iin

# A database example costs a few milliseconds; the pure ones are free.
DB_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

birth_dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 12, 31))
genders = st.sampled_from([Person.Gender.MALE, Person.Gender.FEMALE])
kazakh_words = st.text(alphabet=KAZAKH_ALPHABET, min_size=2, max_size=12).map(str.capitalize)


class _Rollback(Exception):
    """Leaves a database example's transaction, so that examples do not see each other."""


@given(st.text(max_size=20))
def test_validate_iin_refuses_any_text_with_a_validation_error_only(text):
    try:
        validate_iin(text)
    except ValidationError:
        return
    # Accepted: then it really is twelve ASCII digits carrying a date.
    assert len(text) == 12 and text.isascii() and text.isdigit()
    iin_birth_date_and_gender(text)


@given(birth_dates, genders, st.integers(min_value=0, max_value=9999))
def test_a_built_iin_is_valid_and_carries_its_birth_date_and_gender(birth_date, gender, serial):
    iin = build_iin(birth_date, gender, serial)
    if iin is None:
        return
    validate_iin(iin)
    assert iin_birth_date_and_gender(iin) == (birth_date, gender)


@given(birth_dates, genders, st.integers(min_value=0, max_value=9999), st.integers(min_value=1, max_value=9))
def test_a_wrong_check_digit_is_refused(birth_date, gender, serial, shift):
    iin = build_iin(birth_date, gender, serial)
    if iin is None:
        return
    wrong = iin[:11] + str((int(iin[11]) + shift) % 10)
    with pytest.raises(ValidationError):
        validate_iin(wrong)


@given(st.text(alphabet=st.characters(categories=["Nd"]), min_size=12, max_size=12))
def test_digits_of_other_scripts_are_refused(digits):
    if digits.isascii():
        return
    with pytest.raises(ValidationError):
        validate_iin(digits)


@given(st.text(max_size=40))
def test_to_latin_and_search_key_take_any_text(text):
    latin = to_latin(text)
    assert isinstance(latin, str)
    assert isinstance(search_key(text), str)
    # Nothing of the Kazakh alphabet is left after transliteration.
    assert not set(latin.lower()) & set(KAZAKH_ALPHABET)


@pytest.mark.django_db
@DB_SETTINGS
@given(surname=kazakh_words, given_name=kazakh_words, pick=st.sampled_from(["kk", "latin", "upper", "lower"]))
def test_a_person_is_found_by_any_spelling_of_their_name(surname, given_name, pick):
    with pytest.raises(_Rollback), transaction.atomic():
        person = person_save(person=Person(surname=surname, given_name=given_name, gender=Person.Gender.MALE))
        query = {
            "kk": f"{surname} {given_name}",
            "latin": f"{to_latin(surname)} {to_latin(given_name)}",
            "upper": surname.upper(),
            "lower": to_latin(given_name).lower(),
        }[pick]
        assert person in Person.objects.search(query)
        raise _Rollback


@pytest.mark.django_db
@DB_SETTINGS
@given(query=st.text(max_size=60))
def test_the_member_directory_answers_any_search_text(client, query):
    response = client.get(reverse("members:directory"), {"q": query})
    assert response.status_code == 200
