"""The load report: figures against a hand-computed history, CSV, chart, query count."""

from __future__ import annotations

import csv
import io
import zoneinfo
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scheduling.oncall import reports
from scheduling.rotas.models import RotaSettings
from tests.factories import MembershipFactory
from tests.oncall.factories import PeriodFactory, make_shift, utc

LONDON = zoneinfo.ZoneInfo("Europe/London")
RANGE = "?start=2026-03-27&end=2026-04-05"


@pytest.fixture
def history(team, period, manager, engineer, partner):
    """Late March to Easter 2026: the spring DST change, a weekend and Good Friday (GB)."""
    RotaSettings.objects.create(team=team, holiday_country="GB")
    # Fri 27 Mar 09:00 GMT → Sat 09:00 GMT: 15 h Friday, 9 h Saturday.
    make_shift(
        period,
        utc(2026, 3, 27, 9),
        utc(2026, 3, 28, 9),
        weight=1.0,
        primary=engineer,
        secondary=partner,
        shadow=manager,
    )
    # Sat 28 Mar 09:00 GMT → Sun 09:00 BST: 23 h, all weekend (15 h Saturday, 8 h Sunday).
    make_shift(
        period,
        utc(2026, 3, 28, 9),
        utc(2026, 3, 29, 8),
        weight=1.5,
        primary=partner,
        secondary=engineer,
    )
    # Good Friday 3 Apr 09:00 BST → Sat 09:00 BST: 15 h holiday, 9 h weekend; no secondary.
    make_shift(
        period, utc(2026, 4, 3, 8), utc(2026, 4, 4, 8), weight=2.0, primary=engineer, secondary=None
    )
    # Outside the range, and a draft: neither counts.
    make_shift(period, utc(2026, 4, 6, 8), utc(2026, 4, 7, 8), weight=1.0, primary=engineer)
    draft = PeriodFactory(team=team, state="recommended", version=0)
    make_shift(draft, utc(2026, 3, 30, 8), utc(2026, 3, 31, 8), weight=1.0, primary=partner)


def by_name(report) -> dict:
    return {p.name: p for p in report.people}


def test_figures_match_the_hand_computed_history(team, history):
    report = reports.build_report(team=team, start=date(2026, 3, 27), end=date(2026, 4, 5))
    people = by_name(report)
    eddie, pat, maya = people["Eddie Engineer"], people["Pat Partner"], people["Maya Manager"]
    assert eddie.shifts == {"primary": 2, "secondary": 1, "shadow": 0}
    assert eddie.hours == {"primary": 48.0, "secondary": 23.0, "shadow": 0.0}
    assert (eddie.weekday_hours, eddie.weekend_hours, eddie.holiday_hours) == (15.0, 41.0, 15.0)
    assert eddie.load == 4.5
    assert pat.shifts == {"primary": 1, "secondary": 1, "shadow": 0}
    assert pat.hours == {"primary": 23.0, "secondary": 24.0, "shadow": 0.0}
    assert (pat.weekday_hours, pat.weekend_hours, pat.holiday_hours) == (15.0, 32.0, 0.0)
    assert pat.load == 2.5
    assert maya.shifts == {"primary": 0, "secondary": 0, "shadow": 1}
    assert (maya.weekday_hours, maya.weekend_hours, maya.load) == (15.0, 9.0, 1.0)
    total = report.total
    assert total.total_hours == 142.0
    assert (total.weekday_hours, total.weekend_hours, total.holiday_hours) == (45.0, 82.0, 15.0)
    assert total.load == 8.0
    assert report.mean_load == pytest.approx(8 / 3)


def test_split_hours_counts_real_hours_on_dst_days():
    holidays = frozenset({date(2026, 4, 3)})
    # Sun 25 Oct 2026 (clocks go back) is 25 hours long in London.
    assert reports.split_hours(
        utc(2026, 10, 24, 23), utc(2026, 10, 26, 0), tz=LONDON, holidays=holidays
    ) == (0.0, 25.0, 0.0)
    assert reports.split_hours(
        utc(2026, 4, 2, 22), utc(2026, 4, 3, 2), tz=LONDON, holidays=holidays
    ) == (1.0, 0.0, 3.0)


