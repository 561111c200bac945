"""In Chromium: an engineer requests a requirement, a manager approves, the panel shows it met."""

from __future__ import annotations

import pytest

from scheduling.requirements.models import Kind
from tests.factories import PASSWORD, MembershipFactory, TeamFactory
from tests.requirements.factories import RequirementFactory


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/")


def sign_out(page) -> None:
    page.click("text=Sign out")
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_request_approve_and_see_it_met(page, live_server, screenshot):
    team = TeamFactory(name="Payments", slug="payments")
    manager = MembershipFactory(team=team, role="manager", user__display_name="Maya Manager").user
    engineer = MembershipFactory(team=team, user__display_name="Eddie Engineer").user
    RequirementFactory(
        team=team,
        title="Production access",
        kind=Kind.APPROVAL,
        validity_days=90,
        instructions="Ask for it once you finished the access training.",
    )
    base = live_server.url

    sign_in(page, base, engineer.email)
    item = page.locator('.ready-panel [data-requirement="Production access"]')
    assert item.get_attribute("data-state") == "not_met"
    assert "Not met" in item.inner_text()
    assert "No primary" in page.locator(".ready-panel").inner_text()
    item.locator("input[name=note]").fill("Training done on Monday")
    item.locator("button", has_text="Request approval").click()
    page.wait_for_load_state()
    assert "Requested: Production access" in page.locator(".messages").inner_text()
    item = page.locator('.ready-panel [data-requirement="Production access"]')
    assert item.get_attribute("data-state") == "pending"
    screenshot(page, "requirements-engineer-pending")
    sign_out(page)

    sign_in(page, base, manager.email)
    page.goto(f"{base}/teams/payments/requirements/")
    request = page.locator('#approval-queue [data-request="Eddie Engineer — Production access"]')
    assert "Training done on Monday" in request.inner_text()
    screenshot(page, "requirements-manager-queue")
    request.locator("button", has_text="Approve").click()
    page.wait_for_load_state()
    assert "Production access approved for Eddie Engineer" in page.locator(".messages").inner_text()
    row = page.locator('#matrix tr[data-person="Eddie Engineer"]')
    assert "Met" in row.inner_text()
    sign_out(page)

    sign_in(page, base, engineer.email)
    item = page.locator('.ready-panel [data-requirement="Production access"]')
    assert item.get_attribute("data-state") == "met"
    assert "Met" in item.inner_text()
    roles = page.locator(".ready-panel .req-roles").inner_text()
    assert "Primary" in roles and "Secondary" in roles
    screenshot(page, "requirements-engineer-met")
