"""A small register in which every data set has rows, with private values planted where an
export could pick them up: a member's IIN, date of birth, phone, e-mail and unpublished
ethnic group, an internal note, a restricted document, a nomination's candidate, and a
person in the register who never held a membership."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

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
    image_bytes,
    national_body,
    next_iin,
    post_of,
    region,
)

BIRTH_DATE = datetime.date(1961, 7, 23)
PHONE = "+7 (777) 314-15-92"
EMAIL = "zhasyryn.adam@private-mail.kz"
SECRET_GROUP = {"slug": "secret-group-q7", "name_kk": "Құпиятоп", "name_ru": "Секретэтнос", "name_en": "Secretethnos"}
NOTE = "Ішкі ескертпе: тексерісте"
MEETING_NOTE = "Хатшылық ескертпесі M4"
RESTRICTED_TITLE = "Жабық құжат Z9Q"
NOMINEE = {"surname": "Ұсынылғанов", "phone": "+7 701 555 0199", "email": "nominee.private@mail.kz"}
NON_MEMBER_SURNAME = "Тізімдегіұлы"
NON_MEMBER_CANDIDATE_SURNAME = "Үміткерова"


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    """Every file the tests write (photos, documents, uploads, the open data) goes to a
    temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"


def build_register() -> dict:
    today = timezone.localdate()
    shared_group = EthnicGroupFactory(slug="od-shared-group", name_kk="Ортақтар", name_ru="Общие", name_en="Sharers")
    association = AssociationFactory(
        slug="od-association", level=Association.Level.REGIONAL, region=region("75"), ethnic_group=shared_group
    )
    assembly, council, almaty = national_body("assembly"), national_body("council"), national_body("almaty-assembly")

    secret_group = EthnicGroupFactory(**SECRET_GROUP)
    planted = PersonFactory(
        surname="Жасырынов",
        given_name="Адам",
        patronymic="",
        gender="male",
        birth_date=BIRTH_DATE,
        iin=next_iin(BIRTH_DATE, "male"),
        phone=PHONE,
        email=EMAIL,
        ethnic_group=secret_group,
        ethnicity_public=False,
        position_kk="Қоғам қайраткері",
        position_en="Public figure",
        biography_kk="Қоғамдық өмірбаян",
        photo=SimpleUploadedFile("planted.png", image_bytes(), content_type="image/png"),
    )
    council_membership = MembershipFactory(person=planted, body=council, note=NOTE)
    deputy = MembershipFactory(
        person=planted,
        body=assembly,
        post=post_of(assembly, Post.Role.DEPUTY_CHAIRMAN),
        basis=Membership.Basis.ETHNOCULTURAL,
        on_behalf_of=association,
        note=NOTE,
    )
    # Three council members of one group: a total the ethnic groups data set shows; one of them
    # published the group.
    sharers = [
        MembershipFactory(body=council, person=PersonFactory(ethnic_group=shared_group, ethnicity_public=index == 0))
        for index in range(3)
    ]
    chairman = MembershipFactory(body=almaty, post=post_of(almaty, Post.Role.CHAIRMAN))
    former = MembershipFactory(
        body=assembly,
        start_date=datetime.date(2015, 3, 1),
        end_date=datetime.date(2019, 12, 31),
        end_reason=Membership.EndReason.OWN_INITIATIVE,
        ended_by=LegalActFactory(),
    )
    non_member = PersonFactory(surname=NON_MEMBER_SURNAME, phone="+7 702 000 1122")

    meeting = MeetingFactory(
        body=council,
        number=300,
        start_date=datetime.date(2024, 5, 1),
        convened_by=LegalActFactory(number="К-12"),
        venue_kk="Астана",
        venue_ru="Астана",
        venue_en="Astana",
        theme_kk="Бірлік",
        theme_en="Unity",
        note=MEETING_NOTE,
    )
    item = AgendaItemFactory(meeting=meeting, order=1, title_kk="Баяндама", title_ru="Доклад", title_en="Report")
    sub_item = AgendaItemFactory(meeting=meeting, parent=item, order=1, title_kk="Тармақша", title_en="Sub-item")
    present = [council_membership, *sharers]
    session_services.attendance_set(
        meeting=meeting, statuses={membership.pk: Attendance.Status.PRESENT for membership in present}
    )
    decision = DecisionFactory(
        meeting=meeting, agenda_item=item, number="1", text_kk="Қаулы", text_ru="Постановление", text_en="Resolution",
        votes_for=3, votes_against=1,
    )  # fmt: skip
    election = ElectionFactory(
        meeting=meeting, agenda_item=item, title_kk="Сайлау", title_en="Election", ballots_issued=4, ballots_cast=4
    )
    winner = CandidateFactory(election=election, person=planted, nominated_by_body=council)
    outsider = CandidateFactory(election=election, person=PersonFactory(surname=NON_MEMBER_CANDIDATE_SURNAME))
    session_services.election_set_votes(election=election, votes={winner.pk: 3, outsider.pk: 1})
    restricted = DocumentFactory(meeting=meeting, title=RESTRICTED_TITLE, is_public=False)
    DocumentFactory(meeting=meeting, title="Ашық құжат", is_public=True)
    planned = MeetingFactory(number=301, status="planned", start_date=today + datetime.timedelta(days=9))

    nomination = NominationFactory(
        surname=NOMINEE["surname"], phone=NOMINEE["phone"], email=NOMINEE["email"], nominating_association=association
    )
    return {
        "planted": planted,
        "council_membership": council_membership,
        "deputy": deputy,
        "sharers": sharers,
        "chairman": chairman,
        "former": former,
        "non_member": non_member,
        "association": association,
        "shared_group": shared_group,
        "meeting": meeting,
        "item": item,
        "sub_item": sub_item,
        "decision": decision,
        "election": election,
        "winner": winner,
        "outsider": outsider,
        "restricted": restricted,
        "planned": planned,
        "nomination": nomination,
    }


@pytest.fixture
def register(db) -> dict:
    return build_register()


@pytest.fixture
def exported(register, settings) -> dict:
    """The register, with the open data written into OPEN_DATA_ROOT."""
    call_command("export_open_data", verbosity=0)
    return register
