"""A nomination walked in the browser from a regional office's draft, through the
Secretariat's steps in the portal, to a member listed on the public site."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from assembly.models import Body
from members.models import Membership
from regional.models import Nomination, NominationStatus
from tests.factories import PDF_BYTES, MeetingFactory, next_iin, regional_office_user, secretariat_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "portal-pass-2026"


def portal_url(name: str, *args) -> str:
    with override("en"):
        return reverse(f"portal:{name}", args=args)


def log_in(tab, user) -> None:
    tab.open(portal_url("login"))
    tab.page.fill("[name=username]", user.username)
    tab.page.fill("[name=password]", PASSWORD)
    with tab.page.expect_navigation():
        tab.page.locator("main form [type=submit]").click()


def take_step(tab, nomination: Nomination, action: str, **fields) -> None:
    """Fill the step's form on the nomination's page and submit it."""
    tab.open(portal_url("detail", nomination.pk))
    form = tab.page.locator(f'form[action="{portal_url("transition", nomination.pk, action)}"]')
    for name, value in fields.items():
        field = form.locator(f'[name="{action}-{name}"]')
        kind = field.evaluate("element => element.tagName + ':' + (element.type || '')")
        if kind.startswith("SELECT"):
            field.select_option(str(value))
        elif kind.endswith(":file"):
            field.set_input_files(str(value))
        else:
            field.fill(str(value))
    with tab.page.expect_navigation():
        form.locator("[type=submit]").click()


def with_password(user):
    user.set_password(PASSWORD)
    user.save()
    return user


def test_a_nomination_from_a_regional_offices_draft_to_a_member_on_the_public_site(new_tab, tmp_path):
    office = with_password(regional_office_user("75"))
    editor = with_password(secretariat_user("Secretariat editor"))
    decision = tmp_path / "decision.pdf"
    decision.write_bytes(PDF_BYTES)
    birth_date = datetime.date(1988, 2, 14)

    # The regional office writes a draft and submits it with the nominating decision.
    office_tab = new_tab()
    log_in(office_tab, office)
    office_tab.open(portal_url("create"))
    page = office_tab.page
    page.select_option("[name=track]", "national")
    page.fill("[name=surname]", "Тұрсынбаев")
    page.fill("[name=given_name]", "Айдос")
    page.fill("[name=iin]", next_iin(birth_date, "male"))
    page.fill("[name=birth_date]", birth_date.isoformat())
    page.select_option("[name=gender]", "male")
    page.select_option("[name=basis]", "regional_session")
    page.fill("[name=decision_number]", "7")
    page.fill("[name=decision_date]", "2026-09-01")
    with page.expect_navigation():
        page.locator("main form [type=submit]").last.click()
    nomination = Nomination.objects.get()
    assert nomination.status == NominationStatus.DRAFT
    take_step(office_tab, nomination, "submit", document=decision)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SUBMITTED, office_tab.page.inner_text("main")

    # The Secretariat accepts it, records the Council's recommendation, sends it to the
    # President and records the decree.
    secretariat_tab = new_tab()
    log_in(secretariat_tab, editor)
    council = Body.objects.get(kind=Body.Kind.COUNCIL, region__isnull=True)
    meeting = MeetingFactory(body=council, start_date=timezone.localdate())
    for action, fields in [
        ("accept", {}),
        ("recommend", {"council_meeting": meeting.pk}),
        ("send_to_president", {}),
        ("approve", {"decree_number": "901", "decree_date": timezone.localdate().isoformat()}),
    ]:
        nomination.refresh_from_db()
        before = nomination.status
        take_step(secretariat_tab, nomination, action, **fields)
        nomination.refresh_from_db()
        assert nomination.status != before, f"{action}: {secretariat_tab.page.inner_text('main')[:500]}"
    assert nomination.status == NominationStatus.APPROVED
    assert Membership.objects.current().filter(person__surname="Тұрсынбаев", body=nomination.target_body).count() == 1

    # The office sees the decision in the history; a citizen finds the new member.
    office_tab.open(portal_url("detail", nomination.pk))
    assert "901" in office_tab.page.inner_text("main")
    citizen = new_tab("phone")
    citizen.open("/kk/members/?q=Tursynbaev")
    assert "Тұрсынбаев Айдос" in citizen.page.locator(".member-list").inner_text()
    assert citizen.problems == []
