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


# Nominations from the regional offices. Imports inside, like the parts above, so that this
# part stands alone.

_usernames = itertools.count(1)

# The smallest well-formed PDF the upload check accepts: the header and the end-of-file marker.
PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def image_bytes(image_format: str = "PNG", size: tuple[int, int] = (8, 8)) -> bytes:
    """A small valid image, encoded in ``image_format`` (PNG or JPEG)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


def upload(name: str = "decision.pdf", data: bytes = PDF_BYTES, content_type: str = "application/pdf"):
    """A file as a form would receive it; ``content_type`` is only what the browser claims."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def regional_office_user(kato: str = "75", **fields):
    """An active user of the regional office of the region ``kato``."""
    from django.contrib.auth import get_user_model

    from regional.services import regional_office_user_set

    number = next(_usernames)
    fields = {"username": f"office-{kato}-{number}", "email": f"office-{kato}-{number}@example.kz", **fields}
    user = get_user_model().objects.create_user(password="pass-for-tests", **fields)
    regional_office_user_set(user=user, region=region(kato))
    return user


def secretariat_user(group: str = "Secretariat editor", **fields):
    """An active staff user in a Secretariat group ("Secretariat editor" or "Secretariat viewer")."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    number = next(_usernames)
    fields = {
        "username": f"secretariat-{number}",
        "email": f"secretariat-{number}@example.kz",
        "is_staff": True,
        **fields,
    }
    user = get_user_model().objects.create_user(password="pass-for-tests", **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


class NominationFactory(factory.django.DjangoModelFactory):
    """A draft national nomination by a user of the Almaty city office, with its nominating
    decision attached, created through ``regional.services.nomination_create``. Pass
    ``created_by=regional_office_user("11")`` for another region."""

    class Meta:
        model = "regional.Nomination"

    created_by = factory.LazyFunction(regional_office_user)
    track = "national"
    surname = factory.Sequence(lambda n: f"Әбенов{n}")
    given_name = "Ерлан"
    patronymic = "Серікұлы"
    gender = "male"
    birth_date = datetime.date(1980, 2, 3)
    iin = factory.LazyAttribute(lambda nomination: next_iin(nomination.birth_date, nomination.gender))
    position_kk = "Мұғалім"
    basis = "association_body"
    nominating_association = factory.SubFactory(AssociationFactory)
    decision_number = factory.Sequence(lambda n: f"N-{n}")
    decision_date = datetime.date(2024, 1, 10)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from regional.services import nomination_create

        documents = kwargs.pop("documents", None)
        if documents is None:
            documents = [("decision", upload())]
        return nomination_create(user=kwargs.pop("created_by"), documents=documents, **kwargs)


def step_arguments(nomination, transition) -> dict:
    """What a step of the procedure needs, ready: a comment, a held meeting of the council or
    the session today, a decree dated today."""
    from django.utils import timezone

    from assembly.models import Body

    today = timezone.localdate()
    arguments = {}
    if transition.comment:
        arguments["comment"] = "Себебі көрсетілді"
    if transition.council_meeting:
        council = Body.objects.get(kind=Body.Kind.COUNCIL, parent=nomination.target_body)
        arguments["council_meeting"] = MeetingFactory(body=council, start_date=today)
    if transition.session_meeting:
        arguments["session_meeting"] = MeetingFactory(body=nomination.target_body, start_date=today)
    if transition.decree == "required":
        arguments.update(decree_number=f"D-{nomination.pk}", decree_date=today)
    return arguments


def nomination_path(track: str, status: str, start: str = "draft") -> list:
    """The shortest list of steps of the procedure's table from ``start`` to ``status``."""
    from collections import deque

    from regional.services import TRANSITIONS

    paths, queue = {start: []}, deque([start])
    while queue:
        current = queue.popleft()
        for (step_track, _action), transition in TRANSITIONS.items():
            if step_track == track and current in transition.sources and transition.target not in paths:
                paths[transition.target] = [*paths[current], transition]
                queue.append(transition.target)
    return paths[status]


def advance_nomination(nomination, status: str, *, secretariat=None):
    """Take ``nomination`` by the shortest path to ``status``, each step taken by its role
    (the nomination's creator, or ``secretariat``) with what it needs (``step_arguments``)."""
    from regional.services import Actor, nomination_transition

    for transition in nomination_path(nomination.track, status, nomination.status):
        if transition.actor == Actor.REGIONAL_OFFICE:
            user = nomination.created_by
        else:
            user = secretariat = secretariat or secretariat_user()
        nomination = nomination_transition(
            nomination=nomination,
            user=user,
            action=transition.action,
            version=nomination.version,
            **step_arguments(nomination, transition),
        )
    return nomination


# The API: a client that authenticates like a regional office's system, with a token.


def api_client(user=None, *, language: str = "en"):
    """A DRF test client sending ``user``'s API token (a new one if needed; none without a
    user) and asking for answers in ``language``."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient(headers={"Accept-Language": language})
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client
