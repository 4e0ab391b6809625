import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from regional.models import Region

pytestmark = pytest.mark.django_db

D = datetime.date


def region_fields(**fields) -> dict:
    return {
        "kato": "99",
        "slug": "test-region",
        "kind": Region.Kind.OBLAST,
        "name": "Сынақ облысы",
        "name_kk": "Сынақ облысы",
        **fields,
    }


def test_region_cannot_end_before_it_begins():
    fields = region_fields(valid_from=D(2022, 6, 8), valid_until=D(2022, 6, 7))
    with pytest.raises(ValidationError) as excinfo:
        Region(**fields).full_clean()
    constraint = next(c for c in Region._meta.constraints if c.name == "region_valid_until_after_from")
    assert excinfo.value.message_dict[NON_FIELD_ERRORS] == [constraint.get_violation_error_message()]
    with pytest.raises(IntegrityError, match="region_valid_until_after_from"), transaction.atomic():
        Region.objects.create(**fields)


@pytest.mark.parametrize(
    ("valid_from", "valid_until"),
    [(D(2022, 6, 8), D(2022, 6, 8)), (None, D(2022, 6, 7)), (D(2022, 6, 8), None), (None, None)],
)
def test_region_dates_in_order_or_open_are_valid(valid_from, valid_until):
    fields = region_fields(valid_from=valid_from, valid_until=valid_until)
    Region(**fields).full_clean()
    Region.objects.create(**fields)


def test_region_kato_code_is_unique():
    with pytest.raises(ValidationError) as excinfo:
        Region(**region_fields(kato="75")).full_clean()
    assert "kato" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(**region_fields(kato="75"))
