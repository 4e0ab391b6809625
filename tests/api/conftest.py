"""A small data set in which every public endpoint has something to show, and the users of
the nominations API: shared by the API's cross-cutting tests (schemathesis, the common
behaviour, the privacy crawl)."""

import datetime
import sys

import pytest
from django.core.cache import cache
from django.db import transaction

from assembly.models import Post
from members.models import Association, Membership
from sessions import services as session_services
from sessions.models import Attendance
from tests.factories import (
    AgendaItemFactory,
    AssociationFactory,
    CandidateFactory,
    DecisionFactory,
    DocumentFactory,
    ElectionFactory,
    EthnicGroupFactory,
    LegalActFactory,
    MeetingFactory,
    MembershipFactory,
    NominationFactory,
    PersonFactory,
    advance_nomination,
    national_body,
    post_of,
    region,
    regional_office_user,
    secretariat_user,
)


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Each test starts with no request counted against its address."""
    cache.clear()
    yield
    cache.clear()


def build_api_data() -> dict:
    """Members of the Assembly, its Council and a regional assembly (one with a post, one
    representing an association, one who has left), a held session with its agenda,
    attendance, a decision, an election and a public document, and two nominations of the
    Almaty city office (a draft and a submitted one)."""
    group = EthnicGroupFactory(name_kk="Қазақтар тобы", name_ru="Группа казахов", name_en="Kazakh group")
    association = AssociationFactory(
        level=Association.Level.REGIONAL, region=region("75"), ethnic_group=group, slug="api-association"
    )
    assembly, council = national_body("assembly"), national_body("council")
    almaty = national_body("almaty-assembly")
    members = [
        MembershipFactory(
            body=assembly,
            person=PersonFactory(ethnic_group=group, ethnicity_public=True, position_kk="Ұстаз", position_en="Teacher"),
            basis=Membership.Basis.ETHNOCULTURAL,
            on_behalf_of=association,
        ),
        MembershipFactory(body=assembly, post=post_of(assembly, Post.Role.DEPUTY_CHAIRMAN)),
        MembershipFactory(body=assembly),
        MembershipFactory(body=council),
        MembershipFactory(body=almaty, post=post_of(almaty, Post.Role.CHAIRMAN)),
        MembershipFactory(
            body=assembly,
            start_date=datetime.date(2015, 3, 1),
            end_date=datetime.date(2019, 12, 31),
            end_reason=Membership.EndReason.OWN_INITIATIVE,
            ended_by=LegalActFactory(),
        ),
    ]
    day = datetime.date(2024, 4, 24)
    meeting = MeetingFactory(
        body=assembly,
        number=901,
        start_date=day,
        venue_kk="Астана",
        venue_ru="Астана",
        venue_en="Astana",
        theme_kk="Бірлік",
        theme_ru="Единство",
        theme_en="Unity",
    )
    item = AgendaItemFactory(meeting=meeting, order=1, title_kk="Баяндама", title_ru="Доклад", title_en="Report")
    AgendaItemFactory(meeting=meeting, parent=item, order=1, title_kk="Тармақша", title_en="Sub-item")
    current = members[:3]
    session_services.attendance_set(
        meeting=meeting, statuses={membership.pk: Attendance.Status.PRESENT for membership in current}
    )
    decision = DecisionFactory(
        meeting=meeting, agenda_item=item, number="1", text_kk="Қаулы", text_ru="Постановление", text_en="Resolution",
        votes_for=3,
    )  # fmt: skip
    election = ElectionFactory(
        meeting=meeting, title_en="Election of a deputy chairman", ballots_issued=3, ballots_cast=3
    )
    winner = CandidateFactory(election=election, person=members[0].person)
    runner_up = CandidateFactory(election=election, person=members[2].person)
    session_services.election_set_votes(election=election, votes={winner.pk: 2, runner_up.pk: 1})
    document = DocumentFactory(meeting=meeting, title="Ашық қаулы", is_public=True)
    MeetingFactory(body=council, number=960, status="planned", start_date=datetime.date(2030, 5, 1))

    office, secretariat = regional_office_user("75"), secretariat_user()
    draft = NominationFactory(created_by=office, nominating_association=association)
    submitted = advance_nomination(
        NominationFactory(created_by=office, nominating_association=association), "submitted", secretariat=secretariat
    )
    return {
        "members": members,
        "association": association,
        "group": group,
        "meeting": meeting,
        "decision": decision,
        "election": election,
        "document": document,
        "office": office,
        "secretariat": secretariat,
        "nominations": [draft, submitted],
    }


@pytest.fixture(scope="module")
def api_data(django_db_setup, django_db_blocker) -> dict:
    """``build_api_data()`` once for a whole test module (it takes seconds), inside a
    transaction rolled back after the module. Each test that uses it is marked ``django_db``,
    so that what the test itself writes is rolled back to a savepoint inside this one."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            data = build_api_data()
        except BaseException:
            atomic.__exit__(*sys.exc_info())
            raise
    yield data
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
