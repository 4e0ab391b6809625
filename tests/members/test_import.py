"""The whole-file import of persons and memberships (``members.resources`` with
``members.services.PersonsImport`` and ``MembershipsImport``): every rule of the services,
refused on its row with the services' message and nothing saved; duplicates within one
file; updates of recorded rows; history credited to the importing user; the locks; and a
query count that does not grow with the file.

The admin's own import pages (preview, confirmation, XLSX) are tested in ``test_admin.py``.
"""

import datetime
import io
import threading

import pytest
import tablib
from django.contrib.admin.models import LogEntry
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assembly import audit
from assembly.models import Body, LegalAct, Post
from members import services
from members.models import Membership, Person
from members.resources import MembershipResource, PersonResource
from tests.factories import (
    AssociationFactory,
    BodyFactory,
    EthnicGroupFactory,
    LegalActFactory,
    MembershipFactory,
    PersonFactory,
    PostFactory,
    national_body,
    next_iin,
    post_of,
    region,
    secretariat_user,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def import_file(resource_class, headers: list[str], rows: list[list], *, dry_run: bool = False):
    """Import the rows as the admin does (a file with any error is rolled back whole), in English."""
    with translation.override("en"):
        return resource_class().import_data(
            tablib.Dataset(*rows, headers=headers),
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
        )


def row_errors(result) -> dict[int, list[str]]:
    """The messages of each refused row, by row number."""
    return {row.number: [m for messages in row.error_dict.values() for m in messages] for row in result.invalid_rows}


def assert_clean(result) -> None:
    assert not result.has_errors(), [error.error for error in result.base_errors]
    assert not result.has_validation_errors(), row_errors(result)


# Persons ------------------------------------------------------------------------------------

PERSON_HEADERS = ["surname", "given_name", "patronymic", "gender", "iin", "birth_date"]
BORN = D(1971, 3, 2)


def person_row(surname: str = "Серіков", given_name: str = "Дәулет", *, iin: str | None = None, born=BORN) -> list:
    iin = next_iin(born, "male") if iin is None else iin
    return [surname, given_name, "Асқарұлы", "male", iin, born.isoformat()]


def test_new_persons_get_the_latin_spelling_and_slugs_unique_in_the_register_and_the_file():
    PersonFactory(surname="Серіков", given_name="Дәулет", patronymic="Асқарұлы")  # takes the slug's base
    result = import_file(PersonResource, PERSON_HEADERS, [person_row(), person_row(), person_row("Омаров", "Ерлан")])
    assert_clean(result)
    daulets = Person.objects.filter(surname="Серіков").order_by("pk")
    assert [person.slug for person in daulets] == [
        "serikov-daulet-asqaruly",
        "serikov-daulet-asqaruly-2",
        "serikov-daulet-asqaruly-3",
    ]
    assert (daulets[1].surname_latin, daulets[1].given_name_latin) == ("Serıkov", "Däulet")
    assert Person.objects.get(surname="Омаров").slug == "omarov-erlan-asqaruly"


def test_the_preview_shows_the_generated_slug_and_saves_nothing():
    result = import_file(PersonResource, PERSON_HEADERS, [person_row()], dry_run=True)
    assert_clean(result)
    (row,) = result.rows
    assert row.import_type == "new"
    assert "serikov-daulet-asqaruly" in " ".join(row.diff)
    assert not Person.objects.filter(surname="Серіков").exists()


def test_a_latin_spelling_or_a_slug_written_in_the_file_is_kept():
    headers = [*PERSON_HEADERS, "slug", "surname_latin"]
    result = import_file(PersonResource, headers, [[*person_row(), "daulet-s", "Serikov"]])
    assert_clean(result)
    person = Person.objects.get(slug="daulet-s")
    assert (person.surname_latin, person.given_name_latin) == ("Serikov", "Däulet")


def wrong_check_digit(iin: str) -> str:
    return iin[:11] + str((int(iin[11]) + 1) % 10)


@pytest.mark.parametrize(
    ("column", "value", "field", "message"),
    [
        ("iin", wrong_check_digit, "iin", "The IIN's check digit is wrong: please check the number."),
        ("iin", "12345", "iin", "An IIN has exactly 12 digits."),
        ("birth_date", "1980-01-01", "birth_date", "The date of birth does not match the IIN (02.03.1971)."),
        ("gender", "female", "gender", "The gender does not match the IIN."),
        ("gender", "other", "gender", "Value 'other' is not a valid choice."),
        ("surname", "", "surname", "This field cannot be blank."),
        ("birth_date", "1971-02-31", "birth_date", "Value could not be parsed using defined formats."),
    ],
)
def test_a_rule_broken_by_a_person_row_is_refused_on_its_row_and_nothing_is_saved(column, value, field, message):
    bad = dict(zip(PERSON_HEADERS, person_row("Омаров", "Ерлан"), strict=True))
    bad[column] = value(bad[column]) if callable(value) else value
    result = import_file(
        PersonResource, PERSON_HEADERS, [person_row(), list(bad.values()), person_row("Ахметов", "Бек")]
    )
    (invalid,) = result.invalid_rows
    assert invalid.number == 2
    assert message in invalid.error_dict[field]
    assert not Person.objects.exists()


def test_each_language_of_a_translated_field_is_validated():
    headers = [*PERSON_HEADERS, "position_ru"]
    result = import_file(PersonResource, headers, [[*person_row(), "Д" * 301]])
    assert row_errors(result) == {1: ["Ensure this value has at most 300 characters (it has 301)."]}


def test_an_iin_of_the_register_is_refused():
    recorded = PersonFactory(gender="male")
    headers = [*PERSON_HEADERS, "slug"]
    result = import_file(
        PersonResource, headers, [[*person_row(iin=recorded.iin, born=recorded.birth_date), "new-slug"]]
    )
    assert row_errors(result) == {1: ["Person with this IIN already exists."]}
    assert Person.objects.count() == 1


def test_the_same_iin_twice_in_a_file_is_refused_on_the_second_row():
    iin = next_iin(D(1971, 3, 2), "male")
    result = import_file(PersonResource, PERSON_HEADERS, [person_row(iin=iin), person_row("Омаров", "Ерлан", iin=iin)])
    assert row_errors(result) == {2: ["Person with this IIN already exists."]}
    assert not Person.objects.exists()


def test_the_same_slug_twice_in_a_file_is_refused_on_the_second_row():
    headers = [*PERSON_HEADERS, "slug"]
    result = import_file(PersonResource, headers, [[*person_row(), "same"], [*person_row("Омаров", "Ерлан"), "same"]])
    assert row_errors(result) == {2: ["Person with this Slug already exists."]}
    assert not Person.objects.exists()


def test_an_unknown_ethnic_group_is_refused_with_its_name():
    EthnicGroupFactory(slug="kazakh")
    headers = [*PERSON_HEADERS, "ethnic_group"]
    result = import_file(PersonResource, headers, [[*person_row(), "kazakh"], [*person_row("Омаров", "Ерлан"), "none"]])
    assert row_errors(result) == {2: ["No ethnic group with the slug “none”."]}


def test_rows_naming_recorded_persons_update_them_and_unchanged_ones_are_skipped():
    by_slug, by_iin, unchanged = PersonFactory(), PersonFactory(), PersonFactory()
    headers = ["slug", "surname", "given_name", "gender", "iin", "phone"]

    def row(person, phone=""):
        return [
            person.slug if person is not by_iin else "",
            person.surname,
            person.given_name,
            "female",
            person.iin,
            phone,
        ]

    result = import_file(PersonResource, headers, [row(by_slug, "+7 701"), row(by_iin, "+7 702"), row(unchanged)])
    assert_clean(result)
    assert (result.totals["update"], result.totals["skip"], result.totals["new"]) == (2, 1, 0)
    assert [person.phone for person in Person.objects.order_by("pk")] == ["+7 701", "+7 702", ""]
    assert Person.objects.count() == 3


def test_an_update_that_takes_the_iin_of_a_new_row_before_it_is_refused():
    recorded = PersonFactory(birth_date=D(1971, 3, 2), gender="male")
    iin = next_iin(D(1971, 3, 2), "male")
    headers = [*PERSON_HEADERS, "slug"]
    rows = [[*person_row(iin=iin), ""], [recorded.surname, recorded.given_name, "", "male", iin, "", recorded.slug]]
    result = import_file(PersonResource, headers, rows)
    assert row_errors(result) == {2: ["Person with this IIN already exists."]}


def test_an_iin_freed_by_an_update_earlier_in_the_file_may_be_given_to_a_new_person():
    recorded = PersonFactory(birth_date=D(1971, 3, 2), gender="male")
    freed, other = recorded.iin, next_iin(D(1971, 3, 2), "male")
    headers = [*PERSON_HEADERS, "slug"]
    rows = [[recorded.surname, recorded.given_name, "", "male", other, "", recorded.slug], [*person_row(iin=freed), ""]]
    result = import_file(PersonResource, headers, rows)
    assert_clean(result)
    assert Person.objects.get(iin=freed).surname == "Серіков"


def test_new_persons_have_a_history_row_credited_to_the_actor():
    user = secretariat_user()
    with audit.acting(user=user, reason="import of the spring list"):
        assert_clean(import_file(PersonResource, PERSON_HEADERS, [person_row(), person_row("Омаров", "Ерлан")]))
    history = Person.history.filter(surname__in=["Серіков", "Омаров"])
    assert {(row.history_type, row.history_user, row.history_change_reason) for row in history} == {
        ("+", user, "import of the spring list")
    }
    assert history.count() == 2


# Memberships --------------------------------------------------------------------------------

MEMBERSHIP_HEADERS = [
    "person",
    "body",
    "post",
    "basis",
    "on_behalf_of",
    "start_date",
    "end_date",
    "end_reason",
    "appointed_by_kind",
    "appointed_by_number",
    "appointed_by_date",
]


def membership_row(who: Person, body: str = "council", post: str = "member", **cells) -> list:
    row = {
        "person": who.iin,
        "body": body,
        "post": post,
        "basis": "public_figure",
        "on_behalf_of": "",
        "start_date": "2022-02-01",
        "end_date": "",
        "end_reason": "",
        "appointed_by_kind": "decree",
        "appointed_by_number": "12",
        "appointed_by_date": "2022-01-28",
    } | cells
    return [row[header] for header in MEMBERSHIP_HEADERS]


def import_memberships(*rows, dry_run: bool = False):
    return import_file(MembershipResource, MEMBERSHIP_HEADERS, list(rows), dry_run=dry_run)


def test_memberships_are_appointed_with_persons_named_by_iin_or_slug_and_one_new_act():
    first, second = PersonFactory(), PersonFactory()
    result = import_memberships(membership_row(first), membership_row(second, person=second.slug, post=""))
    assert_clean(result)
    council = Membership.objects.filter(body=national_body("council"))
    assert {membership.person for membership in council} == {first, second}
    assert {membership.post.role for membership in council} == {"member"}
    assert {membership.single_seat for membership in council} == {False}
    (act,) = LegalAct.objects.filter(number="12")
    assert {membership.appointed_by for membership in council} == {act}


def test_a_registered_act_is_cited_and_an_act_without_a_number_is_new_for_each_row():
    registered = LegalActFactory(kind="decree", number="12", date=D(2022, 1, 28))
    first, second, third = PersonFactory(), PersonFactory(), PersonFactory()
    acts = LegalAct.objects.count()
    result = import_memberships(
        membership_row(first),
        membership_row(second, appointed_by_number=""),
        membership_row(third, appointed_by_number=""),
    )
    assert_clean(result)
    assert Membership.objects.get(person=first).appointed_by == registered
    assert LegalAct.objects.count() == acts + 2
    assert Membership.objects.get(person=second).appointed_by != Membership.objects.get(person=third).appointed_by


def test_rows_created_in_several_batches_cite_one_new_act_and_see_the_rows_before(monkeypatch):
    monkeypatch.setattr(MembershipResource._meta, "batch_size", 2)
    persons = [PersonFactory() for _ in range(5)]
    rows = [membership_row(person) for person in persons]
    rows.append(membership_row(persons[0], start_date="2023-01-01"))
    assert row_errors(import_memberships(*rows)) == {6: [OVERLAP]}
    assert_clean(import_memberships(*rows[:5]))
    (act,) = LegalAct.objects.filter(number="12")
    assert set(Membership.objects.values_list("appointed_by", flat=True)) == {act.pk}
    assert Membership.objects.count() == 5


def test_the_preview_of_memberships_registers_no_act_and_saves_nothing():
    result = import_memberships(membership_row(PersonFactory()), dry_run=True)
    assert_clean(result)
    assert result.totals["new"] == 1
    assert not LegalAct.objects.filter(number="12").exists()
    assert not Membership.objects.exists()


def regional_assembly(kato: str = "75") -> Body:
    return Body.objects.get(region=region(kato), kind=Body.Kind.ASSEMBLY)


@pytest.mark.parametrize(
    ("cells", "field", "message"),
    [
        ({"person": "no-one"}, "person", "No person with the slug or IIN “no-one”."),
        ({"body": "no-body"}, "body", "No body with the slug “no-body”."),
        ({"post": "head"}, "post", "The body has no post with the role “head”."),
        ({"on_behalf_of": "no-association"}, "on_behalf_of", "No association with the slug “no-association”."),
        ({"appointed_by_kind": "letter"}, "appointed_by", "Give the kind of the act, one of:"),
        ({"appointed_by_date": "soon"}, "appointed_by", "Give the date of the act"),
        ({"start_date": "1990-01-01"}, "start_date", "The body did not exist on that date."),
        ({"basis": "ethnocultural"}, "on_behalf_of", "A member on the basis “ethnocultural association” represents"),
        ({"appointed_by_kind": "", "appointed_by_number": "", "appointed_by_date": ""}, "appointed_by", "Give the act"),
        (
            {"end_date": "2023-01-01", "end_reason": "moved_region"},
            "end_reason",
            "Moving to another region ends only a regional membership.",
        ),
        ({"end_date": "2021-01-01", "end_reason": "rotation"}, "__all__", "A membership cannot end before it starts."),
        ({"end_date": "2023-01-01"}, "__all__", "An ended membership needs a reason, and only an ended one has one."),
        ({"basis": "friendship"}, "basis", "is not a valid choice"),
    ],
)
def test_a_rule_broken_by_a_membership_row_is_refused_on_its_row_and_nothing_is_saved(cells, field, message):
    first, second, third = PersonFactory(), PersonFactory(), PersonFactory()
    result = import_memberships(membership_row(first), membership_row(second, **cells), membership_row(third))
    (invalid,) = result.invalid_rows
    assert invalid.number == 2
    assert message in " ".join(invalid.error_dict[field])
    assert not Membership.objects.exists()
    assert not LegalAct.objects.filter(number="12").exists()


def test_the_basis_matches_the_kind_of_association_and_ex_officio_needs_no_act():
    eca, public = AssociationFactory(), AssociationFactory(kind="public", ethnic_group=None)
    first, second, third = PersonFactory(), PersonFactory(), PersonFactory()
    rows = [
        membership_row(first, basis="ethnocultural", on_behalf_of=eca.slug),
        membership_row(second, basis="ethnocultural", on_behalf_of=public.slug),
        membership_row(third, basis="ex_officio", appointed_by_kind="", appointed_by_number="", appointed_by_date=""),
    ]
    assert row_errors(import_memberships(*rows)) == {
        2: ["A member on the basis “ethnocultural association” represents a ethnocultural association."]
    }
    assert_clean(import_memberships(rows[0], rows[2]))
    assert Membership.objects.get(person=third).appointed_by is None


def test_moving_to_another_region_ends_a_regional_membership():
    almaty = regional_assembly()
    row = membership_row(PersonFactory(), body=almaty.slug, end_date="2023-01-01", end_reason="moved_region")
    assert_clean(import_memberships(row))


def test_a_body_without_an_ordinary_members_post_needs_a_post():
    body = BodyFactory()
    PostFactory(body=body, role=Post.Role.CHAIRMAN, seats=1)
    result = import_memberships(membership_row(PersonFactory(), body=body.slug, post=""))
    assert row_errors(result) == {1: ["This body has no ordinary member's post: choose a post."]}


OVERLAP = "This person already has a membership of this body in that period."
SINGLE_SEAT = "This post has a single seat and someone else holds it in that period."


def test_a_membership_overlapping_one_of_the_register_is_refused():
    person = PersonFactory()
    MembershipFactory(person=person, body=national_body("council"), start_date=D(2021, 1, 1))
    result = import_memberships(membership_row(PersonFactory()), membership_row(person))
    assert row_errors(result) == {2: [OVERLAP]}


def test_two_overlapping_memberships_of_one_person_in_one_file_are_refused_on_the_second():
    person = PersonFactory()
    rows = [
        membership_row(person, end_date="2022-12-31", end_reason="rotation"),
        membership_row(person, start_date="2023-01-01"),  # the day after: no overlap
        membership_row(person, start_date="2022-06-01", post="chairman"),
    ]
    assert row_errors(import_memberships(*rows)) == {3: [OVERLAP]}
    assert not Membership.objects.exists()
    assert_clean(import_memberships(*rows[:2]))
    assert Membership.objects.filter(person=person).count() == 2


def test_a_taken_single_seat_is_refused_against_the_register_and_within_the_file():
    council = national_body("council")
    MembershipFactory(body=council, post=post_of(council, Post.Role.CHAIRMAN), start_date=D(2020, 1, 1))
    result = import_memberships(membership_row(PersonFactory(), post="chairman"))
    assert row_errors(result) == {1: [SINGLE_SEAT]}
    assembly_chairs = [membership_row(PersonFactory(), body="assembly", post="chairman") for _ in range(2)]
    assert row_errors(import_memberships(*assembly_chairs)) == {2: [SINGLE_SEAT]}


def test_more_appointees_than_seats_are_refused_from_the_first_without_a_seat():
    assembly = national_body("assembly")
    deputies = post_of(assembly, Post.Role.DEPUTY_CHAIRMAN)
    assert deputies.seats == 3
    MembershipFactory(body=assembly, post=deputies, start_date=D(2020, 1, 1))
    rows = [membership_row(PersonFactory(), body="assembly", post="deputy_chairman") for _ in range(3)]
    with translation.override("en"):
        label = str(deputies.label)
    assert row_errors(import_memberships(*rows)) == {3: [f"All 3 seats of “{label}” are taken on 01.02.2022."]}
    # A seat left the day before the third one begins is free for it.
    rows[0] = membership_row(
        PersonFactory(), body="assembly", post="deputy_chairman", start_date="2021-01-01", end_date="2022-01-31",
        end_reason="rotation",
    )  # fmt: skip
    assert_clean(import_memberships(*rows))


def test_a_row_with_an_id_corrects_the_recorded_membership_and_the_next_rows_see_the_correction():
    person = PersonFactory()
    recorded = MembershipFactory(person=person, body=national_body("council"), start_date=D(2020, 1, 15))
    headers = ["id", *MEMBERSHIP_HEADERS]
    rows = [
        [recorded.pk, *membership_row(person, start_date="2020-01-15", end_date="2021-12-31", end_reason="rotation")],
        ["", *membership_row(person)],
    ]
    result = import_file(MembershipResource, headers, rows)
    assert_clean(result)
    assert (result.totals["update"], result.totals["new"]) == (1, 1)
    recorded.refresh_from_db()
    assert (recorded.end_date, recorded.end_reason) == (D(2021, 12, 31), "rotation")
    assert Membership.objects.filter(person=person).count() == 2


def test_an_act_registered_by_someone_else_meanwhile_is_cited(monkeypatch):
    """Another import registers the same new act after this one has read the register; the
    unique index refuses the second copy, and the rows cite the registered act."""
    register_acts = services.MembershipsImport._register_acts

    def registered_meanwhile(self, memberships):
        LegalAct.objects.create(kind="decree", number="12", date=D(2022, 1, 28), issuer="the other import")
        register_acts(self, memberships)

    monkeypatch.setattr(services.MembershipsImport, "_register_acts", registered_meanwhile)
    assert_clean(import_memberships(membership_row(PersonFactory()), membership_row(PersonFactory())))
    (act,) = LegalAct.objects.filter(number="12")
    assert act.issuer == "the other import"
    assert set(Membership.objects.values_list("appointed_by", flat=True)) == {act.pk}


def test_the_import_locks_the_posts_of_its_bodies_until_it_ends(monkeypatch):
    """As _lock_post: another connection cannot take the lock of a post of the file's body."""
    member_post = post_of(national_body("council"))
    locked = []

    def try_to_lock():
        try:
            with transaction.atomic():
                list(Post.objects.select_for_update(nowait=True).filter(pk=member_post.pk).order_by("pk"))
            locked.append(False)
        except DatabaseError:
            locked.append(True)
        finally:
            connection.close()

    def after_import(self, dataset, result, **kwargs):
        thread = threading.Thread(target=try_to_lock)
        thread.start()
        thread.join(timeout=10)

    monkeypatch.setattr(MembershipResource, "after_import", after_import)
    assert_clean(import_memberships(membership_row(PersonFactory())))
    assert locked == [True]


def test_new_memberships_and_acts_have_a_history_row_credited_to_the_actor():
    user = secretariat_user()
    with audit.acting(user=user, reason="import of the council"):
        assert_clean(import_memberships(membership_row(PersonFactory()), membership_row(PersonFactory())))
    history = list(Membership.history.all()) + list(LegalAct.history.filter(number="12"))
    assert len(history) == 3
    assert {(row.history_type, row.history_user, row.history_change_reason) for row in history} == {
        ("+", user, "import of the council")
    }


# Through the admin ----------------------------------------------------------------------------


def test_an_import_confirmed_in_the_admin_is_credited_to_the_editor():
    editor = secretariat_user("Secretariat editor")
    client = Client()
    client.force_login(editor)
    upload = io.BytesIO(tablib.Dataset(person_row(), headers=PERSON_HEADERS).export("csv").encode())
    upload.name = "persons.csv"
    with translation.override("en"):
        import_url, confirm_url = reverse("admin:members_person_import"), reverse("admin:members_person_process_import")
    preview = client.post(import_url, {"import_file": upload, "format": "0", "resource": "0"})
    assert client.post(confirm_url, preview.context["confirm_form"].initial).status_code == 302
    person = Person.objects.get(surname="Серіков")
    assert [(row.history_type, row.history_user) for row in person.history.all()] == [("+", editor)]
    # The admin's own log names the created row.
    assert LogEntry.objects.get(user=editor).object_id == str(person.pk)


# Query counts ---------------------------------------------------------------------------------


def queries_of(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


@pytest.mark.parametrize("dry_run", [True, False], ids=["preview", "import"])
def test_importing_50_persons_costs_the_queries_of_5(dry_run):
    def persons(count: int, first: int) -> list[list]:
        return [person_row(f"Серіков{first + index}", born=D(1960, 1, 1) + datetime.timedelta(days=first + index))
                for index in range(count)]  # fmt: skip

    counts = []
    for count, first in ((5, 0), (50, 100)):
        rows = persons(count, first)
        counts.append(
            queries_of(
                lambda rows=rows: assert_clean(import_file(PersonResource, PERSON_HEADERS, rows, dry_run=dry_run))
            )
        )
    assert counts[0] == counts[1], counts
    assert counts[0] == (11 if dry_run else 16)


@pytest.mark.parametrize("dry_run", [True, False], ids=["preview", "import"])
def test_importing_50_memberships_costs_the_queries_of_5(dry_run):
    counts = []
    for count in (5, 50):
        rows = [
            membership_row(PersonFactory(), appointed_by_number=f"{count}-{index % 3}", appointed_by_date="2022-01-28")
            for index in range(count)
        ]
        counts.append(queries_of(lambda rows=rows: assert_clean(import_memberships(*rows, dry_run=dry_run))))
    assert counts[0] == counts[1], counts
    assert counts[0] == (14 if dry_run else 23)
