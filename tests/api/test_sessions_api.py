"""The public endpoint of the sessions and meetings (/api/v1/sessions/): the list, its filters
and order, a meeting's file, its languages, its query counts, and what it never shows."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from sessions import services
from sessions.models import Attendance, Majority, Meeting
from tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    CandidateFactory,
    DecisionFactory,
    DocumentFactory,
    ElectionFactory,
    EthnicGroupFactory,
    LegalActFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    api_client,
    memberships_of,
    national_body,
    next_iin,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ("kk", "ru", "en")
URL = "/api/v1/sessions/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Meeting documents written by the tests go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def anonymous():
    return api_client(language="kk")


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def _label(choice, language: str) -> str:
    with translation.override(language):
        return str(choice.label)


# The list.


@pytest.fixture
def meetings(db):
    council, assembly = national_body("council"), national_body("assembly")
    return {
        "council_2024": MeetingFactory(body=council, number=501, start_date=datetime.date(2024, 3, 1)),
        "council_2025": MeetingFactory(body=council, number=502, start_date=datetime.date(2025, 9, 1)),
        "extraordinary": MeetingFactory(
            body=assembly, number=60, kind="extraordinary", start_date=datetime.date(2024, 11, 5)
        ),
        "planned": MeetingFactory(
            body=assembly,
            number=61,
            status="planned",
            start_date=timezone.localdate() + datetime.timedelta(days=30),
            theme_kk="Жоспарлы сессия",
            theme_ru="Плановая сессия",
        ),
        "cancelled": MeetingFactory(
            body=national_body("almaty-assembly"), number=3, status="cancelled", start_date=datetime.date(2024, 6, 1)
        ),
    }


def test_the_list_shows_every_meeting_newest_first(anonymous, meetings):
    response = anonymous.get(URL, {"page_size": 500})

    rows = response.json()["results"]
    assert response.json()["count"] == Meeting.objects.count()
    assert rows[0]["id"] == meetings["planned"].pk
    dates = [row["start_date"] for row in rows]
    assert dates == sorted(dates, reverse=True)
    assert {meeting.pk for meeting in meetings.values()} <= {row["id"] for row in rows}


def test_a_meeting_in_the_list_is_described_as_on_its_public_page(anonymous, meetings):
    meeting = meetings["extraordinary"]

    row = next(row for row in anonymous.get(URL, {"body": "assembly"}).json()["results"] if row["id"] == meeting.pk)

    with translation.override("kk"):
        title = meeting.title
    assert "LX" in title
    assert row == {
        "id": meeting.pk,
        "url": f"http://testserver/api/v1/sessions/{meeting.pk}/",
        "web_url": f"http://testserver/kk/sessions/{meeting.pk}/",
        "title": title,
        "body": {
            "slug": "assembly",
            "url": "http://testserver/api/v1/bodies/assembly/",
            "name": national_body("assembly").name_kk,
        },
        "number": 60,
        "number_display": "LX",
        "kind": "extraordinary",
        "kind_label": _label(Meeting.Kind.EXTRAORDINARY, "kk"),
        "status": "held",
        "status_label": _label(Meeting.Status.HELD, "kk"),
        "start_date": "2024-11-05",
        "end_date": None,
        "venue": "",
        "venue_translations": {"kk": "", "ru": "", "en": ""},
        "theme": "",
        "theme_translations": {"kk": "", "ru": "", "en": ""},
        "convened_by": None,
    }


def test_a_council_meeting_keeps_its_arabic_number(anonymous, meetings):
    row = anonymous.get(f"{URL}{meetings['council_2024'].pk}/").json()

    assert (row["number"], row["number_display"]) == (501, "501")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"body": "council"}, {"council_2024", "council_2025"}),
        ({"body": "council", "year": "2024"}, {"council_2024"}),
        ({"year": "2025", "body": "council"}, {"council_2025"}),
        ({"kind": "extraordinary", "body": "assembly", "year": "2024"}, {"extraordinary"}),
        ({"status": "planned"}, {"planned"}),
        ({"status": "cancelled"}, {"cancelled"}),
        ({"body": "almaty-assembly"}, {"cancelled"}),
        ({"start_date_from": "2024-06-01", "start_date_to": "2024-11-05"}, {"cancelled", "extraordinary"}),
        ({"start_date_from": "2025-01-01", "body": "council"}, {"council_2025"}),
        ({"start_date_to": "2024-03-01", "body": "council"}, {"council_2024"}),
    ],
)
def test_the_list_filters(anonymous, meetings, query, expected):
    response = anonymous.get(URL, {**query, "page_size": 500})

    assert set(_ids(response)) == {meetings[key].pk for key in expected}


def test_the_loaded_sessions_are_found_by_year_and_kind(anonymous):
    response = anonymous.get(URL, {"body": "assembly", "year": "2021", "kind": "extraordinary"})

    assert [row["number_display"] for row in response.json()["results"]] == ["XXVIII"]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("body", "no-such-body"),
        ("year", "abc"),
        ("year", "1900"),
        ("year", "2024.5"),
        ("year", "10000"),
        ("year", "99999999999"),
        ("kind", "foo"),
        ("status", "imaginary"),
        ("start_date_from", "2024-13-01"),
        ("start_date_to", "yesterday"),
        ("ordering", "theme"),
        ("page", "0"),
        ("page_size", "100000"),
        ("lang", "de"),
    ],
)
def test_a_bad_parameter_is_a_400_that_names_it(anonymous, meetings, parameter, value):
    response = anonymous.get(URL, {"body": "council", parameter: value})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [parameter]
    assert response.json()["detail"]


def test_a_bad_filter_value_is_explained_in_the_language_asked_for(meetings):
    answers = {language: api_client(language=language).get(URL, {"kind": "foo"}).json() for language in LANGUAGES}

    assert len({answer["errors"]["kind"][0] for answer in answers.values()}) == 3


@pytest.mark.parametrize("ordering", ["start_date", "-start_date"])
def test_the_order_is_stable_and_ties_are_broken_by_id(anonymous, ordering):
    body = BodyFactory()
    day = datetime.date(2024, 5, 1)
    created = [
        MeetingFactory(body=body, start_date=day + datetime.timedelta(days=index % 3), number=None)
        for index in range(9)
    ]

    ids = _ids(anonymous.get(URL, {"body": body.slug, "ordering": ordering}))

    reverse = ordering.startswith("-")
    expected = sorted(created, key=lambda m: (-m.start_date.toordinal() if reverse else m.start_date, m.pk))
    assert ids == [meeting.pk for meeting in expected]


def test_the_pages_neither_overlap_nor_skip(anonymous):
    body = BodyFactory()
    created = {MeetingFactory(body=body, start_date=datetime.date(2024, 5, 1), number=None).pk for _ in range(7)}

    seen = []
    for page in (1, 2, 3, 4):
        seen += _ids(anonymous.get(URL, {"body": body.slug, "page_size": 2, "page": page}))

    assert sorted(seen) == sorted(created)
    assert anonymous.get(URL, {"body": body.slug, "page_size": 2, "page": 5}).status_code == 404


def test_the_list_queries_do_not_grow_with_the_data(anonymous, django_assert_num_queries):
    body = BodyFactory()

    def more(count):
        for index in range(count):
            MeetingFactory(
                body=body,
                start_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=index),
                convened_by=LegalActFactory(),
                theme_kk=f"Тақырып {index}",
            )

    counts = []
    for count in (3, 27):
        more(count)
        # The body of the filter, the count, the page.
        with django_assert_num_queries(3):
            response = anonymous.get(URL, {"body": body.slug})
        counts.append(response.json()["count"])

    assert counts == [3, 30]


# A meeting's file.


@pytest.fixture
def session(db):
    """A session of the Assembly with its whole file."""
    assembly = national_body("assembly")
    day = datetime.date(2024, 4, 24)
    members = memberships_of(assembly, 5)
    meeting = MeetingFactory(
        body=assembly,
        number=40,
        start_date=day,
        end_date=day + datetime.timedelta(days=1),
        venue_kk="Астана, Бейбітшілік және келісім сарайы",
        venue_ru="Астана, Дворец мира и согласия",
        venue_en="Astana, Palace of Peace and Reconciliation",
        theme_kk="Бірлік. Жасампаздық. Прогресс",
        theme_ru="Единство. Созидание. Прогресс",
        theme_en="Unity. Creation. Progress",
        convened_by=LegalActFactory(number="512", date=datetime.date(2024, 3, 20), title="Сессияны шақыру туралы"),
    )
    second = AgendaItemFactory(meeting=meeting, order=2, title_kk="Сайлау", title_en="The election", kind="election")
    first = AgendaItemFactory(meeting=meeting, order=1, title_kk="Төрағаның баяндамасы", title_ru="Доклад Председателя")
    sub_second = AgendaItemFactory(meeting=meeting, parent=first, order=2, title_kk="Екінші тармақша")
    sub_first = AgendaItemFactory(meeting=meeting, parent=first, order=1, title_kk="Бірінші тармақша")
    services.attendance_set(
        meeting=meeting,
        statuses={
            members[0].pk: Attendance.Status.PRESENT,
            members[1].pk: Attendance.Status.PRESENT,
            members[2].pk: Attendance.Status.LEFT_EARLY,
            members[3].pk: Attendance.Status.ABSENT,
            members[4].pk: Attendance.Status.EXCUSED,
        },
    )
    decision = DecisionFactory(
        meeting=meeting,
        agenda_item=first,
        number="7",
        text_kk="Қаулы қабылдансын",
        text_ru="Постановление принять",
        text_en="The resolution is adopted",
        votes_for=2,
        votes_against=1,
        votes_abstained=0,
    )
    election = ElectionFactory(
        meeting=meeting,
        agenda_item=second,
        title_kk="Төраға орынбасарын сайлау",
        title_ru="Выборы заместителя председателя",
        title_en="Election of a deputy chairman",
        ballots_issued=3,
        ballots_cast=3,
    )
    # A member of the Council (so a public person) and a candidate who never was a member.
    member = MembershipFactory(
        person=PersonFactory(surname="Жеңімпаз", given_name="Ержан", patronymic=""), body=national_body("council")
    ).person
    winner = CandidateFactory(election=election, person=member)
    loser = CandidateFactory(
        election=election, person=PersonFactory(surname="Екінші", given_name="Дана", patronymic="")
    )
    services.election_set_votes(election=election, votes={winner.pk: 2, loser.pk: 1})
    return {
        "meeting": meeting,
        "members": members,
        "agenda": [first, sub_first, sub_second, second],
        "decision": decision,
        "election": election,
        "winner": winner.person,
        "loser": loser.person,
        "public": DocumentFactory(meeting=meeting, agenda_item=first, title="Сессия қаулысы (ашық)", is_public=True),
        "restricted": DocumentFactory(
            meeting=meeting, title="Қызметтік хат (жабық)", is_public=False, file__filename="qupiya-hat.pdf"
        ),
    }


def _detail(client, meeting: Meeting, **query) -> dict:
    response = client.get(f"{URL}{meeting.pk}/", query)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_detail_describes_the_meeting_like_the_list(anonymous, session):
    meeting = session["meeting"]
    listed = next(row for row in anonymous.get(URL, {"year": 2024}).json()["results"] if row["id"] == meeting.pk)

    detail = _detail(anonymous, meeting)

    assert {key: detail[key] for key in listed} == listed
    assert detail["convened_by"] == {
        "kind": "decree",
        "kind_label": _label(meeting.convened_by.Kind.DECREE, "kk"),
        "number": "512",
        "date": "2024-03-20",
        "title": "Сессияны шақыру туралы",
    }
    assert (detail["start_date"], detail["end_date"]) == ("2024-04-24", "2024-04-25")
    assert detail["number_display"] == "XL"


def test_the_agenda_is_in_reading_order_with_the_parent_of_each_sub_item(anonymous, session):
    first, sub_first, sub_second, second = session["agenda"]

    agenda = _detail(anonymous, session["meeting"])["agenda"]

    assert [(item["id"], item["parent"], item["order"]) for item in agenda] == [
        (first.pk, None, 1),
        (sub_first.pk, first.pk, 1),
        (sub_second.pk, first.pk, 2),
        (second.pk, None, 2),
    ]
    assert agenda[3]["kind"] == "election"
    assert agenda[3]["url"] == f"http://testserver/api/v1/agenda-items/{second.pk}/"


def test_the_agenda_keeps_items_nested_deeper(anonymous, session):
    first, sub_first, _sub_second, _second = session["agenda"]
    deep = AgendaItemFactory(meeting=session["meeting"], parent=sub_first, order=1)

    agenda = [item["id"] for item in _detail(anonymous, session["meeting"])["agenda"]]

    assert agenda.index(first.pk) < agenda.index(sub_first.pk) == agenda.index(deep.pk) - 1


def test_only_the_public_documents_are_listed(anonymous, session):
    public, restricted = session["public"], session["restricted"]

    for language in LANGUAGES:
        documents = _detail(anonymous, session["meeting"], lang=language)["documents"]
        assert documents == [
            {
                "id": public.pk,
                "kind": "resolution",
                "kind_label": _label(public.Kind.RESOLUTION, language),
                "language": "kk",
                "language_label": _label(public.Language.KK, language),
                "title": "Сессия қаулысы (ашық)",
                "agenda_item": session["agenda"][0].pk,
                "download_url": f"http://testserver/{language}/sessions/documents/{public.pk}/",
            }
        ]
    assert anonymous.get(documents[0]["download_url"]).status_code == 200
    assert anonymous.get(f"/kk/sessions/documents/{restricted.pk}/").status_code == 404


def test_the_decisions_carry_their_votes_and_result(anonymous, session):
    decision = session["decision"]

    (shown,) = _detail(anonymous, session["meeting"], lang="en")["decisions"]

    assert shown == {
        "id": decision.pk,
        "url": f"http://testserver/api/v1/decisions/{decision.pk}/",
        "agenda_item": session["agenda"][0].pk,
        "number": "7",
        "text": "The resolution is adopted",
        "text_translations": {
            "kk": "Қаулы қабылдансын",
            "ru": "Постановление принять",
            "en": "The resolution is adopted",
        },
        "required_majority": "simple_present",
        "required_majority_label": _label(Majority.SIMPLE_PRESENT, "en"),
        "votes_for": 2,
        "votes_against": 1,
        "votes_abstained": 0,
        "members_entitled": 5,
        "members_present": 3,
        "votes_needed": 2,
        "result": "adopted",
        "result_label": _label(decision.Result.ADOPTED, "en"),
    }


def test_the_elections_carry_their_ballots_candidates_and_result(anonymous, session):
    election, winner, loser = session["election"], session["winner"], session["loser"]

    (shown,) = _detail(anonymous, session["meeting"], lang="en")["elections"]

    assert shown["id"] == election.pk
    assert shown["url"] == f"http://testserver/api/v1/elections/{election.pk}/"
    assert shown["agenda_item"] == session["agenda"][3].pk
    assert shown["title"] == "Election of a deputy chairman"
    assert (shown["seats"], shown["seats_filled"], shown["tie"]) == (1, 1, False)
    assert (shown["ballots_issued"], shown["ballots_cast"], shown["ballots_invalid"]) == (3, 3, 0)
    assert shown["rule"] == "absolute_majority"
    with translation.override("en"):
        election.refresh_from_db()
        assert shown["result_summary"] == election.result_summary()
    assert shown["candidates"] == [
        {
            "person": {
                "name": winner.full_name_latin,
                "slug": winner.slug,
                "url": f"http://testserver/api/v1/persons/{winner.slug}/",
                "web_url": f"http://testserver/en/members/{winner.slug}/",
            },
            "votes": 2,
            "elected": True,
        },
        # Named as on the meeting's page, but no member: no public page to point to.
        {
            "person": {"name": loser.full_name_latin, "slug": None, "url": None, "web_url": None},
            "votes": 1,
            "elected": False,
        },
    ]


def test_an_election_without_a_computed_result_has_no_summary(anonymous, session):
    ElectionFactory(meeting=session["meeting"], title_kk="Есептелмеген сайлау")

    elections = _detail(anonymous, session["meeting"])["elections"]

    assert [election["result_summary"] == "" for election in elections] == [False, True]


def test_the_attendance_is_given_as_counts_only(anonymous, session):
    detail = _detail(anonymous, session["meeting"], lang="en")

    assert detail["attendance"] == {
        "entitled": 5,
        "attended": 3,
        "by_status": [
            {"status": status, "status_label": _label(status, "en"), "count": count}
            for status, count in zip(Attendance.Status, (2, 1, 1, 1), strict=True)
        ],
    }
    page = str(detail)
    for membership in session["members"]:
        assert membership.person.slug not in page
        assert membership.person.full_name_latin not in page


def test_a_planned_meeting_has_no_attendance_yet(anonymous):
    memberships_of(national_body("council"), 3)
    meeting = MeetingFactory(status="planned", start_date=timezone.localdate() + datetime.timedelta(days=10))

    detail = _detail(anonymous, meeting)

    assert detail["attendance"] is None
    assert (detail["agenda"], detail["documents"], detail["decisions"], detail["elections"]) == ([], [], [], [])


def test_an_unknown_meeting_is_404(anonymous):
    assert anonymous.get(f"{URL}999999/").status_code == 404
    assert anonymous.get(f"{URL}not-a-number/").status_code == 404


def test_the_detail_queries_do_not_grow_with_the_file(anonymous, session, django_assert_num_queries):
    """3 and then 30 agenda items, public documents, decisions and elections with 3 and then 30 candidates."""
    meeting = session["meeting"]
    election = session["election"]

    def more(count):
        for index in range(count):
            AgendaItemFactory(meeting=meeting, order=10 + index)
            DocumentFactory(meeting=meeting, is_public=True)
            ElectionFactory(meeting=meeting)
            DecisionFactory(meeting=meeting, votes_for=1)
            CandidateFactory(election=election)

    sizes = []
    for count in (2, 27):
        more(count)
        # Meeting, agenda, documents, decisions, elections, candidates, attendance counts, entitled members.
        with django_assert_num_queries(8):
            detail = _detail(anonymous, meeting)
        sizes.append([len(detail[part]) for part in ("agenda", "documents", "decisions", "elections")])

    assert sizes == [[6, 3, 3, 3], [33, 30, 30, 30]]
    assert len(detail["elections"][0]["candidates"]) == 31


# Languages.


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_texts_follow_the_language_asked_for(session, language):
    meeting = session["meeting"]
    by_parameter = _detail(api_client(language="kk"), meeting, lang=language)
    by_header = _detail(api_client(language=language), meeting)

    assert by_parameter == by_header
    venue = {
        "kk": "Астана, Бейбітшілік және келісім сарайы",
        "ru": "Астана, Дворец мира и согласия",
        "en": "Astana, Palace of Peace and Reconciliation",
    }
    assert by_parameter["venue"] == venue[language]
    assert by_parameter["venue_translations"] == venue
    assert by_parameter["theme"] == getattr(meeting, f"theme_{language}")
    assert by_parameter["body"]["name"] == getattr(national_body("assembly"), f"name_{language}")
    assert by_parameter["status_label"] == _label(Meeting.Status.HELD, language)
    assert by_parameter["web_url"] == f"http://testserver/{language}/sessions/{meeting.pk}/"
    assert by_parameter["decisions"][0]["text"] == getattr(session["decision"], f"text_{language}")
    assert by_parameter["elections"][0]["title"] == getattr(session["election"], f"title_{language}")
    with translation.override(language):
        assert by_parameter["title"] == meeting.title
        assert by_parameter["elections"][0]["candidates"][1]["person"]["name"] == session["loser"].display_name


def test_an_untranslated_text_falls_back_to_kazakh(anonymous, session):
    agenda = _detail(anonymous, session["meeting"], lang="en")["agenda"]

    # The first item has Kazakh and Russian titles only; the second has an English one.
    assert agenda[0]["title"] == "Төрағаның баяндамасы"
    assert agenda[0]["title_translations"] == {"kk": "Төрағаның баяндамасы", "ru": "Доклад Председателя", "en": ""}
    assert agenda[3]["title"] == "The election"


# What the API never shows.


@pytest.fixture
def planted(session):
    """A candidate with unique private values, in the session's election; a restricted document."""
    birth_date = datetime.date(1961, 7, 23)
    group = EthnicGroupFactory(slug="secret-group", name_kk="Құпиятоп", name_ru="Секретэтнос", name_en="Secretethnos")
    person = PersonFactory(
        surname="Жасырынов",
        given_name="Адам",
        patronymic="",
        gender="male",
        birth_date=birth_date,
        iin=next_iin(birth_date, "male"),
        phone="+7 (777) 314-15-92",
        email="zhasyryn.adam@private-mail.kz",
        ethnic_group=group,
        ethnicity_public=False,
    )
    MembershipFactory(person=person, body=national_body("council"))
    CandidateFactory(election=session["election"], person=person, votes=0)
    return {**session, "person": person}


