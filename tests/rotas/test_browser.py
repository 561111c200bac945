"""The demo manager recommends next month's rota, swaps a seat and publishes it, in Chromium."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD
from scheduling.rotas.models import PeriodState, RotaPeriod, SeatChange


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_manager_recommends_swaps_and_publishes(live_server, page, screenshot, settings):
    settings.ROTA_SOLVE_SECONDS = 3
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    upcoming = RotaPeriod.objects.get(team__slug="payments", state=PeriodState.RECOMMENDED)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "maya@example.com")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))

    page.goto(f"{live_server.url}/teams/payments/rota/")
    page.get_by_role("link", name=re.compile(upcoming.starts_on.strftime("%-d %b"))).first.click()
    page.get_by_role("button", name="Recommend").click()
    page.wait_for_selector("text=Recommended", timeout=60_000)
    page.wait_for_selector(".rota-progress", state="detached", timeout=60_000)
    assert page.locator(".rota-shifts a[data-seat]").count() > 0
    filled_before = page.locator(".rota-shifts .badge.bad").count()

    # Swap one seat: give it to its best other candidate, or (when the rules leave nobody) to
    # someone else after confirming the warning.
    first_seat = page.locator(".rota-shifts a[data-seat]:not(:has(.badge))").first
    seat_id = first_seat.get_attribute("data-seat")
    first_seat.click()
    page.wait_for_url(re.compile(rf".*\?seat={seat_id}.*"))
    panel = page.locator("#seat-drawer #seat-panel")  # opened without a page load
    holder = panel.locator("p strong").first.inner_text()
    enabled = panel.locator("ol.candidates li").filter(has=page.locator("button:not([disabled])"))
    if enabled.count():
        newcomer = enabled.first.locator("strong").inner_text()
        enabled.first.get_by_role("button", name="Assign").click()
    else:
        choice = panel.locator("#other-person option").first
        newcomer = choice.inner_text()
        panel.locator("#other-person").select_option(choice.get_attribute("value"))
        panel.get_by_role("button", name="Assign…").click()
        page.get_by_role("button", name="Assign anyway").click()
    assert newcomer != holder
    page.wait_for_selector(f"text={newcomer} is in")
    assert page.locator("#seat-panel p strong").first.inner_text() == newcomer

    page.get_by_role("button", name="Publish").click()
    if filled_before:
        page.get_by_role("button", name="Publish anyway").click()
    page.wait_for_selector("text=Published version 1")
    screenshot(page, "rotas-period-calendar")

    upcoming.refresh_from_db()
    assert upcoming.state == PeriodState.PUBLISHED and upcoming.version == 1
    assert SeatChange.objects.filter(
        seat__shift__period=upcoming, new_holder__display_name=newcomer
    ).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_manager_opens_an_empty_seat_and_reads_each_persons_reason(
    live_server, page, screenshot, settings
):
    from accounts import stamps
    from scheduling.rotas.models import Seat

    settings.ROTA_SOLVE_SECONDS = 3
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    upcoming = RotaPeriod.objects.get(team__slug="payments", state=PeriodState.RECOMMENDED)
    seat = Seat.objects.filter(shift__period=upcoming, role="primary").order_by("pk")[3]
    Seat.objects.filter(pk=seat.pk).update(proposed_holder=None, locked=False)
    stamps.touch(teams=[upcoming.team_id])

    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "maya@example.com")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))
    page.goto(f"{live_server.url}/teams/payments/rota/{upcoming.pk}/?seat={seat.pk}#seat-panel")
    panel = page.locator("#seat-panel")
    panel.get_by_text("Everyone else").wait_for()
    rows = panel.locator("ul.why-not li")
    listed = panel.locator("ol.candidates li").count() + rows.count()
    assert listed == upcoming.team.memberships.count()
    text = panel.inner_text()
    assert "George Adeyemi: not eligible:" in text
    assert "Isla Murphy: not eligible: Production access pending approval" in text
    assert panel.get_by_role("link", name="Review the pending approval").count() >= 1
    # The open seat is outlined in the grid (the page's own rule, then rotas.js's aria-current);
    # the cached grid is the same whichever seat is open.
    chip = page.locator(f'.rota-grid a.chip[data-seat="{seat.pk}"]')
    assert chip.get_attribute("aria-current") == "true"
    assert chip.evaluate("a => getComputedStyle(a).outlineStyle") == "solid"
    other = page.locator(f'.rota-grid a.chip:not([data-seat="{seat.pk}"])').first
    assert other.evaluate("a => getComputedStyle(a).outlineStyle") == "none"
    panel.scroll_into_view_if_needed()
    screenshot(page, "rotas-seat-why-not")
