"""In Chromium: a manager reads a month's pay and the rotation's health, on a laptop and a phone."""

from __future__ import annotations

import pytest

from tests.oncall.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)], ids=["laptop", "phone"])
def test_manager_reads_the_pay_report_and_health(
    page, live_server, team, manager, covered, screenshot, size
):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    sign_in(page, live_server, manager.email)
    page.goto(f"{live_server.url}/teams/{team.slug}/pay/?month=2027-03")
    assert page.get_by_role("heading", name="Pay · March 2027").is_visible()
    table = page.locator("table.pay-report")
    assert "576.00" in table.inner_text()
    assert "1340.00 GBP" in page.locator("tfoot").inner_text()
    health = page.locator("#health")
    assert "a rotation needs at least 8" in health.inner_text()
    screenshot(page, f"pay-report-{'laptop' if size[0] > 800 else 'phone'}")
