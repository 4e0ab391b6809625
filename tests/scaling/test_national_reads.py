"""The reads that must stay quick when the register holds a million memberships: each is
checked for its answer here; the figures are in bench/RESULTS.md (``make bench``)."""

import datetime
import re

import pytest
from django import forms
from django.db import connection

from assembly.listing import KeysFirstPaginator
from assembly.widgets import QuickSelect
from members.models import Membership, Person, held_on
from members.selectors import member_directory, member_directory_count
from tests.factories import LegalActFactory, MembershipFactory, PersonFactory, national_body

pytestmark = pytest.mark.django_db

D = datetime.date


def _plan(queryset) -> str:
    sql, parameters = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A test database is too small for the planner to prefer an index: forbid the scan of
        # the table, so that the plan shows whether the index can answer the condition at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", parameters)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_memberships_held_on_a_day_are_found_through_an_index():
    MembershipFactory(start_date=D(2020, 1, 1))

    plan = _plan(Membership.objects.on(D(2024, 1, 1)).values("person"))

    # Which index is the planner's choice (membership_held_on, or the overlap constraint's, which
    # holds the same range): the condition must be one an index answers.
    assert "Index Cond: (daterange(start_date, end_date, '[]'::text) @> '2024-01-01'::date)" in plan
    assert "Seq Scan" not in plan


def test_held_on_keeps_both_ends_of_a_membership():
    ended = MembershipFactory(
        start_date=D(2020, 3, 1),
        end_date=D(2020, 3, 31),
        end_reason=Membership.EndReason.ROTATION,
        ended_by=LegalActFactory(),
    )
    current = MembershipFactory(start_date=D(2020, 3, 31))

    def held(day):
        return set(Membership.objects.on(day).values_list("pk", flat=True))

    assert held(D(2020, 2, 29)) == set()
    assert held(D(2020, 3, 1)) == {ended.pk}
    assert held(D(2020, 3, 31)) == {ended.pk, current.pk}
    assert held(D(2020, 4, 1)) == {current.pk}
    assert set(Membership.objects.exclude(held_on(D(2020, 4, 1))).values_list("pk", flat=True)) == {ended.pk}


def test_the_directory_count_is_the_number_of_persons_listed():
    assembly, council = national_body("assembly"), national_body("council")
    twice = PersonFactory(surname="Сейтов")
    MembershipFactory(person=twice, body=assembly, start_date=D(2020, 1, 1))
    MembershipFactory(person=twice, body=council, start_date=D(2021, 1, 1))
    MembershipFactory(person=PersonFactory(surname="Сейтова"), body=assembly, start_date=D(2020, 1, 1))
    MembershipFactory(person=PersonFactory(surname="Омаров"), body=assembly, start_date=D(2020, 1, 1))
    PersonFactory(surname="Сейтжанов")  # no membership: not listed, not counted

    for name in ("", "Сейт", "Омар", "Жоқ"):
        memberships = Membership.objects.on(D(2022, 1, 1))
        if name:
            memberships = memberships.filter(person__in=Person.objects.search(name).values("pk"))
        listed = list(member_directory(memberships=memberships, name=name))

        assert member_directory_count(memberships=memberships) == len(listed), name


def test_a_page_read_keys_first_has_the_rows_of_one_query_in_the_same_order():
    memberships = [MembershipFactory(start_date=D(2020, 1, day)) for day in (5, 3, 9, 1, 7)]
    queryset = Membership.objects.with_related().order_by("-start_date", "pk")

    pages = [list(KeysFirstPaginator(queryset, 2).page(number)) for number in (1, 2, 3)]

    assert [row.pk for page in pages for row in page] == [row.pk for row in queryset]
    assert [row.pk for row in pages[0]] == [memberships[2].pk, memberships[4].pk]
    # The related rows came with them: reading a person costs no query.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(connection, "cursor", lambda *args, **kwargs: pytest.fail("a query was run"))
        assert [row.person.surname for row in pages[0]]


def test_a_page_read_keys_first_leaves_out_a_row_deleted_in_between():
    first, second = MembershipFactory(start_date=D(2020, 1, 1)), MembershipFactory(start_date=D(2020, 1, 2))
    paginator = KeysFirstPaginator(Membership.objects.order_by("start_date", "pk"), 10)
    keys = [first.pk, second.pk]

    page_rows = paginator.object_list.filter(pk__in=keys)
    Membership.objects.filter(pk=first.pk).delete()

    page = paginator._get_page(page_rows, 1, paginator)

    assert [row.pk for row in page] == [second.pk]


@pytest.mark.parametrize("value", ["", "b", "<&>"])
def test_a_quick_select_draws_what_django_draws(value):
    choices = [
        ("", "All"),
        ("a", "Ақмола & <Көкшетау>"),
        ('Groups "quoted"', [("b", "Б"), ("<&>", 'символ "x"')]),
    ]
    attrs = {"id": "id_body", "aria-describedby": "id_body_error", "required": True, "disabled": False}

    quick = QuickSelect(choices=choices).render("body", value, attrs)
    django = forms.Select(choices=choices).render("body", value, attrs)

    assert quick == re.sub(r">\s+<", "><", django)
