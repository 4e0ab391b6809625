"""The public endpoints of the parts of a meeting's file: agenda items (/api/v1/agenda-items/),
decisions (/api/v1/decisions/) and elections with their results (/api/v1/elections/)."""

import datetime

import pytest
from django.utils import translation

from sessions import services
from sessions.models import AgendaItem, Decision, Election, Majority, Meeting
from tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    CandidateFactory,
    DecisionFactory,
    ElectionFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    PostFactory,
    api_client,
    memberships_of,
    national_body,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ("kk", "ru", "en")


@pytest.fixture
def anonymous():
    return api_client(language="kk")


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def _label(choice, language: str) -> str:
    with translation.override(language):
        return str(choice.label)


def _quorate(meeting: Meeting, members: int = 2) -> Meeting:
    """Members entitled on the meeting's day, all present, so that decisions can be recorded."""
    memberships_of(meeting.body, members, start_date=meeting.start_date - datetime.timedelta(days=30))
    services.attendance_mark_all_present(meeting=meeting)
    return meeting


def _meeting_summary(meeting: Meeting, language: str = "kk") -> dict:
    with translation.override(language):
        return {
            "id": meeting.pk,
            "url": f"http://testserver/api/v1/sessions/{meeting.pk}/",
            "web_url": f"http://testserver/{language}/sessions/{meeting.pk}/",
            "title": meeting.title,
            "body": {
                "slug": meeting.body.slug,
                "url": f"http://testserver/api/v1/bodies/{meeting.body.slug}/",
                "name": meeting.body.name,
            },
            "start_date": meeting.start_date.isoformat(),
        }


@pytest.fixture
def meetings(db):
    """A Council meeting of 2024 and one of 2025, and a session of a regional assembly of 2024,
    each with two members present."""
    return {
        "council_2024": _quorate(MeetingFactory(body=national_body("council"), start_date=datetime.date(2024, 3, 1))),
        "council_2025": _quorate(MeetingFactory(body=national_body("council"), start_date=datetime.date(2025, 9, 1))),
        "almaty_2024": _quorate(
            MeetingFactory(body=national_body("almaty-assembly"), number=7, start_date=datetime.date(2024, 6, 1))
        ),
    }


# Agenda items.


@pytest.fixture
def agenda(meetings):
    council = meetings["council_2024"]
    top = AgendaItemFactory(meeting=council, order=1, title_kk="Баяндама", title_ru="Доклад", title_en="Report")
    return {
        "top": top,
        "sub": AgendaItemFactory(meeting=council, parent=top, order=1, kind="discussion"),
        "second": AgendaItemFactory(meeting=council, order=2, kind="decision"),
        "later": AgendaItemFactory(meeting=meetings["council_2025"], order=1, kind="election"),
    }


def test_an_agenda_item_names_its_meeting_and_parent(anonymous, meetings, agenda):
    sub = agenda["sub"]

    response = anonymous.get(f"/api/v1/agenda-items/{sub.pk}/", {"lang": "en"})

    assert response.status_code == 200
    assert response.json() == {
        "id": sub.pk,
        "url": f"http://testserver/api/v1/agenda-items/{sub.pk}/",
        "parent": agenda["top"].pk,
        "order": 1,
        "kind": "discussion",
        "kind_label": _label(AgendaItem.Kind.DISCUSSION, "en"),
        "title": sub.title_kk,
        "title_translations": {"kk": sub.title_kk, "ru": "", "en": ""},
        "meeting": _meeting_summary(meetings["council_2024"], "en"),
    }


def test_the_agenda_items_are_listed_newest_meeting_first_top_level_first(anonymous, agenda):
    ids = _ids(anonymous.get("/api/v1/agenda-items/"))

    assert ids == [agenda[key].pk for key in ("later", "top", "second", "sub")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"meeting": "council_2024"}, {"top", "sub", "second"}),
        ({"meeting": "council_2025"}, {"later"}),
        ({"meeting": "almaty_2024"}, set()),
        ({"kind": "discussion"}, {"sub"}),
        ({"meeting": "council_2024", "kind": "decision"}, {"second"}),
        ({"body": "council", "year": "2025"}, {"later"}),
        ({"body": "almaty-assembly"}, set()),
        ({"year": "2024"}, {"top", "sub", "second"}),
    ],
)
def test_the_agenda_items_filter(anonymous, meetings, agenda, query, expected):
    if "meeting" in query:
        query = {**query, "meeting": meetings[query["meeting"]].pk}

    assert set(_ids(anonymous.get("/api/v1/agenda-items/", query))) == {agenda[key].pk for key in expected}


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_agenda_item_follows_the_language_asked_for(agenda, language):
    row = api_client(language=language).get(f"/api/v1/agenda-items/{agenda['top'].pk}/").json()

    assert row["title"] == {"kk": "Баяндама", "ru": "Доклад", "en": "Report"}[language]
    assert row["kind_label"] == _label(AgendaItem.Kind.REPORT, language)
    assert row["meeting"] == _meeting_summary(agenda["top"].meeting, language)


