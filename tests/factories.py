"""Factories for the tests: one place, writes through the services where rules apply."""

import datetime
import itertools

import factory

from assembly.models import Body, LegalAct, Post
from members import services
from members.models import Association, EthnicGroup, Membership, Person
from members.validators import build_iin
from regional.models import Region

_serials = itertools.count(1)


def next_iin(birth_date: datetime.date, gender: str) -> str:
    while True:
        iin = build_iin(birth_date, gender, next(_serials))
        if iin:
            return iin


def region(kato: str = "75") -> Region:
    """A region loaded by the data migration (Almaty city by default)."""
    return Region.objects.get(kato=kato)


def national_body(slug: str = "assembly") -> Body:
    """A body loaded by the data migration: assembly, council, secretariat, <region>-assembly ..."""
    return Body.objects.get(slug=slug)


def post_of(body: Body, role: str = Post.Role.MEMBER) -> Post:
    return Post.objects.get(body=body, role=role)


class LegalActFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalAct

    kind = LegalAct.Kind.DECREE
    number = factory.Sequence(lambda n: str(1000 + n))
    date = datetime.date(2020, 1, 15)
    issuer = "Президент"


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    name_kk = factory.Sequence(lambda n: f"Аудан ассамблеясы {n}")
    name_ru = factory.Sequence(lambda n: f"Ассамблея района {n}")
    name_en = factory.Sequence(lambda n: f"District assembly {n}")
    slug = factory.Sequence(lambda n: f"district-assembly-{n}")
    kind = Body.Kind.ASSEMBLY
    founded = datetime.date(2000, 1, 1)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    body = factory.SubFactory(BodyFactory)
    role = Post.Role.MEMBER
    label_kk = "Мүше"
    label_ru = "Член"
    label_en = "Member"
    seats = None


class EthnicGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EthnicGroup

    name_kk = factory.Sequence(lambda n: f"Этнос {n}")
    name_ru = factory.Sequence(lambda n: f"Этнос {n}")
    name_en = factory.Sequence(lambda n: f"Ethnic group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association

    name_kk = factory.Sequence(lambda n: f"Этномәдени бірлестік {n}")
    name_ru = factory.Sequence(lambda n: f"Этнокультурное объединение {n}")
    name_en = factory.Sequence(lambda n: f"Ethnocultural association {n}")
    slug = factory.Sequence(lambda n: f"association-{n}")
    kind = Association.Kind.ETHNOCULTURAL
    level = Association.Level.REPUBLICAN
    ethnic_group = factory.SubFactory(EthnicGroupFactory)


class PersonFactory(factory.django.DjangoModelFactory):
    """Persons are saved through ``members.services.person_save``."""

    class Meta:
        model = Person

    surname = factory.Sequence(lambda n: f"Сейтқали{'ев' * (1 + n % 2)}{n}")
    given_name = "Айгүл"
    patronymic = "Серікқызы"
    gender = Person.Gender.FEMALE
    birth_date = datetime.date(1975, 5, 17)
    iin = factory.LazyAttribute(lambda person: next_iin(person.birth_date, person.gender))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.person_save(person=model_class(*args, **kwargs))


class MembershipFactory(factory.django.DjangoModelFactory):
    """Memberships are created through ``members.services.membership_appoint``."""

    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    body = factory.LazyFunction(national_body)
    post = None
    basis = Membership.Basis.PUBLIC_FIGURE
    start_date = datetime.date(2020, 1, 15)
    appointed_by = factory.SubFactory(LegalActFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.membership_appoint(**kwargs)
