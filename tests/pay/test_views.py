"""Pay pages: managers only, another team's is 404, the report, CSV, lock and rules forms."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from scheduling.pay.models import PayMonth, PayPolicy
from tests.oncall.factories import utc


@pytest.mark.parametrize("name", ["pay:report", "pay:csv", "pay:rules"])
def test_engineers_get_403_and_other_teams_404(name, team, engineer_client, outsider_client):
    from django.urls import reverse

    url = reverse(name, kwargs={"slug": team.slug})
    assert engineer_client.get(url).status_code == 403
    assert outsider_client.get(url).status_code == 404


def test_report_shows_each_persons_lines_and_the_health_panel(team, march, manager_client):
    response = manager_client.get(f"/teams/{team.slug}/pay/?month=2027-03")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Pay · March 2027" in body
    assert "PRIMARY-WEEKEND" in body and "576.00" in body
    assert "Health of the rotation" in body
    assert "a rotation needs at least 8" in body


@pytest.mark.parametrize("month", ["2027-13", "0000-01", "99999-01", "x", "2027-3"])
def test_a_bad_month_shows_the_default_month_not_an_error(team, march, manager_client, month):
    assert manager_client.get(f"/teams/{team.slug}/pay/?month={month}").status_code == 200


def test_csv_download(team, march, manager_client):
    response = manager_client.get(f"/teams/{team.slug}/pay/payroll.csv?month=2027-03")
    assert response["Content-Type"].startswith("text/csv")
    assert "payments-payroll-2027-03.csv" in response["Content-Disposition"]
    assert response.content.decode().startswith("month,email,name,pay_code")


def test_lock_posts_once_the_month_is_over(team, march, manager, client_for):
    url = f"/teams/{team.slug}/pay/lock/"
    # Sign in at each moment: a session from today would have expired by 2027.
    with time_machine.travel(utc(2027, 3, 20)):
        response = client_for(manager).post(url, {"month": "2027-03"}, follow=True)
        assert "has not ended yet" in response.content.decode()
        assert not PayMonth.objects.exists()
    with time_machine.travel(utc(2027, 4, 3)):
        manager_client = client_for(manager)
        response = manager_client.post(url, {"month": "2027-03"}, follow=True)
    assert "sent to payroll" in response.content.decode()
    assert PayMonth.objects.get().month == dt.date(2027, 3, 1)
    assert manager_client.get(url).status_code == 405


def test_rules_form_adds_rules_from_a_day(team, manager_client):
    data = {
        "effective_from": "2027-01-01",
        "currency": "eur",
        "weekend_multiplier": "1.5",
        "holiday_multiplier": "2",
        "night_multiplier": "1.25",
        "night_starts": "22:00",
        "night_ends": "07:00",
        "monthly_cap": "",
        "primary_amount": "9.50",
        "primary_unit": "hour",
        "secondary_amount": "40",
        "secondary_unit": "shift",
        "shadow_amount": "",
        "shadow_unit": "hour",
    }
    response = manager_client.post(f"/teams/{team.slug}/pay/rules/", data)
    assert response.status_code == 302
    policy = PayPolicy.objects.get(team=team)
    assert policy.currency == "EUR"
    assert {(r.role, r.unit, str(r.amount)) for r in policy.rates.all()} == {
        ("primary", "hour", "9.50"),
        ("secondary", "shift", "40.00"),
    }
    bad = manager_client.post(
        f"/teams/{team.slug}/pay/rules/", data | {"currency": "€€", "effective_from": "1900-01-01"}
    )
    assert bad.status_code == 400
    assert "three-letter code" in bad.content.decode()
