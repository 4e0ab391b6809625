import datetime

import pytest

from members.models import Membership
from members.selectors import body_composition
from tests.factories import MembershipFactory, national_body

pytestmark = pytest.mark.django_db


def test_appointed_member_is_in_the_composition_on_a_date():
    membership = MembershipFactory()
    assembly = national_body()
    assert list(body_composition(body=assembly, date=datetime.date(2021, 1, 1))) == [membership]
    assert list(body_composition(body=assembly, date=datetime.date(2019, 1, 1))) == []
    assert membership.post.role == "member"
    assert Membership.objects.current().filter(pk=membership.pk).exists()
