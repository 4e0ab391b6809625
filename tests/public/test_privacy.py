"""No private value reaches a public page, feed, calendar or sitemap, in any language.

A person is given unique private values (IIN, date of birth, phone, e-mail, an
unpublished ethnic group, an internal note) and every public page where that person
appears is fetched in the three languages, as is every page of a meeting with a
restricted document.
"""

import datetime
import re

import pytest
from django.utils import timezone

from assembly.models import Post
from members import services as member_services
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
    PersonFactory,
    national_body,
    next_iin,
    post_of,
    region,
)

from .helpers import LANGUAGES

pytestmark = pytest.mark.django_db

BIRTH_DATE = datetime.date(1961, 7, 23)
PHONE = "+7 (777) 314-15-92"
EMAIL = "zhasyryn.adam@private-mail.kz"
GROUP_NAMES = ("Құпиятоп", "Секретэтнос", "Secretethnos")
NOTE = "Ішкі ескертпе: тексерісте"
RESTRICTED_TITLE = "Жабық құжат Z9Q"


@pytest.fixture
def planted(db):
    group = EthnicGroupFactory(
        slug="secret-group", name_kk=GROUP_NAMES[0], name_ru=GROUP_NAMES[1], name_en=GROUP_NAMES[2]
    )
    association = AssociationFactory(
        level=Association.Level.REGIONAL, region=region("75"), ethnic_group=EthnicGroupFactory()
    )
    person = PersonFactory(
        surname="Жасырынов",
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
        biography_kk="Қоғамдық өмірбаян",
    )
    assembly, almaty = national_body("assembly"), national_body("almaty-assembly")
    council_membership = MembershipFactory(person=person, body=national_body("council"), note=NOTE)
    MembershipFactory(
        person=person,
        body=assembly,
        post=post_of(assembly, Post.Role.DEPUTY_CHAIRMAN),
        basis=Membership.Basis.ETHNOCULTURAL,
        on_behalf_of=association,
        note=NOTE,
    )
    MembershipFactory(person=person, body=almaty, post=post_of(almaty, Post.Role.CHAIRMAN), note=NOTE)
    # Enough others for the ethnic group chart to show a total.
    for _ in range(3):
        MembershipFactory(body=national_body("council"), person=PersonFactory(ethnic_group=association.ethnic_group))

    held = MeetingFactory(body=national_body("council"), number=300, start_date=datetime.date(2024, 5, 1))
    session_services.attendance_set(meeting=held, statuses={council_membership.pk: Attendance.Status.PRESENT})
    election = ElectionFactory(meeting=held, ballots_issued=1, ballots_cast=1)
    candidate = CandidateFactory(election=election, person=person)
    session_services.election_set_votes(election=election, votes={candidate.pk: 1})
    restricted = DocumentFactory(meeting=held, title=RESTRICTED_TITLE, is_public=False)
    DocumentFactory(meeting=held, title="Ашық құжат", is_public=True)
    planned = MeetingFactory(number=301, status="planned", start_date=timezone.localdate() + datetime.timedelta(days=9))
    return {"person": person, "held": held, "planned": planned, "restricted": restricted}


def _public_urls(planted) -> list[str]:
    person, held, planned = planted["person"], planted["held"], planted["planned"]
    urls = ["/robots.txt", "/sitemap.xml"]
    urls += [f"/sitemap-{section}.xml" for section in ("pages", "members", "bodies", "regions", "sessions")]
    for language in LANGUAGES:
        urls += [
            f"/{language}/{path}"
            for path in (
                "",
                "bodies/",
                "bodies/assembly/",
                "bodies/council/",
                "bodies/almaty-assembly/",
                "bodies/council/?on=2024-05-01",
                "composition/",
                "composition/?body=council",
                "composition/?body=almaty-assembly",
                "members/",
                "members/?past=on",
                "members/?q=Жасырынов",
                "members/?q=Zhasyrynov",
                "members/?region=almaty",
                "members/?body=council",
                "members/?basis=ethnocultural",
                f"members/{person.slug}/",
                "associations/",
                "associations/?region=almaty",
                "regions/",
                "regions/almaty/",
                "sessions/",
                "sessions/?body=council",
                f"sessions/{held.pk}/",
                f"sessions/{planned.pk}/",
                "sessions/feed/rss/",
                "sessions/feed/atom/",
                "sessions/upcoming.ics",
                "no-such-page/",
            )
        ]
    return urls


def _without_choice_lists(page: str) -> str:
    """The page without its <select> lists: the list of all ethnic groups in a filter is
    public reference data, not anyone's ethnicity."""
    return re.sub(r"<select\b.*?</select>", "", page, flags=re.DOTALL)


def test_no_private_value_reaches_a_public_page(client, planted):
    person = planted["person"]
    private = {
        "IIN": person.iin,
        "birth year": "1961",
        "phone": PHONE,
        "phone digits": "3141592",
        "e-mail": EMAIL,
        "e-mail name": "zhasyryn.adam",
        "internal note": NOTE,
        "restricted document": RESTRICTED_TITLE,
        "restricted document link": f"/sessions/documents/{planted['restricted'].pk}/",
    }
    shown_on = 0
    for url in _public_urls(planted):
        response = client.get(url)
        assert response.status_code == (404 if "no-such-page" in url else 200), url
        page = response.content.decode()
        digits = re.sub(r"\D", "", page)
        for label, value in private.items():
            assert value not in page, (url, label)
        assert "7773141592" not in digits, url
        visible = _without_choice_lists(page)
        for name in GROUP_NAMES:
            assert name not in visible, (url, "ethnic group")
        assert "secret-group" not in visible, url
        shown_on += person.slug in page or "Жасырынов" in page or "Jasyrynov" in page

    # The person really is on the pages crawled: profile, directory, bodies, regions, sessions, sitemap.
    assert shown_on >= 45


def test_the_ethnic_group_is_published_only_with_consent(client, planted):
    member_services.person_update(person=planted["person"], ethnicity_public=True)

    page = client.get(f"/ru/members/{planted['person'].slug}/").content.decode()

    assert GROUP_NAMES[1] in page
    assert planted["person"].iin not in page and EMAIL not in page


def test_the_restricted_document_is_not_served_to_the_public(client, planted):
    for language in LANGUAGES:
        response = client.get(f"/{language}/sessions/documents/{planted['restricted'].pk}/")
        assert response.status_code == 404
        assert RESTRICTED_TITLE not in response.content.decode()