def test_the_agenda_items_can_be_ordered_by_position(anonymous, meetings, agenda):
    ids = _ids(anonymous.get("/api/v1/agenda-items/", {"meeting": meetings["council_2024"].pk, "ordering": "order"}))

    # Ties (the first item and its first sub-item) are broken by id.
    assert ids == sorted([agenda["top"].pk, agenda["sub"].pk]) + [agenda["second"].pk]


# Decisions.


@pytest.fixture
def decisions(meetings):
    return {
        "adopted_2024": DecisionFactory(
            meeting=meetings["council_2024"], number="1", text_kk="Қабылдансын", text_en="To adopt", votes_for=2
        ),
        "rejected_2024": DecisionFactory(
            meeting=meetings["council_2024"],
            number="2",
            required_majority="two_thirds_present",
            votes_for=1,
            votes_against=1,
        ),
        # The members of 2024 are still members in 2025: four present.
        "adopted_2025": DecisionFactory(meeting=meetings["council_2025"], votes_for=4),
        "almaty": DecisionFactory(meeting=meetings["almaty_2024"], votes_for=2),
    }


def test_a_decision_carries_its_votes_result_and_meeting(anonymous, meetings, decisions):
    decision = decisions["rejected_2024"]

    response = anonymous.get(f"/api/v1/decisions/{decision.pk}/", {"lang": "ru"})

    assert response.status_code == 200
    row = response.json()
    assert row["meeting"] == _meeting_summary(meetings["council_2024"], "ru")
    assert {key: row[key] for key in row if key not in {"meeting", "text", "text_translations"}} == {
        "id": decision.pk,
        "url": f"http://testserver/api/v1/decisions/{decision.pk}/",
        "agenda_item": None,
        "number": "2",
        "required_majority": "two_thirds_present",
        "required_majority_label": _label(Majority.TWO_THIRDS_PRESENT, "ru"),
        "votes_for": 1,
        "votes_against": 1,
        "votes_abstained": 0,
        "members_entitled": 2,
        "members_present": 2,
        # Two thirds of the two members present.
        "votes_needed": 2,
        "result": "rejected",
        "result_label": _label(Decision.Result.REJECTED, "ru"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"meeting": "council_2024"}, {"adopted_2024", "rejected_2024"}),
        ({"body": "council"}, {"adopted_2024", "rejected_2024", "adopted_2025"}),
        ({"body": "almaty-assembly"}, {"almaty"}),
        ({"year": "2024"}, {"adopted_2024", "rejected_2024", "almaty"}),
        ({"year": "2025", "body": "council"}, {"adopted_2025"}),
        ({"result": "rejected"}, {"rejected_2024"}),
        ({"result": "adopted", "year": "2024"}, {"adopted_2024", "almaty"}),
    ],
)
def test_the_decisions_filter(anonymous, meetings, decisions, query, expected):
    if "meeting" in query:
        query = {**query, "meeting": meetings[query["meeting"]].pk}

    assert set(_ids(anonymous.get("/api/v1/decisions/", query))) == {decisions[key].pk for key in expected}


