"""No private value reaches a public API answer, the schema or the docs, in any language.

A member is given unique private values (IIN, date of birth, phone, e-mail, an internal
note, an ethnic group that only this member has and did not agree to publish), a meeting
has a restricted document, and a regional office has a nomination whose candidate is no
member. Then every public collection the schema lists is read in the three languages,
with each of its documented filters set to the member, and every API address an answer
links to is followed: none of the values may appear in the bytes of any answer.
"""

import datetime
import json
import re
from collections import deque
from urllib.parse import urlencode, urlsplit

import pytest

from assembly.models import Post
from members.models import Association, Membership
from sessions import services as session_services
from sessions.models import Attendance
from tests.factories import (
    AssociationFactory,
    CandidateFactory,
    DocumentFactory,
    ElectionFactory,
    EthnicGroupFactory,
    MeetingFactory,
    MembershipFactory,
    NominationFactory,
    PersonFactory,
    national_body,
    next_iin,
    post_of,
    region,
    regional_office_user,
)

from . import openapi

pytestmark = pytest.mark.django_db

LANGUAGES = ("kk", "ru", "en")
BIRTH_DATE = datetime.date(1958, 11, 29)
PHONE = "+7 (701) 271-82-81"
EMAIL = "qupiya.adam@private-mail.kz"
NOTE = "Ішкі ескерту: API тексерісі"
GROUP_NAMES = ("Жасырынтоп", "Скрытэтнос", "Hiddenethnos")
GROUP_SLUG = "hidden-api-group"
RESTRICTED_TITLE = "Жабық API құжаты Q7X"
CANDIDATE = {"surname": "Ұсынылғанова", "given_name": "Жасырынгүл", "patronymic": ""}
CANDIDATE_PHONE = "+7 (702) 314-15-92"
CANDIDATE_EMAIL = "usynylgan.kandidat@private-mail.kz"
CANDIDATE_BIRTH_DATE = datetime.date(1983, 8, 17)
API = "http://testserver" + openapi.API_PREFIX


