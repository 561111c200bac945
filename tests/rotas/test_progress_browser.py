"""Recommend and Publish return at once, show progress, then the new state (as under make run)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD
from rota import background
from scheduling.rotas.models import PeriodState, RotaPeriod

SIZES = {"laptop": (1366, 768), "phone": (390, 844)}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_recommend_then_publish_show_progress_then_the_new_state(
    size, live_server, page, screenshot, settings
):
    settings.ROTA_SOLVE_SECONDS = 3
    settings.ROTA_TASKS_IN_THREAD = True  # what `make run` does: tasks after the response
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # The demo recommends next month already; a new recommendation replaces it.
    upcoming = RotaPeriod.objects.filter(team__slug="payments", version=0).earliest("starts_on")
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=login]", "maya@example.com")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/$"))
        page.goto(f"{live_server.url}/teams/payments/rota/{upcoming.pk}/")

        page.get_by_role("button", name="Recommend").click()
        # The page that answers the click shows the engine still at work: it runs after the
        # response (inline, the answer would already be the recommended rota).
        page.wait_for_selector(".rota-progress >> text=Working out a recommended rota")
        screenshot(page, f"rotas-recommend-progress-{size}")
        page.wait_for_selector("#period-state >> text=Recommended", timeout=60_000)
        assert page.locator(".rota-progress").count() == 0
        assert "secondary" not in (page.locator("#publish-button").get_attribute("class") or "")
        screenshot(page, f"rotas-recommended-{size}")

        page.get_by_role("button", name="Publish").click()
        if page.get_by_role("button", name="Publish anyway").count():
            page.get_by_role("button", name="Publish anyway").click()
        page.wait_for_selector("#period-state >> text=Published: version 1", timeout=30_000)
        page.wait_for_selector(".rota-progress", state="detached", timeout=60_000)
        assert page.locator("#publish-button").count() == 0  # nothing left to publish
        assert page.locator(".page-head .badge.ok").inner_text() == "Published"
        screenshot(page, f"rotas-published-{size}")
    finally:
        background.wait_idle()
    upcoming.refresh_from_db()
    assert upcoming.state == PeriodState.PUBLISHED and upcoming.version == 1