def test_the_decisions_are_listed_newest_meeting_first_then_as_recorded(anonymous, decisions):
    ids = _ids(anonymous.get("/api/v1/decisions/"))

    assert ids == [decisions[key].pk for key in ("adopted_2025", "almaty", "adopted_2024", "rejected_2024")]
    oldest_first = _ids(anonymous.get("/api/v1/decisions/", {"ordering": "meeting_date"}))
    assert oldest_first == [decisions[key].pk for key in ("adopted_2024", "rejected_2024", "almaty", "adopted_2025")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_decision_follows_the_language_asked_for(decisions, language):
    row = api_client(language=language).get(f"/api/v1/decisions/{decisions['adopted_2024'].pk}/").json()

    # No Russian text: the Kazakh one.
    assert row["text"] == {"kk": "Қабылдансын", "ru": "Қабылдансын", "en": "To adopt"}[language]
    assert row["text_translations"] == {"kk": "Қабылдансын", "ru": "", "en": "To adopt"}
    assert row["result_label"] == _label(Decision.Result.ADOPTED, language)


# Elections.


@pytest.fixture
def elections(meetings):
    council = meetings["council_2024"]
    member = MembershipFactory(body=national_body("council")).person
    outsider = PersonFactory()
    senate = ElectionFactory(
        meeting=council,
        kind="senate_proposal",
        title_kk="Сенатқа ұсыныс",
        title_ru="Предложения в Сенат",
        seats=1,
        ballots_issued=2,
        ballots_cast=2,
    )
    elected = CandidateFactory(election=senate, person=member)
    not_elected = CandidateFactory(election=senate, person=outsider)
    services.election_set_votes(election=senate, votes={elected.pk: 2, not_elected.pk: 0})
    return {
        "senate": senate,
        "member": member,
        "outsider": outsider,
        "other_2025": ElectionFactory(meeting=meetings["council_2025"], kind="other"),
        "almaty": ElectionFactory(meeting=meetings["almaty_2024"], kind="deputy_chairmen"),
    }


def test_an_election_carries_its_ballots_candidates_result_and_meeting(anonymous, meetings, elections):
    senate, member, outsider = elections["senate"], elections["member"], elections["outsider"]

    response = anonymous.get(f"/api/v1/elections/{senate.pk}/", {"lang": "en"})

    assert response.status_code == 200
    senate.refresh_from_db()
    with translation.override("en"):
        summary = senate.result_summary()
    assert response.json() == {
        "id": senate.pk,
        "url": f"http://testserver/api/v1/elections/{senate.pk}/",
        "agenda_item": None,
        "kind": "senate_proposal",
        "kind_label": _label(Election.Kind.SENATE_PROPOSAL, "en"),
        "title": "Сенатқа ұсыныс",
        "title_translations": {"kk": "Сенатқа ұсыныс", "ru": "Предложения в Сенат", "en": ""},
        "rule": "absolute_majority",
        "rule_label": _label(Election.Rule.ABSOLUTE_MAJORITY, "en"),
        "secret_ballot": True,
        "seats": 1,
        "seats_filled": 1,
        "ballots_issued": 2,
        "ballots_cast": 2,
        "ballots_invalid": 0,
        "tie": False,
        "result_summary": summary,
        "candidates": [
            {
                "person": {
                    "name": member.full_name_latin,
                    "slug": member.slug,
                    "url": f"http://testserver/api/v1/persons/{member.slug}/",
                    "web_url": f"http://testserver/en/members/{member.slug}/",
                },
                "votes": 2,
                "elected": True,
            },
            {
                "person": {"name": outsider.full_name_latin, "slug": None, "url": None, "web_url": None},
                "votes": 0,
                "elected": False,
            },
        ],
        "meeting": _meeting_summary(meetings["council_2024"], "en"),
    }
    assert summary


def test_the_result_summary_follows_the_language_asked_for(elections):
    senate = elections["senate"]
    # Computed by someone working in Russian: the summary is told again in each language.
    with translation.override("ru"):
        services.election_compute(election=senate)
    senate.refresh_from_db()

    for language in LANGUAGES:
        row = api_client(language=language).get(f"/api/v1/elections/{senate.pk}/").json()
        with translation.override(language):
            assert row["result_summary"] == senate.result_summary()
        assert row["title"] == {"kk": "Сенатқа ұсыныс", "ru": "Предложения в Сенат", "en": "Сенатқа ұсыныс"}[language]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"meeting": "council_2024"}, {"senate"}),
        ({"body": "council"}, {"senate", "other_2025"}),
        ({"body": "almaty-assembly"}, {"almaty"}),
        ({"year": "2024"}, {"senate", "almaty"}),
        ({"year": "2025"}, {"other_2025"}),
        ({"kind": "deputy_chairmen"}, {"almaty"}),
        ({"kind": "senate_proposal", "body": "council", "year": "2024"}, {"senate"}),
        ({"kind": "mazhilis"}, set()),
    ],
)
def test_the_elections_filter(anonymous, meetings, elections, query, expected):
    if "meeting" in query:
        query = {**query, "meeting": meetings[query["meeting"]].pk}

    assert set(_ids(anonymous.get("/api/v1/elections/", query))) == {elections[key].pk for key in expected}


def test_the_elections_are_listed_newest_meeting_first(anonymous, elections):
    ids = _ids(anonymous.get("/api/v1/elections/"))

    assert ids == [elections[key].pk for key in ("other_2025", "almaty", "senate")]


# What every one of the three shares: bad values, unknown objects, stable pages, query counts.

ENDPOINTS = ("/api/v1/agenda-items/", "/api/v1/decisions/", "/api/v1/elections/")


