"""Journey 2 in Chromium: a manager recommends March, adjusts two seats, publishes; Eddie's
CalDAV calendar and feed then show his shifts with partner and escalation contacts."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from calendars.sync import entry_uid
from scheduling.rotas.models import PeriodState, Seat, SeatChange
from tests.journeys.conftest import DST_SATURDAY, caldav_events, feed_events, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = ZoneInfo("Europe/London")


def adjust(page, seat: Seat, name: str | None) -> str:
    """Open the seat's panel and give it to `name` (None: the best other candidate)."""
    page.locator(f'.rota-shifts a[data-seat="{seat.pk}"]').click()
    page.wait_for_url(re.compile(rf".*\?seat={seat.pk}.*"))
    panel = page.locator("#seat-panel")
    enabled = panel.locator("ol.candidates li").filter(has=page.locator("button:not([disabled])"))
    if name is not None:
        enabled = enabled.filter(has=page.locator("strong", has_text=name))
    if enabled.count():
        name = enabled.first.locator("strong").inner_text()
        enabled.first.get_by_role("button", name="Assign").click()
    else:
        # The rules advise against it (rest, availability): the manager confirms the warning.
        panel.locator("#other-person").select_option(label=name)
        panel.get_by_role("button", name="Assign…").click()
        page.get_by_role("button", name="Assign anyway").click()
    page.wait_for_selector(f"text={name} is in")
    return name


def engineer_free_seat(world, first: date) -> Seat:
    """Return the primary seat of the first shift from `first` on that Eddie is not in."""
    day = first
    while True:
        seats = Seat.objects.filter(shift__period=world.period, shift__starts_at__date=day)
        if not seats.filter(proposed_holder=world.engineer).exists():
            return seats.get(role="primary")
        day += timedelta(days=1)


def test_manager_recommends_adjusts_two_seats_and_publishes_to_calendars(
    world, live_server, page, screenshot, settings
):
    settings.ROTA_SOLVE_SECONDS = 3
    engineer, base = world.engineer, live_server.url
    world.meet_requirement(engineer)
    world.connect(engineer, "alice")  # journey 1 did this in the browser
    page.set_viewport_size({"width": 1280, "height": 900})

    sign_in(page, base, world.manager)
    page.locator("table").get_by_role("link", name="Payments", exact=True).first.click()
    page.get_by_role("navigation", name="Payments").get_by_role("link", name="Rota").click()
    page.get_by_role("link", name="1 Mar – 31 Mar 2027").click()
    screenshot(page, "journey2-01-march-collecting")
    page.get_by_role("button", name="Recommend").click()
    page.wait_for_selector("text=Recommended", timeout=60_000)
    page.wait_for_selector(".rota-progress", state="detached", timeout=60_000)
    assert page.locator(".rota-shifts a[data-seat]").count() == 62
    screenshot(page, "journey2-02-recommended")

    # Two adjustments: Eddie takes the Saturday primary across the clock change, and one more.
    adjusted = []
    saturday = world.seat(DST_SATURDAY, "primary")
    secondary = world.seat(DST_SATURDAY, "secondary")
    if secondary.proposed_holder_id == engineer.pk:
        adjusted.append((secondary, adjust(page, secondary, None)))
    if saturday.proposed_holder_id != engineer.pk:
        adjusted.append((saturday, adjust(page, saturday, engineer.name)))
    while len(adjusted) < 2:
        seat = engineer_free_seat(world, date(2027, 3, 8))
        adjusted.append((seat, adjust(page, seat, engineer.name)))
    screenshot(page, "journey2-03-adjusted")

    page.get_by_role("button", name="Publish").click()
    if page.get_by_role("button", name="Publish anyway").count():
        page.get_by_role("button", name="Publish anyway").click()
    page.wait_for_selector("text=Published version 1")
    screenshot(page, "journey2-04-published")
    world.period.refresh_from_db()
    assert world.period.state == PeriodState.PUBLISHED
    for seat, name in adjusted:
        seat.refresh_from_db()
        assert seat.holder.name == name
        assert SeatChange.objects.filter(seat=seat, new_holder=seat.holder).exists()

    # Eddie's calendars: exactly his seats, each with partner and escalation contacts.
    mine = list(
        Seat.objects.filter(shift__period=world.period, holder=engineer).select_related("shift")
    )
    expected = {entry_uid(seat_id=s.pk, user_id=engineer.pk) for s in mine}
    pushed, fed = caldav_events(world.radicale, "alice"), feed_events(base, engineer)
    assert set(pushed) == expected
    assert {u for u, e in fed.items() if str(e.get("STATUS")) != "CANCELLED"} == expected
    for seat in mine:
        other = Seat.objects.exclude(pk=seat.pk).get(shift=seat.shift).holder
        uid = entry_uid(seat_id=seat.pk, user_id=engineer.pk)
        for event in (pushed[uid], fed[uid]):
            description = str(event["DESCRIPTION"])
            assert (f"Partner: {other.name} " if other else "Partner: none") in description
            assert "Escalate to, in order:\n1. Sam Senior" in description
    saturday = world.seat(DST_SATURDAY, "primary")
    partner = world.seat(DST_SATURDAY, "secondary").holder
    uid = entry_uid(seat_id=saturday.pk, user_id=engineer.pk)
    for event in (pushed[uid], fed[uid]):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert start == datetime(2027, 3, 27, 9, tzinfo=LONDON)
        assert end == datetime(2027, 3, 28, 9, tzinfo=LONDON)
        # The clocks go forward that night: 23 real hours.
        assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=23)
        description = str(event["DESCRIPTION"])
        assert f"Partner: {partner.name} (Secondary), {partner.oncall_phone}" in description
        assert "1. Sam Senior, Engineering manager, +442079460001" in description
        assert "2. Dana Director, Head of engineering, +442079460002" in description
        assert "Can't make it? " in description

    # Eddie sees the same shifts on his phone: My calendar, then My shifts.
    context = page.context.browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    sign_in(phone, base, engineer)
    phone.get_by_role("navigation", name="Main").get_by_role("link", name="Calendars").click()
    assert phone.locator(".cal-list").first.locator("li").count() == min(len(mine), 5)
    screenshot(phone, "journey2-05-engineer-calendar-phone")
    phone.get_by_role("navigation", name="Main").get_by_role("link", name="My shifts").click()
    assert "27 Mar" in phone.locator("main").inner_text()
    screenshot(phone, "journey2-06-engineer-shifts-phone")
    context.close()
