"""Issue 14 in Chromium, laptop and phone: the team rota and timeline for an engineer, taking an
open shift from the dashboard (both feeds change), unavailable + "Ask for cover" in one step, and
the manager's "Needs you" counts against the data."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.utils import timezone

from accounts.needs import needs_for
from calendars.sync import entry_uid
from scheduling.cover import services as cover
from scheduling.cover.models import CoverRequest, State
from scheduling.rotas.models import Seat
from tests.journeys.conftest import DST_SATURDAY, feed_events, sign_in, sign_out
from tests.journeys.test_cover_journey import publish_march

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def test_an_engineer_reads_the_rota_and_the_timeline(world, live_server, page, screenshot):
    publish_march(world)
    base = live_server.url
    page.set_viewport_size(LAPTOP)
    sign_in(page, base, world.engineer)
    page.goto(f"{base}/teams/payments/rota/")
    page.get_by_role("link", name=re.compile("1 Mar – 31 Mar 2027")).first.click()
    page.wait_for_url(re.compile(r"/rota/\d+/$"))
    assert page.get_by_role("heading", name="People × days").is_visible()
    assert page.locator("table.rota-shifts").get_by_text("Eddie Engineer").first.is_visible()
    assert page.get_by_role("button", name="Publish").count() == 0
    screenshot(page, "issue14-engineer-rota-laptop")
    page.get_by_role("link", name="Timeline").first.click()
    page.wait_for_url(re.compile(r"/timeline/"))
    page.goto(page.url + "?from=2027-03-25")
    bar = page.locator("a.tl-bar.mine")
    assert bar.count() >= 1 and bar.first.inner_text() == "Eddie"
    assert "Eddie Engineer" in bar.first.get_attribute("title")
    screenshot(page, "issue14-timeline-laptop")
    page.set_viewport_size(PHONE)
    page.reload()
    screenshot(page, "issue14-timeline-phone")
    page.go_back()
    page.goto(page.url.split("timeline")[0])
    screenshot(page, "issue14-engineer-rota-phone")
    # Opening a bar leads to the one shift page.
    page.goto(f"{base}/teams/payments/rota/{world.period.pk}/timeline/?from=2027-03-25")
    page.locator("a.tl-bar.mine").first.click()
    page.wait_for_url(re.compile(r"/shifts/\d+/$"))
    assert page.get_by_role("link", name="Can't make it").first.is_visible()
    screenshot(page, "issue14-shift-page-phone")


def test_a_colleague_takes_an_open_shift_from_the_dashboard_and_both_feeds_change(
    world, live_server, page, screenshot
):
    publish_march(world)
    base = live_server.url
    seat = world.seat(DST_SATURDAY, "primary")
    request = cover.open_request(seat=seat, user=world.engineer, reason="family wedding")
    # Not the colleague Rota asked first: someone who simply sees the open shift and takes it.
    taker = request.asks.filter(state="pending").order_by("rank").first().candidate
    eddie = entry_uid(seat_id=seat.pk, user_id=world.engineer.pk)
    assert eddie in feed_events(base, world.engineer)
    page.set_viewport_size(PHONE)
    sign_in(page, base, taker)
    take = page.get_by_role("button", name="Take this shift").first
    assert take.is_visible()
    screenshot(page, "issue14-dashboard-open-shift-phone")
    take.click()
    page.get_by_text("The shift is yours").wait_for()  # back on the dashboard, with the news
    screenshot(page, "issue14-taken-phone")
    request = CoverRequest.objects.get()
    assert (request.state, request.covered_by) == (State.COVERED, taker)
    assert Seat.objects.get(pk=seat.pk).holder == taker
    assert entry_uid(seat_id=seat.pk, user_id=taker.pk) in feed_events(base, taker)
    # Eddie's entry is cancelled in place (calendar apps then drop it); both point at the shift.
    gone = feed_events(base, world.engineer)[eddie]
    assert str(gone["STATUS"]) == "CANCELLED"
    assert str(gone["URL"]).endswith(f"/shifts/{seat.shift_id}/")


def test_marking_a_shift_day_unavailable_asks_for_cover_in_the_same_step(
    world, live_server, page, screenshot
):
    publish_march(world)
    base = live_server.url
    twelfth = world.seat(date(2027, 3, 12), "secondary")
    Seat.objects.filter(pk=twelfth.pk).update(holder=world.bob, proposed_holder=world.bob)
    for size, name in ((PHONE, "phone"), (LAPTOP, "laptop")):
        page.set_viewport_size(size)
        sign_in(page, base, world.bob)
        page.goto(f"{base}/availability/?start=2027-03")
        page.locator("details.av-range summary").click()
        page.locator("#id_first").fill("2027-03-12")
        page.locator("#id_last").fill("2027-03-12")
        page.locator("#av-save").click()
        ask = page.get_by_role("button", name="Ask for cover")
        ask.wait_for()
        assert page.get_by_text("You hold 1 published shift on that day.").is_visible()
        screenshot(page, f"issue14-unavailable-warning-{name}")
        if name == "phone":
            ask.click()
            page.wait_for_url(re.compile(r"/availability/"))
            assert page.get_by_text("Asking colleagues to cover 1 shift").is_visible()
            screenshot(page, "issue14-asked-for-cover-phone")
        sign_out(page)
    request = CoverRequest.objects.get(seat=twelfth)
    assert (request.requested_by, request.state) == (world.bob, State.OPEN)


def test_the_managers_needs_you_counts_match_the_data(world, live_server, page, screenshot):
    publish_march(world)
    seat = world.seat(DST_SATURDAY, "primary")
    request = cover.open_request(seat=seat, user=world.engineer)
    CoverRequest.objects.filter(pk=request.pk).update(state=State.ESCALATED)
    base = live_server.url
    (row,) = needs_for([world.team], timezone.now())
    expected = {need.label: need.count for need in row["needs"]}
    assert expected["urgent cover requests"] == 1
    for size, name in ((LAPTOP, "laptop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        sign_in(page, base, world.manager)
        panel = page.locator("section.needs-you")
        assert panel.is_visible()
        shown = {
            badge.get_attribute("data-need"): int(badge.inner_text())
            for badge in panel.locator("[data-need]").all()
        }
        assert shown == expected
        screenshot(page, f"issue14-needs-you-{name}")
        sign_out(page)
    page.set_viewport_size(LAPTOP)
    sign_in(page, base, world.manager)
    page.locator("section.needs-you").get_by_role("link", name=re.compile("empty seats")).click()
    page.wait_for_url(re.compile(r"/rota/\d+/"))
