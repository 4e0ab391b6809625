import contextlib
import copy
import datetime
import importlib
import io
import random

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import translation

from assembly.models import Body, Post
from members import services
from members.demo import DEFAULT_SEED, DEMO_DATE, DemoPlan, kazakh_surname, plan_demo, russian_patronymic
from members.management.commands.demo_data import Command as DemoDataCommand
from members.models import Association, EthnicGroup, Membership, Person
from members.reference_data import ETHNIC_GROUPS
from members.validators import iin_birth_date_and_gender, validate_iin
from tests.factories import PersonFactory

NEW_REGIONS = {"abai-region": datetime.date(2022, 6, 8), "zhetysu-region": datetime.date(2022, 6, 8),
               "ulytau-region": datetime.date(2022, 6, 8), "shymkent": datetime.date(2018, 6, 19)}  # fmt: skip


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo set at scale 1, loaded once for this module and rolled back after it.

    Yields the command's output and its progress bar (stderr)."""
    with django_db_blocker.unblock(), transaction.atomic():
        out, progress = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(progress), translation.override("en"):
            call_command("demo_data", stdout=out)
        yield out.getvalue(), progress.getvalue()
        transaction.set_rollback(True)


def current_counts() -> dict[str, int]:
    rows = Membership.objects.current().values("body__slug").annotate(n=Count("id"))
    return {row["body__slug"]: row["n"] for row in rows}


# -- the reference list (migration 0004) ---------------------------------------


@pytest.mark.django_db
def test_migration_loads_more_than_110_ethnic_groups_in_three_languages():
    assert EthnicGroup.objects.count() >= 110
    koreans = EthnicGroup.objects.get(slug="koreans")
    assert (koreans.name_kk, koreans.name_ru, koreans.name_en) == ("Кәрістер", "Корейцы", "Koreans")
    assert not EthnicGroup.objects.filter(Q(name_kk="") | Q(name_ru="") | Q(name_en="")).exists()
    with connection.cursor() as cursor:  # the original column, which modeltranslation hides
        cursor.execute("SELECT count(*) FROM members_ethnicgroup WHERE name IS DISTINCT FROM name_kk")
        assert cursor.fetchone() == (0,)
    assert set(EthnicGroup.objects.values_list("name_kk", flat=True)) >= {"Қазақтар", "Орыстар", "Ұйғырлар"}


@pytest.mark.django_db
def test_migration_reverse_deletes_the_groups_and_forward_restores_them():
    migration = importlib.import_module("members.migrations.0004_load_ethnic_groups")
    migration.unload(apps, None)
    assert EthnicGroup.objects.count() == 0
    migration.load(apps, None)
    assert EthnicGroup.objects.count() == len(ETHNIC_GROUPS)


# -- the command's options ------------------------------------------------------


@pytest.mark.parametrize("scale", [0, -3])
def test_scale_below_one_is_refused_with_a_clear_message(scale):
    with translation.override("en"), pytest.raises(CommandError, match=r"--scale must be a whole number of at least 1"):
        call_command("demo_data", scale=scale)


def test_help_lists_the_options():
    help_text = DemoDataCommand().create_parser("manage.py", "demo_data").format_help()
    assert "--if-empty" in help_text and "--scale" in help_text and "--seed" in help_text


def test_scale_that_is_not_a_number_is_refused():
    with translation.override("en"), pytest.raises(CommandError, match="--scale takes a whole number or 'national'"):
        call_command("demo_data", "--scale=many")


def test_scale_national_is_accepted_by_the_parser():
    parser = DemoDataCommand().create_parser("manage.py", "demo_data")
    assert parser.parse_args(["--scale", "national"]).scale == "national"
    assert parser.parse_args(["--scale", "3"]).scale == 3


@pytest.mark.django_db
def test_if_empty_does_nothing_when_persons_exist():
    PersonFactory()
    before = (Person.objects.count(), Membership.objects.count(), Association.objects.count())
    out = io.StringIO()
    with translation.override("en"):
        call_command("demo_data", "--if-empty", stdout=out)
    assert "no demo data loaded" in out.getvalue()
    assert (Person.objects.count(), Membership.objects.count(), Association.objects.count()) == before


