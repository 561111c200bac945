"""In Chromium: an engineer marks a week unavailable and two days preferred, reloads, sees them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from scheduling.availability.models import AvailabilityEntry
from tests.factories import PASSWORD, MembershipFactory


def _next_month_week() -> list[date]:
    today = date.today()
    first = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    monday = first + timedelta(days=(7 - first.weekday()) % 7 + 7)  # the second Monday on
    return [monday + timedelta(days=n) for n in range(7)]


def _cell(page, day: date):
    return page.locator(f'label.av-day[data-day="{day.isoformat()}"]')


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_mark_a_week_unavailable_and_two_days_preferred(page, live_server, screenshot):
    engineer = MembershipFactory(user__display_name="Eddie Engineer").user
    week = _next_month_week()
    preferred = [week[-1] + timedelta(days=3), week[-1] + timedelta(days=4)]

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/?next=/availability/")
    page.fill("#id_login", engineer.email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/availability/")

    # Drag across the week with the mouse.
    first, last = _cell(page, week[0]).bounding_box(), _cell(page, week[-1]).bounding_box()
    page.mouse.move(first["x"] + 10, first["y"] + 10)
    page.mouse.down()
    page.mouse.move(last["x"] + 10, last["y"] + 10, steps=8)
    page.mouse.up()
    assert page.locator("#av-count").inner_text() == "7 days ticked"
    page.check("input[name=kind][value=unavailable]")
    page.click("#av-save")
    page.wait_for_selector("#av-status.ok >> text=Saved")

    # Two more days: one by click, one with the keyboard (arrow right, space).
    _cell(page, preferred[0]).click()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    page.check("input[name=kind][value=preferred]")
    page.click("#av-save")
    page.wait_for_selector("#av-status.ok >> text=Saved: 2 days preferred")

    page.reload()
    for day in week:
        assert "av-unavailable" in _cell(page, day).get_attribute("class")
    for day in preferred:
        assert "av-preferred" in _cell(page, day).get_attribute("class")
    screenshot(page, "availability-month-grid")

    stored = dict(AvailabilityEntry.objects.filter(user=engineer).values_list("day", "kind"))
    assert stored == {
        **{day: "unavailable" for day in week},
        **{day: "preferred" for day in preferred},
    }


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_grid_works_on_a_phone_without_javascript(browser, live_server, screenshot):
    engineer = MembershipFactory().user
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/availability/")
    page.fill("#id_login", engineer.email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    day = _next_month_week()[2]
    _cell(page, day).click()
    page.check("input[name=kind][value=preferred]")
    page.click("#av-save")
    page.wait_for_selector("text=Saved: 1 day preferred")
    assert "av-preferred" in _cell(page, day).get_attribute("class")
    screenshot(page, "availability-month-grid-phone-nojs")
    context.close()
