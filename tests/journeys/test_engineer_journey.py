"""Journey 1 in Chromium: an engineer meets a requirement, connects Radicale, marks and confirms
next month's availability."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import caldav
import pytest

from calendars.models import PushTarget
from scheduling.availability.models import (
    AvailabilityEntry,
    BusyBlock,
    CalendarConnection,
    MonthConfirmation,
)
from scheduling.requirements.models import Completion
from tests.journeys.conftest import DST_SATURDAY, ON_CALL, caldav_events, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = ZoneInfo("Europe/London")
DENTIST = date(2027, 3, 10)
# The DST weekend, Friday to Monday: the clocks go forward on Sunday 28 March.
AWAY = [DST_SATURDAY + timedelta(days=n) for n in (-1, 0, 1, 2)]
PREFERRED = [date(2027, 3, 15), date(2027, 3, 16)]


def personal_calendar_with_a_dentist(radicale) -> None:
    """Alice's own calendar, before Rota knows her: one busy day in March."""
    client = caldav.DAVClient(url=radicale.url, username="alice", password="alice-pass")
    calendar = client.principal().make_calendar(name="Personal")
    start = datetime.combine(DENTIST, datetime.min.time(), LONDON).replace(hour=8)
    calendar.save_event(
        dtstart=start, dtend=start + timedelta(hours=12), summary="Dentist and school run"
    )


def cell(page, day: date):
    return page.locator(f'label.av-day[data-day="{day.isoformat()}"]')


def test_engineer_meets_a_requirement_connects_caldav_marks_march_and_confirms(
    world, live_server, page, screenshot
):
    personal_calendar_with_a_dentist(world.radicale)
    engineer, base = world.engineer, live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})

    # Sign in: the dashboard says what is missing before going on call.
    sign_in(page, base, engineer)
    item = page.locator('.ready-panel [data-requirement="Read the incident runbook"]')
    assert item.get_attribute("data-state") == "not_met"
    screenshot(page, "journey1-01-dashboard-not-ready")
    item.get_by_role("button", name="I confirm").click()
    page.wait_for_load_state()
    assert "Confirmed: Read the incident runbook." in page.locator(".messages").inner_text()
    item = page.locator('.ready-panel [data-requirement="Read the incident runbook"]')
    assert item.get_attribute("data-state") == "met"
    screenshot(page, "journey1-02-requirement-met")
    assert Completion.objects.get(user=engineer, requirement=world.requirement).status == "accepted"

    # Connect the CalDAV account so Rota sees when Eddie is busy.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Availability").click()
    page.get_by_role("link", name="Connected calendars").click()
    form = page.locator("form[action$='/availability/calendars/caldav/']")
    form.get_by_label("Name", exact=True).fill("Personal (Radicale)")
    form.get_by_label("Server address").fill(world.radicale.url)
    form.get_by_label("User name").fill("alice")
    form.get_by_label("Password").fill("alice-pass")
    form.get_by_role("button", name="Connect").click()
    page.get_by_role("heading", name="Pick a calendar").wait_for()
    page.get_by_label("Personal").check()
    screenshot(page, "journey1-03-pick-calendar")
    page.get_by_role("button", name="Use this calendar").click()
    page.get_by_text("Rota reads Personal from now on.").wait_for()
    assert "1 busy time" in page.locator(".av-connection").inner_text()
    screenshot(page, "journey1-04-calendar-connected")
    connection = CalendarConnection.objects.get(user=engineer)
    assert connection.calendar_name == "Personal"
    assert BusyBlock.objects.filter(connection=connection).count() == 1

    # And push shifts to a separate "On call" calendar on the same account.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Calendars").click()
    account = page.get_by_label("CalDAV account")
    choice = account.locator("option", has_text="Personal (Radicale)")
    account.select_option(choice.get_attribute("value"))
    page.get_by_label("Calendar", exact=True).fill(ON_CALL)
    page.get_by_role("button", name="Start pushing").click()
    page.get_by_text("Your shifts are being pushed to the calendar “On call”.").wait_for()
    screenshot(page, "journey1-05-push-on")
    target = PushTarget.objects.get(user=engineer)
    assert (target.username, target.calendar_name) == ("alice", ON_CALL)
    assert caldav_events(world.radicale, "alice") == {}  # the calendar exists, still empty

    # Next month: away over the DST weekend, two preferred days, then "I'm done for March".
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Availability").click()
    page.get_by_role("link", name="Later month").click()
    page.get_by_role("heading", name="March 2027").wait_for()
    assert cell(page, DENTIST).locator(".av-dot").count() == 1  # busy from the calendar
    for day in AWAY:
        cell(page, day).click()
    assert page.locator("#av-count").inner_text() == "4 days ticked"
    page.check("input[name=kind][value=unavailable]")
    page.get_by_label("Note").fill("Family weekend")
    page.click("#av-save")
    page.wait_for_selector("#av-status.ok >> text=Saved")
    for day in PREFERRED:
        cell(page, day).click()
    page.check("input[name=kind][value=preferred]")
    page.get_by_label("Note").fill("")
    page.click("#av-save")
    page.wait_for_selector("#av-status.ok >> text=Saved: 2 days preferred")
    screenshot(page, "journey1-06-march-marked")
    page.get_by_role("button", name="I’m done for March").click()
    page.get_by_text("Thanks: your availability for March 2027 is confirmed.").wait_for()
    assert page.get_by_role("button", name="Reopen").first.is_visible()
    screenshot(page, "journey1-07-march-confirmed")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    screenshot(page, "journey1-08-march-confirmed-phone")

    page.reload()
    for day in AWAY:
        assert "av-unavailable" in cell(page, day).get_attribute("class")
    stored = dict(AvailabilityEntry.objects.filter(user=engineer).values_list("day", "kind"))
    assert stored == {
        **{day: "unavailable" for day in AWAY},
        **{day: "preferred" for day in PREFERRED},
    }
    assert MonthConfirmation.objects.filter(user=engineer, month=date(2027, 3, 1)).exists()
