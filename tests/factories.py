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


# Sessions and meetings. Models are named by label so that this part needs no import above.


def memberships_of(
    body: Body, count: int, *, start_date: datetime.date = datetime.date(2020, 1, 15)
) -> list[Membership]:
    """``count`` ordinary members of ``body`` from ``start_date``."""
    return [MembershipFactory(body=body, start_date=start_date) for _ in range(count)]


class MeetingFactory(factory.django.DjangoModelFactory):
    """A held meeting of the Assembly's Council unless told otherwise."""

    class Meta:
        model = "assembly_sessions.Meeting"

    body = factory.LazyFunction(lambda: national_body("council"))
    number = factory.Sequence(lambda n: 100 + n)
    kind = "regular"
    status = "held"
    start_date = datetime.date(2024, 3, 1)


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assembly_sessions.Election"

    meeting = factory.SubFactory(MeetingFactory)
    kind = "other"
    title_kk = factory.Sequence(lambda n: f"Сайлау {n}")
    seats = 1
    rule = "absolute_majority"


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assembly_sessions.Candidate"

    election = factory.SubFactory(ElectionFactory)
    person = factory.SubFactory(PersonFactory)


# Agenda and decisions, for the public pages of a meeting.


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assembly_sessions.AgendaItem"

    meeting = factory.SubFactory(MeetingFactory)
    order = factory.Sequence(lambda n: n + 1)
    title_kk = factory.Sequence(lambda n: f"Күн тәртібінің мәселесі {n}")


class DecisionFactory(factory.django.DjangoModelFactory):
    """Decisions are recorded through ``sessions.services.decision_record``: the meeting
    needs its attendance (and a quorum) first."""

    class Meta:
        model = "assembly_sessions.Decision"

    meeting = factory.SubFactory(MeetingFactory)
    text_kk = factory.Sequence(lambda n: f"Шешім {n}")
    votes_for = 1

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Imported here, like the labels above, so that each appended part of this file stands alone.
        from sessions.services import decision_record

        return decision_record(decision=model_class(*args, **kwargs))


# Documents of a meeting, for the public session page and the download view.


class DocumentFactory(factory.django.DjangoModelFactory):
    """A restricted (staff-only) document unless ``is_public=True``."""

    class Meta:
        model = "assembly_sessions.Document"

    meeting = factory.SubFactory(MeetingFactory)
    kind = "resolution"
    language = "kk"
    title = factory.Sequence(lambda n: f"Қаулы {n}")
    file = factory.django.FileField(filename="document.pdf", data=b"%PDF-1.4 test document")
    is_public = False
