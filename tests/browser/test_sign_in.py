"""The newcomer's first minute, in Chromium: the sign-in page, the demo manager, the team page."""

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_manager_signs_in_and_reaches_the_team_page(live_server, page, screenshot):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    assert page.get_by_role("heading", name="Sign in to Rota").is_visible()
    screenshot(page, "foundation-sign-in")

    page.get_by_label("Email").fill("maya@example.com")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("heading", name="Hello, Maya Patel").is_visible()
    screenshot(page, "foundation-dashboard")

    page.locator("table").get_by_role("link", name="Payments", exact=True).first.click()
    page.wait_for_url("**/teams/payments/")
    assert page.get_by_role("heading", name="Payments").is_visible()
    assert page.get_by_text("Oliver Bennett").is_visible()
    assert page.get_by_text("Priya Raman").is_visible()
    screenshot(page, "foundation-team-page")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    screenshot(page, "foundation-team-page-phone")


def test_wrong_password_is_a_clear_message(live_server, page):
    # Anyone with an account will do: the demo's engine runs would only cost time here.
    person = UserFactory(email="maya@example.com")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_text("not correct").is_visible()
