"""Open formats: RSS and Atom of sessions, iCalendar of upcoming meetings, sitemap.xml, robots.txt."""

import datetime
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import icalendar
import pytest
from django.urls import resolve
from django.utils import timezone, translation

from tests.factories import CandidateFactory, MeetingFactory, MembershipFactory, PersonFactory, national_body

from .helpers import LANGUAGES

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def _xml(response) -> ET.Element:
    return ET.fromstring(response.content)


def _meeting_of(url: str, language: str):
    """The meeting a feed link points at, checking it is a session page in ``language``."""
    path = urlsplit(url).path
    assert path.startswith(f"/{language}/sessions/")
    with translation.override(language):
        match = resolve(path)
    assert match.view_name == "sessions:detail"
    return match.kwargs["pk"]


@pytest.fixture
def meetings(db):
    today = timezone.localdate()
    return {
        "held": MeetingFactory(
            body=national_body("assembly"),
            number=70,
            start_date=today - datetime.timedelta(days=2),
            theme_kk="Өткен сессия",
            theme_ru="Прошедшая сессия",
        ),
        "planned": MeetingFactory(
            number=71,
            status="planned",
            start_date=today + datetime.timedelta(days=14),
            end_date=today + datetime.timedelta(days=15),
            venue_kk="Астана",
            theme_kk="Келесі отырыс",
        ),
        "planned_regional": MeetingFactory(
            body=national_body("almaty-assembly"),
            number=5,
            status="planned",
            start_date=today + datetime.timedelta(days=3),
        ),
        "planned_but_overdue": MeetingFactory(
            number=72, status="planned", start_date=today - datetime.timedelta(days=1)
        ),
        "cancelled": MeetingFactory(number=73, status="cancelled", start_date=today + datetime.timedelta(days=20)),
    }


