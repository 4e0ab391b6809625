"""The list of sessions and meetings, the page of a meeting, and document downloads."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone, translation

from sessions import services
from sessions.models import Attendance, Meeting
from tests.factories import (
    AgendaItemFactory,
    CandidateFactory,
    DecisionFactory,
    DocumentFactory,
    ElectionFactory,
    LegalActFactory,
    MeetingFactory,
    PersonFactory,
    memberships_of,
    national_body,
)

from .helpers import (
    LANGUAGES,
    fetch_counting_queries,
    heading,
    hrefs,
    html_lang,
    label,
    table_rows,
    text,
    translated,
)

pytestmark = pytest.mark.django_db

NOT_UNDERSTOOD = "Some filter values were not understood and have been ignored:"


def _listed(response) -> list[Meeting]:
    return list(response.context["object_list"])


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


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_list_shows_the_meetings_newest_first(client, meetings, language):
    response = client.get(f"/{language}/sessions/")

    assert response.status_code == 200
    assert html_lang(response) == language
    listed = _listed(response)
    assert listed[0] == meetings["planned"]
    assert [m.start_date for m in listed] == sorted((m.start_date for m in listed), reverse=True)
    assert f'href="/{language}/sessions/{meetings["council_2024"].pk}/"' in text(response)


def test_the_list_shows_themes_in_the_visitors_language(client, meetings):
    assert "Плановая сессия" in text(client.get("/ru/sessions/"))
    # No English theme: the Kazakh one.
    assert "Жоспарлы сессия" in text(client.get("/en/sessions/"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("body=council", {"council_2024", "council_2025"}),
        ("body=council&year=2024", {"council_2024"}),
        ("year=2025&body=council", {"council_2025"}),
        ("kind=extraordinary&body=assembly&year=2024", {"extraordinary"}),
        ("status=planned", {"planned"}),
        ("status=cancelled", {"cancelled"}),
        ("body=almaty-assembly", {"cancelled"}),
    ],
)
def test_the_list_filters(client, meetings, query, expected):
    response = client.get(f"/kk/sessions/?{query}")

    assert set(_listed(response)) == {meetings[key] for key in expected}


def test_the_loaded_sessions_are_found_by_year_and_kind(client):
    response = client.get("/en/sessions/?body=assembly&year=2021&kind=extraordinary")

    assert [meeting.number_display for meeting in _listed(response)] == ["XXVIII"]


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("body", "no-such-body"),
        ("year", "last"),
        ("year", "1900"),
        ("year", "2024.5"),
        # Beyond what a date can hold: refused by the form, not left to fail in the query.
        ("year", "10000"),
        ("year", "99999999999"),
        ("year", "1e5"),
        ("kind", "secret"),
        ("status", "imaginary"),
    ],
)
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_bad_filter_value_is_explained_and_ignored(client, meetings, parameter, value, language):
    response = client.get(f"/{language}/sessions/", {"body": "council", parameter: value})

    assert response.status_code == 200
    assert parameter in response.context["filterset"].form.errors
    assert translated(NOT_UNDERSTOOD, language) in text(response)
    if parameter != "body":
        assert set(_listed(response)) == {meetings["council_2024"], meetings["council_2025"]}


def test_the_list_is_paginated_and_keeps_the_filters(client):
    council = national_body("council")
    for index in range(31):
        MeetingFactory(body=council, start_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=index))

    first = client.get("/kk/sessions/?body=council")
    second = client.get("/kk/sessions/?body=council&page=2")

    assert len(_listed(first)) == 30
    assert _listed(second)[0].start_date == datetime.date(2020, 1, 1)
    assert "?body=council&page=2" in hrefs(first)
    assert client.get("/kk/sessions/?page=abc").status_code == 200


def test_the_list_marks_a_cancelled_meeting(client, meetings):
    response = client.get("/en/sessions/?status=cancelled")

    assert f"({translated('cancelled', 'en')})" in text(response)


def test_the_list_links_to_the_feeds_and_the_calendar(client):
    page = text(client.get("/ru/sessions/"))

    assert 'type="application/rss+xml"' in page and 'href="/ru/sessions/feed/rss/"' in page
    assert 'type="application/atom+xml"' in page and 'href="/ru/sessions/feed/atom/"' in page
    assert 'href="/ru/sessions/upcoming.ics"' in page


SESSION_LIST_QUERIES = 3  # count, page, the body choices


SESSION_LIST_URLS = [
    ("/kk/sessions/", SESSION_LIST_QUERIES),
    ("/kk/sessions/?year=2024&kind=regular&status=held", SESSION_LIST_QUERIES),
    # A chosen body is looked up once to validate it.
    ("/kk/sessions/?body=almaty-assembly", SESSION_LIST_QUERIES + 1),
]


def test_the_list_queries_do_not_grow_with_the_data(client, django_assert_num_queries):
    def more(count):
        for index in range(count):
            for slug in ("council", "almaty-assembly"):
                MeetingFactory(
                    body=national_body(slug), start_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=index)
                )

    more(3)
    small = fetch_counting_queries(client, django_assert_num_queries, SESSION_LIST_URLS)
    more(27)
    large = fetch_counting_queries(client, django_assert_num_queries, SESSION_LIST_URLS)

    for before, after in zip(small, large, strict=True):
        assert len(_listed(before)) < len(_listed(after))


# The page of a meeting.


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
        venue_en="Astana, Palace of Peace and Reconciliation",
        theme_kk="Бірлік. Жасампаздық. Прогресс",
        theme_en="Unity. Creation. Progress",
        convened_by=LegalActFactory(number="512", date=datetime.date(2024, 3, 20), title="Сессияны шақыру туралы"),
    )
    first = AgendaItemFactory(
        meeting=meeting, order=1, title_kk="Төрағаның баяндамасы", title_en="The Chairman's report"
    )
    AgendaItemFactory(meeting=meeting, parent=first, order=1, title_kk="Бірінші тармақша", title_en="First sub-item")
    AgendaItemFactory(meeting=meeting, parent=first, order=2, title_kk="Екінші тармақша", title_en="Second sub-item")
    AgendaItemFactory(meeting=meeting, order=2, title_kk="Сайлау", title_en="The election", kind="election")
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
        number="7",
        text_kk="Қаулы қабылдансын",
        text_en="The resolution is adopted",
        votes_for=2,
        votes_against=1,
        votes_abstained=0,
    )
    election = ElectionFactory(
        meeting=meeting,
        title_kk="Төраға орынбасарын сайлау",
        title_en="Election of a deputy chairman",
        ballots_issued=3,
        ballots_cast=3,
    )
    winner = CandidateFactory(
        election=election, person=PersonFactory(surname="Жеңімпаз", given_name="Ержан", patronymic="")
    )
    loser = CandidateFactory(
        election=election, person=PersonFactory(surname="Екінші", given_name="Дана", patronymic="")
    )
    services.election_set_votes(election=election, votes={winner.pk: 2, loser.pk: 1})
    return {
        "meeting": meeting,
        "members": members,
        "decision": decision,
        "election": election,
        "public": DocumentFactory(meeting=meeting, title="Сессия қаулысы (ашық)", is_public=True),
        "restricted": DocumentFactory(meeting=meeting, title="Қызметтік хат (жабық)", is_public=False),
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_session_page_answers_in_each_language(client, session, language):
    response = client.get(f"/{language}/sessions/{session['meeting'].pk}/")

    assert response.status_code == 200
    assert html_lang(response) == language
    with translation.override(language):
        title = session["meeting"].title
    assert "XL" in title
    assert heading(response) == title


def test_the_session_page_shows_the_convening_act_venue_and_theme(client, session):
    response = client.get(f"/en/sessions/{session['meeting'].pk}/")
    page = text(response)

    with translation.override("en"):
        act = str(session["meeting"].convened_by)
    assert "512" in act and "20.03.2024" in act
    assert act in page
    assert "Astana, Palace of Peace and Reconciliation" in page
    assert "Unity. Creation. Progress" in page
    assert 'href="/en/bodies/assembly/"' in page


def test_the_session_page_shows_the_agenda_nested_in_order(client, session):
    response = client.get(f"/kk/sessions/{session['meeting'].pk}/")

    agenda = response.context["agenda"]
    assert [item.title for item in agenda] == ["Төрағаның баяндамасы", "Сайлау"]
    assert [sub.title for sub in agenda[0].subitems] == ["Бірінші тармақша", "Екінші тармақша"]
    assert agenda[1].subitems == []
    # The sub-items in a list of their own, inside the first item, before the second item.
    assert re.search(
        r"Төрағаның баяндамасы.*?<ol[^>]*>\s*<li[^>]*>\s*Бірінші тармақша.*?Екінші тармақша.*?</ol>.*?Сайлау",
        text(response),
        re.DOTALL,
    )


def test_the_session_page_lists_only_the_public_documents(client, session):
    for language in LANGUAGES:
        page = text(client.get(f"/{language}/sessions/{session['meeting'].pk}/"))
        assert "Сессия қаулысы (ашық)" in page
        assert f'href="/{language}/sessions/documents/{session["public"].pk}/"' in page
        assert "Қызметтік хат (жабық)" not in page
        assert f"/sessions/documents/{session['restricted'].pk}/" not in page


def test_the_session_page_shows_the_decisions_with_their_votes(client, session):
    response = client.get(f"/en/sessions/{session['meeting'].pk}/")

    assert response.context["decisions"] == [session["decision"]]
    header = next(row for row in table_rows(response) if translated("Abstained", "en") in row)
    decision = next(row for row in table_rows(response) if row and row[0].startswith("№ 7. The resolution is adopted"))
    shown = dict(zip(header, decision, strict=True))
    assert shown[translated("For", "en")] == "2"
    assert shown[translated("Against", "en")] == "1"
    assert shown[translated("Abstained", "en")] == "0"
    assert shown[translated("Result", "en")] == translated("adopted", "en")


def test_the_session_page_shows_the_elections_with_their_results(client, session):
    page = text(client.get(f"/en/sessions/{session['meeting'].pk}/"))

    assert "Election of a deputy chairman" in page
    winner = page.index("Jeñımpaz Erjan")
    loser = page.index("Ekınşı Dana")
    assert winner < loser
    assert translated("elected", "en") in page[winner:loser]
    assert translated("not elected", "en") in page[loser:]


def test_the_election_result_is_told_in_the_visitors_language(client, session):
    election = session["election"]
    with translation.override("ru"):
        services.election_compute(election=election)
    election.refresh_from_db()

    for language in LANGUAGES:
        page = text(client.get(f"/{language}/sessions/{session['meeting'].pk}/"))
        with translation.override(language):
            expected = translation.ngettext(
                "%(count)s of %(seats)s seat filled.", "%(count)s of %(seats)s seats filled.", 1
            ) % {"count": 1, "seats": 1}
        assert expected in page, language


def test_the_session_page_shows_the_attendance_figures_only(client, session):
    response = client.get(f"/en/sessions/{session['meeting'].pk}/")
    page = text(response)

    attendance = response.context["attendance"]
    assert attendance["entitled"] == 5 and attendance["attended"] == 3
    with translation.override("en"):
        by_status = {str(status): count for status, count in attendance["by_status"]}
    assert by_status == {
        label(Attendance.Status.PRESENT, "en"): 2,
        label(Attendance.Status.ABSENT, "en"): 1,
        label(Attendance.Status.EXCUSED, "en"): 1,
        label(Attendance.Status.LEFT_EARLY, "en"): 1,
    }
    assert translated("%(attended)s of %(entitled)s members attended.", "en") % {"attended": 3, "entitled": 5} in page
    # Who came and who did not is not published.
    for membership in session["members"]:
        assert membership.person.slug not in page
        assert membership.person.full_name_latin not in page


def test_the_attendance_counts_every_entitled_member_even_when_only_the_present_are_recorded(client):
    assembly = national_body("assembly")
    members = memberships_of(assembly, 4)
    meeting = MeetingFactory(body=assembly, start_date=datetime.date(2024, 4, 24))
    services.attendance_set(meeting=meeting, statuses={m.pk: Attendance.Status.PRESENT for m in members[:3]})

    attendance = client.get(f"/kk/sessions/{meeting.pk}/").context["attendance"]

    assert (attendance["attended"], attendance["entitled"]) == (3, 4)


def test_a_planned_meeting_shows_no_attendance_yet(client):
    memberships_of(national_body("council"), 3)
    meeting = MeetingFactory(status="planned", start_date=timezone.localdate() + datetime.timedelta(days=10))

    response = client.get(f"/en/sessions/{meeting.pk}/")

    assert response.status_code == 200
    assert translated("Attendance", "en") not in text(response).split("<main", 1)[1]


def test_an_unknown_meeting_is_404(client):
    assert client.get("/kk/sessions/999999/").status_code == 404


SESSION_QUERIES = 8  # meeting, agenda, entitled count, attendance counts, documents, decisions, elections, candidates


def test_the_session_page_queries_do_not_grow_with_the_file(client, session, django_assert_num_queries):
    url = f"/kk/sessions/{session['meeting'].pk}/"
    with django_assert_num_queries(SESSION_QUERIES):
        client.get(url)
    meeting = session["meeting"]
    for index in range(5):
        AgendaItemFactory(meeting=meeting, order=10 + index)
        DocumentFactory(meeting=meeting, is_public=True)
        CandidateFactory(election=ElectionFactory(meeting=meeting))
        DecisionFactory(meeting=meeting, votes_for=1)
    with django_assert_num_queries(SESSION_QUERIES):
        response = client.get(url)

    assert len(response.context["decisions"]) == 6


# Document downloads.


def test_a_public_document_is_downloadable_by_anyone(client, session):
    response = client.get(f"/ru/sessions/documents/{session['public'].pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test document"
    assert response["Content-Disposition"].startswith("inline")


@pytest.fixture
def users(django_user_model):
    permission = Permission.objects.get(content_type__app_label="assembly_sessions", codename="view_document")
    citizen = django_user_model.objects.create_user("citizen", password="pass-for-tests")
    citizen_with_permission = django_user_model.objects.create_user("odd-case", password="pass-for-tests")
    citizen_with_permission.user_permissions.add(permission)
    staff_without = django_user_model.objects.create_user("clerk", password="pass-for-tests", is_staff=True)
    staff_with = django_user_model.objects.create_user("secretary", password="pass-for-tests", is_staff=True)
    staff_with.user_permissions.add(permission)
    return {
        "citizen": citizen,
        "citizen_with_permission": citizen_with_permission,
        "staff_without": staff_without,
        "staff_with": staff_with,
    }


def test_a_restricted_document_is_404_for_the_public(client, session, users):
    url = f"/kk/sessions/documents/{session['restricted'].pk}/"

    assert client.get(url).status_code == 404
    for key in ("citizen", "citizen_with_permission", "staff_without"):
        client.force_login(users[key])
        assert client.get(url).status_code == 404, key


def test_a_restricted_document_is_served_to_staff_with_the_permission(client, session, users, staff_user):
    url = f"/kk/sessions/documents/{session['restricted'].pk}/"

    for user in (users["staff_with"], staff_user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.4 test document"


def test_a_missing_document_or_file_is_404(client, session):
    document = session["public"]
    document.file.storage.delete(document.file.name)

    assert client.get(f"/kk/sessions/documents/{document.pk}/").status_code == 404
    assert client.get("/kk/sessions/documents/999999/").status_code == 404