@pytest.mark.django_db
def test_without_if_empty_a_non_empty_register_is_an_error():
    PersonFactory()
    before = Membership.objects.count()
    with translation.override("en"), pytest.raises(CommandError, match="only into an empty register"):
        call_command("demo_data")
    assert Membership.objects.count() == before


# -- the demo set at scale 1 ------------------------------------------------------


@pytest.mark.django_db
def test_the_command_reports_what_it_created_with_a_progress_bar(demo):
    out, progress = demo
    assert f"Demo data loaded (seed {DEFAULT_SEED}, scale 1)" in out
    assert f"{Person.objects.count()} persons" in out
    assert "rows per second" in out
    assert "demo data" in progress and "100%" in progress


@pytest.mark.django_db
def test_compositions_have_the_expected_sizes(demo):
    counts = current_counts()
    assert 570 <= counts["assembly"] <= 630
    assert 75 <= counts["council"] <= 95
    assert 5 <= counts["secretariat"] <= 9
    regional = Body.objects.filter(region__isnull=False, kind=Body.Kind.ASSEMBLY)
    assert regional.count() == 20
    for body in regional:
        assert 40 <= counts[body.slug] <= 80, body.slug
        assert counts[body.slug.replace("assembly", "council")] >= 5
        assert counts[body.slug.replace("assembly", "secretariat")] >= 3


@pytest.mark.django_db
def test_every_regional_assembly_is_chaired_by_its_akim(demo):
    chairs = Membership.objects.current().filter(body__kind=Body.Kind.ASSEMBLY, body__region__isnull=False)
    chairs = chairs.filter(post__role=Post.Role.CHAIRMAN)
    assert chairs.count() == 20
    assert set(chairs.values_list("basis", flat=True)) == {Membership.Basis.EX_OFFICIO}
    assert not chairs.exclude(on_behalf_of__region=F("body__region")).exists()


@pytest.mark.django_db
def test_regional_members_mostly_represent_associations_of_their_region(demo):
    members = Membership.objects.current().filter(body__region__isnull=False, post__role=Post.Role.MEMBER)
    members = members.filter(body__kind=Body.Kind.ASSEMBLY)
    own_region = members.filter(basis=Membership.Basis.ETHNOCULTURAL, on_behalf_of__region=F("body__region"))
    assert own_region.count() / members.count() > 0.6


@pytest.mark.django_db
def test_more_than_100_ethnic_groups_have_associations(demo):
    with_republican = EthnicGroup.objects.filter(associations__level=Association.Level.REPUBLICAN).distinct()
    assert with_republican.count() == EthnicGroup.objects.count() >= 110
    assert Association.objects.get(slug="koreans-republican").name_en in {
        "Association of Koreans of Kazakhstan",
        "Republican Ethnocultural Centre of Koreans",
    }
    assert Association.objects.filter(kind=Association.Kind.STATE_BODY, level=Association.Level.REGIONAL).count() == 20
    assert Association.objects.filter(kind=Association.Kind.PUBLIC).count() >= 5


@pytest.mark.django_db
def test_tokayev_is_the_only_current_chairman_after_nazarbayev(demo):
    chairmen = Membership.objects.filter(body__slug="assembly", post__role=Post.Role.CHAIRMAN).order_by("start_date")
    assert [(m.person.surname, m.start_date, m.end_date) for m in chairmen] == [
        ("Назарбаев", datetime.date(1995, 3, 1), datetime.date(2021, 4, 27)),
        ("Тоқаев", datetime.date(2021, 4, 28), None),
    ]
    assert list(Membership.objects.current().filter(post__in=[chairmen[0].post])) == [chairmen[1]]
    nazarbayev = chairmen[0].person
    assert nazarbayev.memberships.count() == 1
    assert chairmen[0].end_reason == Membership.EndReason.OWN_INITIATIVE
    assert chairmen[0].ended_by == chairmen[1].appointed_by


