"""Journey 3 in Chromium: "Can't make it" from the CalDAV entry, a colleague agrees from the email,
both CalDAV calendars and feeds change, and the manager's report counts the cover."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import mail

from calendars.sync import entry_uid
from scheduling.cover.models import CoverRequest
from scheduling.rotas import services as rota
from scheduling.rotas.models import Seat
from tests.journeys.conftest import (
    DST_SATURDAY,
    caldav_events,
    feed_events,
    link_in,
    sign_in,
    sign_out,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def publish_march(world) -> None:
    """Publish March through the services (journey 2 did it in the browser): Eddie and Pat on the
    DST Saturday, Maya on the first ten days, so Alice and Bob are the free colleagues."""
    plan = {(DST_SATURDAY, "primary"): world.engineer, (DST_SATURDAY, "secondary"): world.partner}
    for day in range(1, 11):
        plan[(date(2027, 3, day), "primary")] = world.manager
    for (day, role), user in plan.items():
        Seat.objects.filter(pk=world.seat(day, role).pk).update(proposed_holder=user)
    rota.publish(period=world.period, by=world.manager, confirm_unfilled=True)


def report_row(page, name: str) -> dict[str, str]:
    cells = page.locator("table.oc-report tbody tr", has_text=name).locator("td").all_inner_texts()
    return {"given": cells[12], "received": cells[13], "declined": cells[14]}


def test_cant_make_it_from_the_calendar_a_colleague_agrees_calendars_and_report_follow(
    world, live_server, page, screenshot
):
    engineer, base = world.engineer, live_server.url
    accounts = {engineer: "alice", world.alice: "bob", world.bob: "carol"}
    for user, account in accounts.items():
        world.connect(user, account)
    publish_march(world)
    seat = world.seat(DST_SATURDAY, "primary")
    mine = entry_uid(seat_id=seat.pk, user_id=engineer.pk)
    assert mine in caldav_events(world.radicale, "alice")
    mail.outbox.clear()

    # Eddie opens "Can't make it?" from the event in his own CalDAV calendar.
    link = link_in(caldav_events(world.radicale, "alice")[mine], base)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, engineer)
    page.goto(link)
    page.get_by_role("heading", name="Can't make this shift?").wait_for()
    assert "27 Mar" in page.locator("main").inner_text()
    page.get_by_label("What happened?").fill("Family emergency")
    screenshot(page, "journey3-01-cant-make-it")
    page.get_by_role("button", name="Yes, I can't make it").click()
    page.get_by_role("heading", name="We asked for cover").wait_for()
    screenshot(page, "journey3-02-asked-for-cover")

    # The first colleague asked agrees from the email, on a phone, without signing in first.
    asked = [m for m in mail.outbox if "Can you cover" in m.subject]
    assert len(asked) == 1
    colleague = next(u for u in (world.alice, world.bob) if asked[0].to == [u.email])
    agree = re.search(r"Agree:\s+\S*?(/c/cover/\S+)", asked[0].body).group(1)
    context = page.context.browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    phone.goto(base + agree)
    phone.get_by_role("heading", name="Cover this shift?").wait_for()
    assert phone.get_by_text("Pat Partner").first.is_visible()
    screenshot(phone, "journey3-03-agree-phone")
    phone.get_by_role("button", name="Yes, I'll cover it").click()
    phone.get_by_role("heading", name="Thank you — the shift is yours").wait_for()
    screenshot(phone, "journey3-04-covered-phone")
    context.close()
    assert Seat.objects.get(pk=seat.pk).holder == colleague

    # Both calendars change: the event leaves Eddie's and arrives in the colleague's.
    theirs = entry_uid(seat_id=seat.pk, user_id=colleague.pk)
    assert mine not in caldav_events(world.radicale, "alice")
    arrived = caldav_events(world.radicale, accounts[colleague])
    assert theirs in arrived
    assert "Partner: Pat Partner (Secondary)" in str(arrived[theirs]["DESCRIPTION"])
    assert str(feed_events(base, engineer)[mine]["STATUS"]) == "CANCELLED"
    assert str(feed_events(base, colleague)[theirs]["STATUS"]) == "CONFIRMED"
    partner_event = feed_events(base, world.partner)[
        entry_uid(seat_id=world.seat(DST_SATURDAY, "secondary").pk, user_id=world.partner.pk)
    ]
    assert f"Partner: {colleague.name} (Primary)" in str(partner_event["DESCRIPTION"])

    # Maya's report for March counts the cover once, given and received.
    sign_out(page)
    sign_in(page, base, world.manager)
    page.locator("table").get_by_role("link", name="Payments", exact=True).first.click()
    team_nav = page.get_by_role("navigation", name="Payments")
    team_nav.get_by_text("Manage").click()  # the managers' pages are under Manage
    team_nav.get_by_role("link", name="Reports").click()
    page.get_by_role("textbox", name="From").fill("2027-03-01")
    page.get_by_role("textbox", name="To (inclusive)").fill("2027-03-31")
    page.get_by_role("button", name="Show").click()
    page.locator("table.oc-report").wait_for()
    assert report_row(page, colleague.name)["given"] == "1"
    assert report_row(page, engineer.name)["received"] == "1"
    totals = page.locator("table.oc-report tfoot td").all_inner_texts()
    assert (totals[11], totals[12]) == ("1", "1")
    screenshot(page, "journey3-05-manager-report")
    assert CoverRequest.objects.get(seat=seat).covered_by == colleague
