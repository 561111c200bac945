"""A month's pay from the database: figures by hand, partial cover, CSV, locking, corrections."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from scheduling.pay import services
from scheduling.pay.errors import MonthLocked, MonthNotOver
from scheduling.rotas.services.changes import reassign_seat
from tests.oncall.factories import utc

MARCH = dt.date(2027, 3, 1)
APRIL = dt.date(2027, 4, 1)
MAY = dt.date(2027, 5, 1)


def figures(pay, user) -> dict[str, tuple[str, str, str]]:
    person = next(p for p in pay.people if p.user_id == user.pk)
    return {
        code: (str(line.hours), str(line.shifts), str(line.amount))
        for code, line in person.lines.items()
    }


def corrections(pay, user) -> dict[str, str]:
    person = next((p for p in pay.people if p.user_id == user.pk), None)
    return (
        {f"{m:%Y-%m} {code}": str(line.amount) for m, code, line in person.adjustments}
        if person
        else {}
    )


def test_march_pay_by_hand(team, covered, alice, bob):
    pay = services.month_pay(team=team, month=MARCH)
    # Good Friday: 15 h of holiday at the new £12 × 2 = 360; its Saturday morning 9 h × 12 × 1.5;
    # Saturday into the change to BST: 23 h × 12 × 1.5 = 414 (so 32 h and 162 + 414 = 576).
    # The per-shift secondary: Alice held 20 of its 24 hours, Bob 4.
    assert figures(pay, alice) == {
        "PRIMARY-HOLIDAY": ("15.00", "0.00", "360.00"),
        "PRIMARY-WEEKEND": ("32.00", "0.00", "576.00"),
        "SECONDARY-STANDARD": ("20.00", "0.83", "41.67"),
    }
    # Sunday 14 March at the old £10 × 1.5; Monday's night and morning at the new £12.
    assert figures(pay, bob) == {
        "PRIMARY-NIGHT": ("7.00", "0.00", "105.00"),
        "PRIMARY-STANDARD": ("2.00", "0.00", "24.00"),
        "PRIMARY-WEEKEND": ("15.00", "0.00", "225.00"),
        "SECONDARY-STANDARD": ("4.00", "0.17", "8.33"),
    }
    assert pay.total == Decimal("1340.00")  # 977.67 + 362.33
    assert pay.currency == "GBP"


def test_payroll_csv_has_a_line_per_person_and_code_and_the_command_prints_it(team, covered, alice):
    pay = services.month_pay(team=team, month=MARCH)
    text = services.payroll_csv(pay)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 7
    row = next(r for r in rows if r["email"] == alice.email and r["pay_code"] == "PRIMARY-WEEKEND")
    assert row == {
        "month": "2027-03",
        "email": alice.email,
        "name": "Alice Able",
        "pay_code": "PRIMARY-WEEKEND",
        "hours": "32.00",
        "shifts": "0.00",
        "amount": "576.00",
        "currency": "GBP",
        "note": "",
    }
    out = StringIO()
    call_command("payroll", team=team.slug, month="2027-03", stdout=out)
    assert out.getvalue() == text


def test_payroll_command_names_bad_arguments(team):
    with pytest.raises(CommandError, match="No team"):
        call_command("payroll", team="nope", month="2027-03")
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("payroll", team=team.slug, month="March")


def test_a_formula_in_a_name_reaches_the_csv_as_text(team, covered, alice):
    alice.display_name = "=HYPERLINK(1)"
    alice.save()
    text = services.payroll_csv(services.month_pay(team=team, month=MARCH))
    assert "'=HYPERLINK(1)" in text


def test_a_month_locks_only_once_it_is_over(team, covered, manager):
    with time_machine.travel(utc(2027, 3, 31, 12)), pytest.raises(MonthNotOver):
        services.lock_month(team=team, month=MARCH, by=manager)
    with time_machine.travel(utc(2027, 4, 2)):
        services.lock_month(team=team, month=MARCH, by=manager)
        with pytest.raises(MonthLocked):
            services.lock_month(team=team, month=MARCH, by=manager)


def test_a_change_to_a_locked_month_is_paid_as_a_correction_next_month(
    team, covered, manager, alice, bob
):
    _, shifts = covered
    with time_machine.travel(utc(2027, 4, 2)):
        services.lock_month(team=team, month=MARCH, by=manager)
        before = figures(services.month_pay(team=team, month=MARCH), bob)
        # Alice takes Bob's Sunday after payroll was sent.
        reassign_seat(seat=shifts["sunday"].seats.get(role="primary"), new_holder=alice, by=manager)
        assert figures(services.month_pay(team=team, month=MARCH), bob) == before
        april = services.month_pay(team=team, month=APRIL)
    assert corrections(april, bob) == {
        "2027-03 PRIMARY-NIGHT": "-105.00",
        "2027-03 PRIMARY-STANDARD": "-24.00",
        "2027-03 PRIMARY-WEEKEND": "-225.00",
    }
    assert corrections(april, alice) == {
        "2027-03 PRIMARY-NIGHT": "105.00",
        "2027-03 PRIMARY-STANDARD": "24.00",
        "2027-03 PRIMARY-WEEKEND": "225.00",
    }
    text = services.payroll_csv(april)
    assert "ADJ-PRIMARY-WEEKEND" in text and "correction to 2027-03" in text


def test_a_correction_is_paid_once_then_later_changes_go_to_the_next_open_month(
    team, covered, manager, alice, bob
):
    _, shifts = covered
    sunday = shifts["sunday"].seats.get(role="primary")
    with time_machine.travel(utc(2027, 4, 2)):
        services.lock_month(team=team, month=MARCH, by=manager)
        reassign_seat(seat=sunday, new_holder=alice, by=manager)
    with time_machine.travel(utc(2027, 5, 2)):
        services.lock_month(team=team, month=APRIL, by=manager)
        # April, now locked, keeps the corrections it paid; May owes nothing for March.
        assert corrections(services.month_pay(team=team, month=APRIL), bob)
        assert corrections(services.month_pay(team=team, month=MAY), bob) == {}
        sunday.refresh_from_db()
        reassign_seat(seat=sunday, new_holder=bob, by=manager)
        may = services.month_pay(team=team, month=MAY)
    assert corrections(may, bob)["2027-03 PRIMARY-WEEKEND"] == "225.00"
    assert corrections(may, alice)["2027-03 PRIMARY-WEEKEND"] == "-225.00"


def test_new_rules_cannot_start_in_a_month_sent_to_payroll(team, covered, manager):
    with time_machine.travel(utc(2027, 4, 2)):
        services.lock_month(team=team, month=MARCH, by=manager)
    with pytest.raises(MonthLocked, match="1 April 2027"):
        services.save_policy(
            team=team,
            by=manager,
            effective_from=dt.date(2027, 3, 20),
            currency="GBP",
            rates={"primary": ("hour", Decimal("99"))},
        )


def test_rules_keep_the_teams_currency(team, covered, manager):
    from scheduling.pay.errors import PayError

    with pytest.raises(PayError, match="GBP"):
        services.save_policy(
            team=team, by=manager, effective_from=dt.date(2027, 6, 1), currency="EUR", rates={}
        )