@pytest.mark.django_db
def test_three_deputy_chairmen_one_of_them_the_head_of_the_secretariat(demo):
    deputies = Membership.objects.current().filter(body__slug="assembly", post__role=Post.Role.DEPUTY_CHAIRMAN)
    assert 2 <= deputies.count() <= 3
    head = Membership.objects.current().get(body__slug="secretariat", post__role=Post.Role.HEAD)
    assert deputies.filter(person=head.person, basis=Membership.Basis.EX_OFFICIO).exists()
    assert Membership.objects.current().get(body__slug="council", post__role=Post.Role.CHAIRMAN).person == head.person


@pytest.mark.django_db
def test_thirty_years_of_history_with_acts_and_reasons(demo):
    memberships = Membership.objects.all()
    assert memberships.order_by("start_date").first().start_date.year == 1995
    assert not memberships.filter(Q(start_date__gt=DEMO_DATE) | Q(end_date__gt=DEMO_DATE)).exists()
    assert not memberships.filter(appointed_by__isnull=True).exists()
    ended = memberships.filter(end_date__isnull=False)
    assert ended.count() > memberships.count() / 2
    assert not ended.filter(ended_by__isnull=True).exists()
    reasons = set(ended.values_list("end_reason", flat=True))
    assert reasons >= {
        "rotation", "recall", "own_initiative", "death", "moved_region", "composition_renewed", "change_of_position",
        "health", "emigration",
    }  # fmt: skip
    assert not ended.filter(end_reason="moved_region", body__region__isnull=True).exists()
    council_renewals = ended.filter(body__slug="council", end_reason="composition_renewed")
    assert council_renewals.values("end_date").distinct().count() >= 7


@pytest.mark.django_db
def test_no_membership_starts_before_its_body_was_founded(demo):
    assert not Membership.objects.filter(start_date__lt=F("body__founded")).exists()
    for slug, founded in NEW_REGIONS.items():
        starts = Membership.objects.filter(body__region__slug=slug).order_by("start_date")
        assert starts.first().start_date >= founded


@pytest.mark.django_db
def test_basis_and_organisation_agree_and_seats_are_respected(demo):
    memberships = Membership.objects.all()
    for basis, kind in (
        (Membership.Basis.ETHNOCULTURAL, Association.Kind.ETHNOCULTURAL),
        (Membership.Basis.PUBLIC_ASSOCIATION, Association.Kind.PUBLIC),
        (Membership.Basis.STATE_BODY, Association.Kind.STATE_BODY),
    ):
        assert memberships.filter(basis=basis).exists()
        assert not memberships.filter(basis=basis).exclude(on_behalf_of__kind=kind).exists()
    assert memberships.filter(basis=Membership.Basis.PUBLIC_FIGURE).exists()
    assert memberships.filter(basis=Membership.Basis.EX_OFFICIO).exists()
    for post in Post.objects.filter(seats__gt=1):
        holders = Membership.objects.filter(post=post)
        for day in set(holders.values_list("start_date", flat=True)):
            assert holders.on(day).count() <= post.seats, (post, day)


@pytest.mark.django_db
def test_a_sample_passes_every_rule_of_the_services(demo):
    pks = sorted(Membership.objects.values_list("pk", flat=True))
    sample = Membership.objects.filter(pk__in=random.Random(7).sample(pks, 80)).select_related(
        "body", "post", "on_behalf_of", "person"
    )
    with transaction.atomic():
        for membership in sample:
            membership.full_clean()
            services._check_membership(membership)
            services._check_seats(membership)
    for person in Person.objects.order_by("pk")[:100]:
        person.full_clean()


@pytest.mark.django_db
def test_persons_have_realistic_names_and_private_data(demo):
    persons = Person.objects.all()
    total = persons.count()
    assert persons.filter(patronymic__regex=r"(ұлы|қызы)$").count() > total / 4
    assert persons.filter(patronymic_ru__regex=r"(ович|евич|овна|евна)$").exists()
    assert persons.exclude(surname_ru="").count() > total / 4  # Қасымов -> Касымов
    assert persons.filter(surname__regex=r"[әғқңөұүһі]").exclude(surname_ru="").exists()
    assert persons.exclude(ethnic_group__slug="kazakhs").count() > total / 5
    with_iin = persons.exclude(iin=None)
    assert with_iin.count() > total * 0.8
    for person in with_iin.order_by("pk")[:200]:
        validate_iin(person.iin)
        assert iin_birth_date_and_gender(person.iin) == (person.birth_date, person.gender)
    assert 0 < persons.filter(ethnicity_public=True).count() < total / 3
    assert persons.exclude(phone="").count() > total / 2
    assert not persons.filter(Q(slug="") | Q(surname_latin="") | Q(given_name_latin="")).exists()
    assert Person.objects.search("Тоқаев").count() == Person.objects.search("Tokayev").count() >= 1