def _private_values(planted) -> dict[str, str]:
    person, restricted = planted["person"], planted["restricted"]
    return {
        "IIN": person.iin,
        "birth date": "1961-07-23",
        "birth date (local)": "23.07.1961",
        "phone": "314-15-92",
        "e-mail": "zhasyryn.adam",
        "ethnic group": "Құпиятоп",
        "ethnic group (ru)": "Секретэтнос",
        "ethnic group (en)": "Secretethnos",
        "ethnic group slug": "secret-group",
        "restricted document": "Қызметтік хат (жабық)",
        "restricted file": "qupiya-hat",
        "restricted document link": f"/sessions/documents/{restricted.pk}/",
    }


def test_no_private_value_reaches_an_answer(planted):
    meeting, election = planted["meeting"], planted["election"]
    urls = [
        URL,
        f"{URL}?year=2024",
        f"{URL}{meeting.pk}/",
        "/api/v1/agenda-items/",
        f"/api/v1/agenda-items/?meeting={meeting.pk}",
        "/api/v1/decisions/",
        f"/api/v1/decisions/{planted['decision'].pk}/",
        "/api/v1/elections/",
        f"/api/v1/elections/{election.pk}/",
    ]
    shown = 0
    for language in LANGUAGES:
        client = api_client(language=language)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            answer = response.content.decode()
            for label, value in _private_values(planted).items():
                assert value not in answer, (url, language, label)
            assert "7773141592" not in re.sub(r"\D", "", answer), url
            shown += planted["person"].slug in answer

    # The person really is in the answers: the meeting's detail and both election endpoints.
    assert shown == 3 * len(LANGUAGES)


def test_a_candidate_who_is_a_member_is_linked_with_public_fields_only(anonymous, planted):
    person = planted["person"]

    election = anonymous.get(f"/api/v1/elections/{planted['election'].pk}/").json()

    (candidate,) = (c for c in election["candidates"] if c["person"]["slug"] == person.slug)
    assert candidate["person"] == {
        "name": person.full_name,
        "slug": person.slug,
        "url": f"http://testserver/api/v1/persons/{person.slug}/",
        "web_url": f"http://testserver/kk/members/{person.slug}/",
    }
    assert anonymous.get(candidate["person"]["url"]).status_code == 200
    assert anonymous.get(candidate["person"]["web_url"]).status_code == 200