@pytest.mark.parametrize(
    ("endpoint", "parameter", "value"),
    [
        *[(endpoint, "meeting", "abc") for endpoint in ENDPOINTS],
        *[(endpoint, "meeting", "999999") for endpoint in ENDPOINTS],
        *[(endpoint, "meeting", "99999999999999999999") for endpoint in ENDPOINTS],
        *[(endpoint, "ordering", "title") for endpoint in ENDPOINTS],
        *[(endpoint, "page_size", "0") for endpoint in ENDPOINTS],
        *[(endpoint, "body", "no-such-body") for endpoint in ENDPOINTS],
        *[(endpoint, "year", "abc") for endpoint in ENDPOINTS],
        *[(endpoint, "year", "1900") for endpoint in ENDPOINTS],
        ("/api/v1/agenda-items/", "kind", "speech"),
        ("/api/v1/decisions/", "result", "postponed"),
        ("/api/v1/elections/", "year", "2024.5"),
        ("/api/v1/elections/", "kind", "president"),
    ],
)
def test_a_bad_parameter_is_a_400_that_names_it(anonymous, endpoint, parameter, value):
    response = anonymous.get(endpoint, {parameter: value})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [parameter]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_an_unknown_object_is_404(anonymous, endpoint):
    assert anonymous.get(f"{endpoint}999999/").status_code == 404
    assert anonymous.get(f"{endpoint}abc/").status_code == 404


def _fill(body, count: int) -> None:
    """``count`` rows in each of the three, on three meetings, with two candidates per election."""
    if not body.posts.exists():
        PostFactory(body=body)
    meetings = [MeetingFactory(body=body, number=None, start_date=datetime.date(2024, 1, day)) for day in (1, 2, 3)]
    memberships_of(body, 2, start_date=datetime.date(2023, 1, 1))
    for meeting in meetings:
        services.attendance_mark_all_present(meeting=meeting)
    for index in range(count):
        meeting = meetings[index % 3]
        AgendaItemFactory(meeting=meeting, parent=AgendaItem.objects.filter(meeting=meeting).first())
        DecisionFactory(meeting=meeting, votes_for=1)
        election = ElectionFactory(meeting=meeting)
        CandidateFactory(election=election, person=MembershipFactory(body=national_body("council")).person)
        CandidateFactory(election=election)


@pytest.mark.parametrize(
    ("endpoint", "queries"),
    [
        # The body of the filter, the count, the page.
        ("/api/v1/agenda-items/", 3),
        ("/api/v1/decisions/", 3),
        # ... and the candidates.
        ("/api/v1/elections/", 4),
    ],
)
def test_the_list_queries_do_not_grow_with_the_data(anonymous, django_assert_num_queries, endpoint, queries):
    body = BodyFactory()

    counts = []
    for count in (3, 27):
        _fill(body, count)
        with django_assert_num_queries(queries):
            response = anonymous.get(endpoint, {"body": body.slug})
        counts.append(response.json()["count"])

    assert counts == [3, 30]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_detail_is_one_query_and_an_election_two(anonymous, django_assert_num_queries, endpoint):
    body = BodyFactory()
    _fill(body, 1)
    model = {"agenda-items": AgendaItem, "decisions": Decision, "elections": Election}[endpoint.split("/")[3]]
    url = f"{endpoint}{model.objects.get().pk}/"

    with django_assert_num_queries(2 if model is Election else 1):
        response = anonymous.get(url)

    assert response.status_code == 200


def test_the_election_queries_do_not_grow_with_the_candidates(anonymous, django_assert_num_queries, elections):
    senate = elections["senate"]

    sizes = []
    for count in (1, 27):
        for _ in range(count):
            CandidateFactory(election=senate)
        # The election and its candidates.
        with django_assert_num_queries(2):
            sizes.append(len(anonymous.get(f"/api/v1/elections/{senate.pk}/").json()["candidates"]))

    assert sizes == [3, 30]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_pages_neither_overlap_nor_skip(anonymous, endpoint):
    body = BodyFactory()
    _fill(body, 7)

    seen = []
    for page in (1, 2, 3, 4):
        query = {"body": body.slug, "page_size": 2, "page": page, "ordering": "meeting_date"}
        seen += _ids(anonymous.get(endpoint, query))

    model = {"agenda-items": AgendaItem, "decisions": Decision, "elections": Election}[endpoint.split("/")[3]]
    assert len(seen) == 7
    assert sorted(seen) == sorted(model.objects.filter(meeting__body=body).values_list("pk", flat=True))
