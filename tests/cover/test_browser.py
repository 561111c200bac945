"""Chromium: "Can't make it" from the calendar entry, a colleague agrees by email, My shifts."""

from __future__ import annotations

import re

import icalendar
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from calendars.models import CalendarPreferences
from calendars.sync import entry_uid
from scheduling.rotas.models import Seat
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/")


def open_my_shifts(page, base: str) -> None:
    """Follow the navigation's "My shifts" link, wherever it points."""
    page.goto(base + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My shifts").click()
    page.wait_for_load_state()


def cant_make_it_link(user, seat) -> str:
    """Return the "Can't make it?" link of the user's entry for the seat, as their feed shows it."""
    token = CalendarPreferences.for_user(user).feed_token
    feed = icalendar.Calendar.from_ical(
        Client().get(reverse("calendars:feed", args=[token])).content
    )
    uid = entry_uid(seat_id=seat.pk, user_id=user.pk)
    event = next(e for e in feed.walk("VEVENT") if str(e["UID"]) == uid)
    return re.search(r"Can't make it\? (\S+)", str(event["DESCRIPTION"])).group(1)


def test_cant_make_it_from_the_calendar_then_a_colleague_agrees_from_the_email(
    live_server, page, screenshot
):
    from tests.cover.conftest import make_week
    from tests.factories import MembershipFactory, TeamFactory

    team = TeamFactory(name="Payments", slug="payments")
    manager = MembershipFactory(team=team, role="manager", user__display_name="Maya Manager").user
    engineer = MembershipFactory(team=team, user__display_name="Eddie Engineer").user
    week = make_week(team, manager, engineer)
    base = live_server.url

    # The requester opens the link from their calendar entry and confirms.
    link = cant_make_it_link(week.requester, week.seat).replace("http://127.0.0.1:8000", base)
    sign_in(page, base, week.requester.email)
    open_my_shifts(page, base)
    assert "27 Mar" in page.locator("main").inner_text()
    page.goto(link)
    assert page.get_by_role("heading", name="Can't make this shift?").is_visible()
    mail.outbox.clear()
    page.get_by_label("What happened?").fill("family emergency")
    screenshot(page, "cover-cant-make-it-from-calendar")
    page.get_by_role("button", name="Yes, I can't make it").click()
    page.wait_for_load_state()
    screenshot(page, "cover-cant-make-it-done")

    # The top candidate gets the email; they open its Agree link and confirm.
    asked = [m for m in mail.outbox if m.to == [week.alice.email] and "Can you cover" in m.subject]
    assert len(asked) == 1
    agree = re.search(r"Agree:\s+\S*?(/c/cover/\S+)", asked[0].body).group(1)
    colleague = page.context.browser.new_context(viewport={"width": 390, "height": 844})
    other = colleague.new_page()
    sign_in(other, base, week.alice.email)
    assert other.get_by_role("heading", name="You are asked to cover").is_visible()
    screenshot(other, "cover-dashboard-asked-phone")
    other.goto(base + agree)
    assert other.get_by_role("heading", name="Cover this shift?").is_visible()
    assert other.get_by_text("Pat Partner").is_visible()
    screenshot(other, "cover-agree-confirm-phone")
    other.get_by_role("button", name="Yes, I'll cover it").click()
    other.get_by_role("heading", name="Thank you — the shift is yours").wait_for()
    screenshot(other, "cover-agree-done-phone")
    colleague.close()
    assert Seat.objects.get(pk=week.seat.pk).holder == week.alice

    # The requester's "My shifts" (the navigation's link) no longer lists the shift.
    open_my_shifts(page, base)
    screenshot(page, "cover-my-shifts-after")
    assert "27 Mar" not in page.locator("main").inner_text()


def test_the_manager_sees_the_ranked_candidates_and_assigns_in_one_click(
    live_server, page, screenshot
):
    from scheduling.cover import services
    from tests.cover.conftest import make_week
    from tests.factories import MembershipFactory, TeamFactory

    team = TeamFactory(name="Payments", slug="payments")
    manager = MembershipFactory(team=team, role="manager", user__display_name="Maya Manager").user
    engineer = MembershipFactory(team=team, user__display_name="Eddie Engineer").user
    week = make_week(team, manager, engineer)
    request = services.open_request(seat=week.seat, user=week.requester, reason="ill")
    services.decline(ask=request.asks.get(rank=1))
    base = live_server.url
    sign_in(page, base, manager.email)
    # The dashboard starts with panels now: open the team from "My teams".
    page.locator("table").get_by_role("link", name="Payments", exact=True).first.click()
    page.get_by_role("link", name="Cover requests", exact=True).click()
    page.get_by_role("link", name=re.compile("Sat 27 Mar")).click()
    assert page.get_by_role("heading", name="Cover for Eddie Engineer").is_visible()
    candidates = page.locator("ol.cover-candidates > li")
    assert candidates.count() == 4 and "Declined" in candidates.nth(0).inner_text()
    screenshot(page, "cover-request-manager")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "cover-request-manager-phone")
    candidates.nth(2).get_by_role("button", name="Assign").click()
    page.get_by_text("Covered by").first.wait_for()
    assert Seat.objects.get(pk=week.seat.pk).holder == week.manager
    screenshot(page, "cover-request-covered-phone")
