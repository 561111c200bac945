"""A month of a 16-person team fits a laptop screen; the team's navigation fits on one line."""

from __future__ import annotations

from datetime import date

import pytest

from scheduling.rotas import services
from tests.factories import PASSWORD, MembershipFactory
from tests.rotas.factories import RotationTemplateFactory

NAMES = [
    "Amelia Clarke", "George Adeyemi", "Isla Murphy", "Jack Wilson", "Noah Evans",
    "Oliver Bennett", "Ravi Kumar", "Sofia Rossi", "Hannah Schmidt", "Emma Johnson",
    "Mei Lin Tan", "Carlos Mendes", "Arjun Nair", "Zoe Carter", "Priya Raman",
]  # fmt: skip


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_31_days_of_16_people_are_visible_at_1366_px(live_server, page, team, manager, screenshot):
    for name in NAMES:
        MembershipFactory(team=team, user__display_name=name)
    template = RotationTemplateFactory(team=team, name="Daily 09:00")
    period = services.create_period(
        team=team, template=template, starts_on=date(2027, 1, 1), ends_on=date(2027, 1, 31),
        by=manager,
    )  # fmt: skip
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", manager.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("nav.nav")
    page.goto(f"{live_server.url}/teams/{team.slug}/rota/{period.pk}/")

    wrap = page.locator(".rota-grid-wrap")
    assert page.locator(".rota-grid tbody tr:not(.empty-row)").count() == 16
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth"), "the grid scrolls sideways"
    last = page.locator(".rota-grid thead th").last.bounding_box()
    assert last is not None and last["x"] + last["width"] <= 1366
    assert page.locator(".empty-row .chip").count() == 62  # every seat is still empty
    nav = page.locator("nav.subnav").bounding_box()
    assert nav is not None and nav["height"] < 60  # one line of tabs
    screenshot(page, "rotas-month-16-people")