@pytest.fixture
def planted(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    group = EthnicGroupFactory(slug=GROUP_SLUG, name_kk=GROUP_NAMES[0], name_ru=GROUP_NAMES[1], name_en=GROUP_NAMES[2])
    association = AssociationFactory(
        level=Association.Level.REGIONAL, region=region("75"), ethnic_group=EthnicGroupFactory(), slug="api-privacy"
    )
    person = PersonFactory(
        surname="Құпиянов",
        given_name="Адам",
        patronymic="",
        gender="male",
        birth_date=BIRTH_DATE,
        iin=next_iin(BIRTH_DATE, "male"),
        phone=PHONE,
        email=EMAIL,
        ethnic_group=group,
        ethnicity_public=False,
        position_kk="Қоғам қайраткері",
    )
    assembly, council, almaty = national_body("assembly"), national_body("council"), national_body("almaty-assembly")
    in_council = MembershipFactory(person=person, body=council, note=NOTE)
    MembershipFactory(
        person=person,
        body=assembly,
        post=post_of(assembly, Post.Role.DEPUTY_CHAIRMAN),
        basis=Membership.Basis.ETHNOCULTURAL,
        on_behalf_of=association,
        note=NOTE,
    )
    MembershipFactory(person=person, body=almaty, post=post_of(almaty, Post.Role.CHAIRMAN), note=NOTE)
    for _ in range(3):
        MembershipFactory(body=council, person=PersonFactory(ethnic_group=association.ethnic_group))

    meeting = MeetingFactory(body=council, number=971, start_date=datetime.date(2024, 5, 1))
    session_services.attendance_set(meeting=meeting, statuses={in_council.pk: Attendance.Status.PRESENT})
    election = ElectionFactory(meeting=meeting, ballots_issued=1, ballots_cast=1)
    candidate = CandidateFactory(election=election, person=person)
    session_services.election_set_votes(election=election, votes={candidate.pk: 1})
    restricted = DocumentFactory(
        meeting=meeting, title=RESTRICTED_TITLE, is_public=False, file__filename="zhabyq-q7x-decision.pdf"
    )
    DocumentFactory(meeting=meeting, title="Ашық API құжаты", is_public=True)

    nomination = NominationFactory(
        created_by=regional_office_user("75"),
        nominating_association=association,
        birth_date=CANDIDATE_BIRTH_DATE,
        iin=next_iin(CANDIDATE_BIRTH_DATE, "female"),
        gender="female",
        phone=CANDIDATE_PHONE,
        email=CANDIDATE_EMAIL,
        **CANDIDATE,
    )
    return {"person": person, "restricted": restricted, "nomination": nomination}


def private_values(planted) -> dict[str, str]:
    person, nomination = planted["person"], planted["nomination"]
    return {
        "IIN": person.iin,
        "date of birth": BIRTH_DATE.isoformat(),
        "date of birth, dotted": BIRTH_DATE.strftime("%d.%m.%Y"),
        "phone": PHONE,
        "e-mail": EMAIL,
        "e-mail name": EMAIL.split("@")[0],
        "internal note": NOTE,
        "restricted document": RESTRICTED_TITLE,
        "restricted document file": "zhabyq-q7x",
        "restricted document address": f"/sessions/documents/{planted['restricted'].pk}/",
        "candidate's surname": CANDIDATE["surname"],
        "candidate's given name": CANDIDATE["given_name"],
        "candidate's IIN": nomination.iin,
        "candidate's date of birth": CANDIDATE_BIRTH_DATE.isoformat(),
        "candidate's phone": CANDIDATE_PHONE,
        "candidate's e-mail": CANDIDATE_EMAIL,
        "a nomination": "/nominations/",
    }


def _api_links(value, found: set) -> None:
    if isinstance(value, str):
        if value.startswith(API):
            found.add(value)
    elif isinstance(value, list):
        for item in value:
            _api_links(item, found)
    elif isinstance(value, dict):
        for item in value.values():
            _api_links(item, found)


def _with_language(url: str, language: str) -> str:
    parts = urlsplit(url)
    query = "&".join(part for part in (parts.query, urlencode({"lang": language})) if part)
    return f"{parts.path}?{query}"


def start_addresses(person) -> list[str]:
    """Every public collection in each language: in full, and with each documented filter set
    to the planted member (by slug, id, name), so that the filtered answers are read too."""
    addresses = []
    for path in openapi.public_list_paths():
        filters = [
            name for name in openapi.query_parameters(path) if name not in {"page", "page_size", "ordering", "lang"}
        ]
        queries = [{"page_size": 500}]
        for name in filters:
            queries += [{name: value} for value in (person.slug, str(person.pk), person.surname, GROUP_SLUG)]
        for query in queries:
            addresses += [f"{path}?{urlencode({**query, 'lang': language})}" for language in LANGUAGES]
    return addresses


def crawl(client, addresses: list[str]) -> dict[str, bytes]:
    """Each address and every API address its answers link to (in each language), once."""
    answers: dict[str, bytes] = {}
    queue = deque(addresses)
    while queue:
        address = queue.popleft()
        if address in answers:
            continue
        response = client.get(address)
        assert response.status_code < 500, address
        answers[address] = response.content
        if response.status_code != 200:
            continue
        links: set[str] = set()
        _api_links(response.json(), links)
        for link in links:
            for language in LANGUAGES:
                queue.append(_with_language(link.removeprefix("http://testserver"), language))
    return answers


def test_no_private_value_reaches_an_api_answer(client, planted):
    person = planted["person"]
    private = private_values(planted)
    person_marks = (person.slug, person.surname, person.surname_latin, f"/persons/{person.pk}/")

    answers = crawl(client, start_addresses(person))

    shown = 0
    for address, content in answers.items():
        texts = [content.decode()]
        if content.startswith((b"{", b"[")):
            # The same answer with every escape undone, so that no encoding hides a value.
            texts.append(json.dumps(json.loads(content), ensure_ascii=False))
        for text in texts:
            for label, value in private.items():
                assert value not in text, (address, label)
            assert "7012718281" not in re.sub(r"\D", "", text), (address, "phone digits")
            if any(mark in text for mark in person_marks):
                # Beside the member, never the member's unpublished ethnic group.
                for name in (*GROUP_NAMES, GROUP_SLUG):
                    assert name not in text, (address, "ethnic group")
        shown += any(mark in content.decode() for mark in person_marks)

    # The crawl did reach the member: the person, the memberships, the bodies, the election.
    assert shown >= 30, shown
    assert any(person.slug in urlsplit(address).path for address in answers)


def test_the_member_is_found_with_consent_to_the_ethnic_group(client, planted):
    """The crawl's ethnic group check can fail: with the member's consent the group is shown."""
    from members import services as member_services

    member_services.person_update(person=planted["person"], ethnicity_public=True)
    person = planted["person"]
    answers = crawl(client, [f"/api/v1/persons/?{urlencode({'page_size': 500, 'lang': 'ru'})}"])

    assert any(GROUP_NAMES[1] in content.decode() and person.slug in content.decode() for content in answers.values())


@pytest.mark.parametrize(
    "address",
    [
        "/api/schema/",
        "/api/schema/?format=json",
        "/api/schema/?format=json&lang=ru",
        "/api/schema/?lang=en",
        "/api/docs/",
        "/api/docs/?script=",
    ],
)
def test_no_private_value_reaches_the_schema_or_the_docs(client, planted, address):
    response = client.get(address)

    assert response.status_code == 200
    text = response.content.decode()
    for label, value in private_values(planted).items():
        if label != "a nomination":  # The schema documents the nominations endpoints, rightly.
            assert value not in text, label
    for name in (*GROUP_NAMES, GROUP_SLUG):
        assert name not in text
