"""In Chromium: an engineer subscribes from My calendar and replaces a leaked feed address."""

from __future__ import annotations

import re

import pytest
import requests

from calendars.models import CalendarPreferences
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")


def test_engineer_subscribes_and_regenerates_the_feed(
    live_server, page, screenshot, rota, engineer
):
    sign_in(page, live_server, engineer)
    page.get_by_role("link", name="Calendars").click()
    page.wait_for_url("**/calendars/")
    assert page.get_by_role("heading", name="My calendar").is_visible()
    subscribe = page.get_by_role("link", name="Subscribe in my calendar app")
    old_token = CalendarPreferences.objects.get(user=engineer).feed_token
    assert (
        subscribe.get_attribute("href") == f"webcal://127.0.0.1:8000/calendars/feed/{old_token}.ics"
    )
    assert page.get_by_text("Payments — Primary").first.is_visible()
    page.get_by_text("Google Calendar", exact=True).click()
    assert page.get_by_text("From URL").is_visible()
    screenshot(page, "calendars-my-calendar")

    old_feed = f"{live_server.url}/calendars/feed/{old_token}.ics"
    assert requests.get(old_feed, timeout=10).status_code == 200
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Make a new address").click()
    page.wait_for_load_state()
    assert page.get_by_text("Your feed has a new address").is_visible()
    new_token = CalendarPreferences.objects.get(user=engineer).feed_token
    assert new_token != old_token
    assert re.search(new_token, page.get_by_label("Feed address (keep it secret)").input_value())
    assert requests.get(old_feed, timeout=10).status_code == 404
    assert (
        requests.get(f"{live_server.url}/calendars/feed/{new_token}.ics", timeout=10).status_code
        == 200
    )

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    screenshot(page, "calendars-my-calendar-phone")