# RSS and Atom.


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_rss_feed_is_valid_xml_whose_items_link_to_session_pages(client, meetings, language):
    response = client.get(f"/{language}/sessions/feed/rss/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = _xml(response).find("channel")
    with translation.override(language):
        assert channel.findtext("title") == str(
            translation.gettext("Sessions of the Assembly of the People of Kazakhstan")
        )
    assert urlsplit(channel.findtext("link")).path == f"/{language}/sessions/"
    items = channel.findall("item")
    assert items
    linked = [_meeting_of(item.findtext("link"), language) for item in items]
    assert linked[:2] == [meetings["cancelled"].pk, meetings["planned"].pk]
    assert all(item.findtext("title") for item in items)


def test_the_rss_feed_tells_the_theme_in_the_visitors_language(client, meetings):
    russian = _xml(client.get("/ru/sessions/feed/rss/"))

    held = next(
        item
        for item in russian.iter("item")
        if urlsplit(item.findtext("link")).path == f"/ru/sessions/{meetings['held'].pk}/"
    )
    assert "Прошедшая сессия" in held.findtext("description")
    with translation.override("ru"):
        assert held.findtext("title") == meetings["held"].title


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_atom_feed_is_valid_xml_whose_entries_link_to_session_pages(client, meetings, language):
    response = client.get(f"/{language}/sessions/feed/atom/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = _xml(response)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        _meeting_of(entry.find(f"{ATOM}link").get("href"), language)
        # RFC 4287: every entry has exactly one atom:updated.
        assert len(entry.findall(f"{ATOM}updated")) == 1


def test_the_feeds_are_limited_to_fifty_items_in_a_constant_number_of_queries(
    client, meetings, django_assert_num_queries
):
    for index in range(60):
        MeetingFactory(start_date=datetime.date(2010, 1, 1) + datetime.timedelta(days=index))

    with django_assert_num_queries(1):
        response = client.get("/kk/sessions/feed/rss/")

    assert len(_xml(response).findall("channel/item")) == 50


# iCalendar.


def _events(response) -> list:
    calendar = icalendar.Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_calendar_holds_the_planned_future_meetings_only(client, meetings, language):
    response = client.get(f"/{language}/sessions/upcoming.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = _events(response)
    linked = [_meeting_of(str(event["url"]), language) for event in events]
    assert sorted(linked) == sorted([meetings["planned"].pk, meetings["planned_regional"].pk])


def test_a_calendar_event_has_the_dates_title_and_venue(client, meetings):
    planned = meetings["planned"]

    events = _events(client.get("/kk/sessions/upcoming.ics"))

    event = next(event for event in events if str(event["url"]).endswith(f"/sessions/{planned.pk}/"))
    assert event.decoded("dtstart") == planned.start_date
    # DTEND of an all-day event is exclusive: the day after the last day.
    assert event.decoded("dtend") == planned.end_date + datetime.timedelta(days=1)
    with translation.override("kk"):
        assert str(event["summary"]) == planned.title
    assert str(event["location"]) == "Астана"
    assert str(event["description"]) == "Келесі отырыс"
    assert str(event["uid"]) == f"meeting-{planned.pk}@assembly.kz"


def test_the_calendar_is_empty_without_planned_meetings(client):
    response = client.get("/en/sessions/upcoming.ics")

    assert response.status_code == 200
    assert _events(response) == []
    assert icalendar.Calendar.from_ical(response.content)["version"] == "2.0"


# sitemap.xml


def test_the_sitemap_index_lists_every_section(client):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    locations = {urlsplit(element.text).path for element in _xml(response).iter(f"{SITEMAP}loc")}
    assert locations == {f"/sitemap-{section}.xml" for section in ("pages", "members", "bodies", "regions", "sessions")}


def _urls(response) -> dict[str, dict[str, str]]:
    """Each <url>'s location path -> its alternates (hreflang -> path)."""
    return {
        urlsplit(url.findtext(f"{SITEMAP}loc")).path: {
            link.get("hreflang"): urlsplit(link.get("href")).path for link in url.findall(f"{XHTML}link")
        }
        for url in _xml(response).findall(f"{SITEMAP}url")
    }


@pytest.mark.parametrize("section", ["pages", "members", "bodies", "regions", "sessions"])
def test_every_sitemap_section_is_valid_xml_with_the_three_languages_as_alternates(client, meetings, section):
    MembershipFactory()

    response = client.get(f"/sitemap-{section}.xml")

    assert response.status_code == 200
    urls = _urls(response)
    assert urls
    for location, alternates in urls.items():
        language = location.split("/")[1]
        assert language in LANGUAGES
        assert set(alternates) == {"kk", "ru", "en", "x-default"}
        assert alternates[language] == location
        rest = location[len(language) + 1 :]
        assert alternates == {"kk": f"/kk{rest}", "ru": f"/ru{rest}", "en": f"/en{rest}", "x-default": rest}
        with translation.override(language):
            assert resolve(location)


def test_the_sitemap_lists_the_members_in_every_language_but_not_other_persons(client):
    member = MembershipFactory().person
    candidate = CandidateFactory().person
    stranger = PersonFactory()

    urls = _urls(client.get("/sitemap-members.xml"))

    for language in LANGUAGES:
        assert f"/{language}/members/{member.slug}/" in urls
    for person in (candidate, stranger):
        assert not any(person.slug in location for location in urls)


def test_the_sitemap_lists_the_pages_regions_bodies_and_sessions(client, meetings):
    pages = _urls(client.get("/sitemap-pages.xml"))
    regions = _urls(client.get("/sitemap-regions.xml"))
    bodies = _urls(client.get("/sitemap-bodies.xml"))
    sessions = _urls(client.get("/sitemap-sessions.xml"))

    assert {"/kk/", "/ru/members/", "/en/composition/", "/kk/associations/", "/ru/sessions/"} <= set(pages)
    assert len(regions) == 20 * 3 and "/en/regions/almaty/" in regions
    assert "/ru/bodies/council/" in bodies
    assert f"/kk/sessions/{meetings['planned'].pk}/" in sessions


def test_an_x_default_address_sends_the_visitor_to_a_language(client):
    response = client.get("/members/", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 302
    assert response["Location"] == "/ru/members/"


# robots.txt


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_points_at_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert {"Disallow: /kk/admin/", "Disallow: /ru/admin/", "Disallow: /en/admin/"} <= set(lines)
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert not any(line in {"Disallow: /", "Disallow: /kk/", "Disallow: /ru/", "Disallow: /en/"} for line in lines)


def test_robots_txt_answers_get_only(client):
    assert client.post("/robots.txt").status_code == 405