def test_csv_has_a_header_one_row_per_person_and_a_totals_row(manager_client, history, engineer):
    response = manager_client.get("/teams/payments/reports/oncall.csv" + RANGE)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="payments-oncall-2026-03-27-2026-04-05.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "person",
        "email",
        "shifts",
        "primary_shifts",
        "secondary_shifts",
        "shadow_shifts",
        "primary_hours",
        "secondary_hours",
        "shadow_hours",
        "total_hours",
        "weekday_hours",
        "weekend_hours",
        "holiday_hours",
        "load",
        "covers_given",
        "covers_received",
        "declines",
    ]
    body = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert list(body) == ["Eddie Engineer", "Maya Manager", "Pat Partner", "Total"]
    eddie = body["Eddie Engineer"]
    assert (
        eddie["shifts"],
        eddie["primary_shifts"],
        eddie["secondary_shifts"],
        eddie["primary_hours"],
        eddie["secondary_hours"],
        eddie["weekday_hours"],
        eddie["weekend_hours"],
        eddie["holiday_hours"],
        eddie["load"],
    ) == ("3", "2", "1", "48.00", "23.00", "15.00", "41.00", "15.00", "4.50")
    assert eddie["email"] == engineer.email
    assert body["Maya Manager"]["shadow_shifts"] == "1"
    assert body["Maya Manager"]["shadow_hours"] == "24.00"
    total = body["Total"]
    assert (total["shifts"], total["total_hours"], total["load"]) == ("6", "142.00", "8.00")
    for column in ("total_hours", "weekday_hours", "weekend_hours", "holiday_hours", "load"):
        people_sum = sum(float(row[column]) for name, row in body.items() if name != "Total")
        assert float(total[column]) == pytest.approx(people_sum)


def test_report_page_draws_the_chart_with_the_mean(manager_client, history):
    response = manager_client.get("/teams/payments/reports/" + RANGE)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('role="img"') == 2  # the laptop and the phone layout
    assert "On-call load per person" in html
    assert "Eddie Engineer: 4.5." in html
    assert "mean 2.7" in html
    assert html.count('class="oc-bar') == 6  # three people, twice


def test_default_range_is_the_last_six_months(manager_client, time_machine):
    time_machine.move_to(utc(2026, 8, 31, 12))
    response = manager_client.get("/teams/payments/reports/")
    assert response.status_code == 200
    assert response.context["report"].start == date(2026, 2, 28)
    assert response.context["report"].end == date(2026, 8, 31)


def test_a_backwards_range_is_a_clear_400(manager_client):
    response = manager_client.get("/teams/payments/reports/?start=2026-05-01&end=2026-04-01")
    assert response.status_code == 400
    assert "start date must be on or before the end date" in response.content.decode()
    csv_response = manager_client.get(
        "/teams/payments/reports/oncall.csv?start=2026-05-01&end=nope"
    )
    assert csv_response.status_code == 400


def _team_of(size: int, team, period) -> None:
    for i in range(size):
        person = MembershipFactory(team=team).user
        make_shift(period, utc(2026, 3, 1 + i % 28, 9), utc(2026, 3, 2 + i % 28, 9), primary=person)


@pytest.mark.parametrize("page", ["/teams/payments/reports/", "/teams/payments/reports/oncall.csv"])
def test_query_count_does_not_grow_with_team_size(manager_client, team, period, other_team, page):
    from tests.oncall.factories import PeriodFactory

    _team_of(10, team, period)
    with CaptureQueriesContext(connection) as small:
        assert manager_client.get(page + "?start=2026-03-01&end=2026-03-31").status_code == 200
    _team_of(50, team, PeriodFactory(team=team))
    with CaptureQueriesContext(connection) as large:
        response = manager_client.get(page + "?start=2026-03-01&end=2026-03-31")
    assert response.status_code == 200
    assert len(large) == len(small)