@pytest.mark.django_db
def test_every_record_has_a_created_history_row(demo):
    assert Membership.history.filter(history_type="+").count() == Membership.objects.count()
    assert Person.history.filter(history_type="+").count() == Person.objects.count()


@pytest.fixture(scope="module")
def plan(demo, django_db_blocker):
    """The plan of the demo set, built again with the same seed."""
    with django_db_blocker.unblock():
        return plan_demo(seed=DEFAULT_SEED)


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_persons(plan):
    planned = plan.persons
    loaded = Person.objects.order_by("pk")
    assert [(p.surname, p.given_name, p.patronymic, p.birth_date) for p in planned] == [
        (p.surname, p.given_name, p.patronymic, p.birth_date) for p in loaded
    ]


def _break_act(plan):
    membership = copy.copy(plan.memberships[-1])
    membership.appointed_by = None
    return [*plan.memberships[:-1], membership]


def _break_overlap(plan):
    current = next(m for m in plan.memberships if m.end_date is None and m.post.role == Post.Role.MEMBER)
    return [*plan.memberships, copy.copy(current)]


def _break_single_seat(plan):
    chairman = next(m for m in plan.memberships if m.person.surname == "Тоқаев")
    rival = copy.copy(chairman)
    rival.person = plan.persons[-1]
    return [*plan.memberships, rival]


def _break_basis(plan):
    figure = copy.copy(next(m for m in plan.memberships if m.basis == Membership.Basis.PUBLIC_FIGURE))
    figure.basis = Membership.Basis.ETHNOCULTURAL
    return [*plan.memberships, figure]


def _break_founding(plan):
    abai = copy.copy(next(m for m in plan.memberships if m.body.slug == "abai-region-assembly"))
    abai.start_date = datetime.date(2000, 1, 1)
    return [*plan.memberships, abai]


def _break_moved_region(plan):
    national = copy.copy(next(m for m in plan.memberships if m.body.slug == "assembly" and m.end_date))
    national.end_reason = Membership.EndReason.MOVED_REGION
    return [*plan.memberships, national]


@pytest.mark.parametrize(
    ("break_rule", "message"),
    [
        (_break_act, "no appointing act"),
        (_break_overlap, "two memberships of one body at once"),
        (_break_single_seat, "more holders than seats"),
        (_break_basis, "basis and organisation do not match"),
        (_break_founding, "body not active"),
        (_break_moved_region, "moved region from a national body"),
    ],
)
@pytest.mark.django_db
def test_the_plan_check_refuses_a_broken_rule(plan, break_rule, message):
    broken = DemoPlan(
        associations=plan.associations, acts=plan.acts, persons=plan.persons, memberships=break_rule(plan)
    )
    with pytest.raises(ValueError, match=message):
        broken.check()


# -- name helpers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "female", "surname"),
    [
        ("Қасым", False, "Қасымов"),
        ("Серікбай", False, "Серікбаев"),
        ("Жұма", True, "Жұмаева"),
        ("Әбіш", False, "Әбішев"),
    ],
)
def test_kazakh_surname(base, female, surname):
    assert kazakh_surname(base, female) == surname


@pytest.mark.parametrize(
    ("father", "female", "patronymic"),
    [("Серик", False, "Серикович"), ("Абиш", False, "Абишевич"), ("Сергей", True, "Сергеевна"),
     ("Юрий", False, "Юрьевич"), ("Георгий", False, "Георгиевич"), ("Илья", True, "Ильинична")],
)  # fmt: skip
def test_russian_patronymic(father, female, patronymic):
    assert russian_patronymic(father, female) == patronymic
