"""In Chromium: an engineer sees who they are on call with; a manager opens the report's chart."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import PASSWORD, EscalationContactFactory, MembershipFactory
from tests.oncall.factories import HandoverNoteFactory, PeriodFactory, make_shift

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, email: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")


@pytest.fixture
def on_call_now(team, manager, engineer):
    partner = MembershipFactory(
        team=team, user__display_name="Pat Partner", user__oncall_phone="+447700900555"
    ).user
    EscalationContactFactory(team=team, name="Priya Raman", role="Engineering manager")
    period = PeriodFactory(
        team=team,
        starts_on=timezone.localdate() - timedelta(days=60),
        ends_on=timezone.localdate() + timedelta(days=30),
    )
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    # A month of history so the report has something to draw, then the shift running now.
    for day in range(30, 0, -1):
        start = now - timedelta(days=day, hours=2)
        people = [engineer, partner, manager]
        make_shift(
            period,
            start,
            start + timedelta(days=1),
            weight=1.5 if day % 7 < 2 else 1.0,
            primary=people[day % 3],
            secondary=people[(day + 1) % 3],
        )
    previous = make_shift(
        period, now - timedelta(hours=26), now - timedelta(hours=2), primary=partner
    )
    HandoverNoteFactory(
        shift=previous, author=partner, body="Ledger lag alerts are noisy; ignore below 30 s."
    )
    make_shift(
        period,
        now - timedelta(hours=2),
        now + timedelta(hours=22),
        primary=engineer,
        secondary=partner,
    )
    return partner


def test_engineer_sees_on_call_with_partner_on_the_dashboard(
    live_server, page, screenshot, engineer, on_call_now
):
    sign_in(page, live_server, engineer.email)
    panel = page.locator("section.oc-panel")
    assert panel.get_by_text("On call now", exact=True).is_visible()
    assert "On call with Pat Partner" in panel.inner_text()
    assert panel.get_by_role("link", name="+447700900555").is_visible()
    screenshot(page, "oncall-dashboard-engineer")

    page.get_by_role("link", name="My shifts").first.click()
    page.wait_for_url("**/me/shifts/")
    assert page.get_by_text("You are on call now").is_visible()
    page.get_by_role("link", name="Write your handover note").first.click()
    assert page.get_by_text("Ledger lag alerts are noisy").is_visible()
    page.get_by_label("Your handover note").fill(
        "Card auth retries raised to 3; revert if latency climbs."
    )
    page.get_by_role("button", name="Save handover note").click()
    assert page.get_by_text("Handover note saved.").is_visible()
    screenshot(page, "oncall-handover")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    assert "On call with Pat Partner" in page.locator("section.oc-panel").inner_text()
    screenshot(page, "oncall-dashboard-engineer-phone")


def test_manager_opens_the_report_and_sees_the_chart(
    live_server, page, screenshot, manager, on_call_now
):
    sign_in(page, live_server, manager.email)
    page.goto(live_server.url + "/teams/payments/")
    page.locator(".subnav-more summary").click()  # the managers' pages are under Manage
    page.get_by_role("link", name="Reports").click()
    page.wait_for_url("**/teams/payments/reports/")
    chart = page.get_by_role("img", name="On-call load per person")
    assert chart.is_visible()
    assert chart.locator("rect").count() == 3
    assert page.locator("svg.oc-wide .oc-mean-label").is_visible()
    assert page.locator("svg.oc-wide .oc-mean").count() == 1
    assert page.get_by_role("link", name="Download CSV").is_visible()
    screenshot(page, "oncall-report")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.locator("svg.oc-narrow").is_visible()
    assert not page.locator("svg.oc-wide").is_visible()
    screenshot(page, "oncall-report-phone")

    page.goto(live_server.url + "/teams/payments/oncall/")
    assert page.get_by_text("Ledger lag alerts are noisy").is_visible()
    screenshot(page, "oncall-now-phone")
