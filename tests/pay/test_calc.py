"""Pay lines computed by hand: nights across the March change, a holiday, a rate change, caps."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time
from decimal import Decimal

from scheduling.pay import calc

LONDON = zoneinfo.ZoneInfo("Europe/London")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
GOOD_FRIDAY = date(2027, 3, 26)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def rules(effective: date, primary: str, **extra) -> calc.Rules:
    values = {
        "weekend": Decimal("1.5"),
        "holiday": Decimal("2"),
        "night": Decimal("1.25"),
        "night_starts": time(22),
        "night_ends": time(7),
    }
    values.update(extra)
    return calc.Rules(
        effective_from=effective,
        currency="GBP",
        rates={
            "primary": calc.Rate("hour", Decimal(primary)),
            "secondary": calc.Rate("shift", Decimal("50")),
        },
        **values,
    )


def context(*policies: calc.Rules, person_tz=None) -> calc.Context:
    # March 2027 in London: 1 Mar 00:00 GMT to 1 Apr 00:00 BST.
    return calc.Context(
        start=utc(2027, 3, 1),
        end=utc(2027, 3, 31, 23),
        team_tz=LONDON,
        person_tz=person_tz or {},
        rules=list(policies),
        holidays=frozenset({GOOD_FRIDAY}),
    )


def lines_of(piece: calc.Piece, ctx: calc.Context) -> dict[str, tuple[Decimal, Decimal]]:
    return {
        name: (line.hours, line.amount.quantize(calc.CENT))
        for name, line in calc.piece_lines(piece, ctx).items()
    }


def test_weekday_shift_pays_nine_night_hours_at_the_night_rate():
    ctx = context(rules(date(2027, 1, 1), "12"))
    piece = calc.Piece(1, "primary", utc(2027, 3, 17, 9), utc(2027, 3, 18, 9))
    # Wed 09:00 → Thu 09:00 GMT: 15 day hours × £12 + 9 night hours × £12 × 1.25.
    assert lines_of(piece, ctx) == {
        "PRIMARY-STANDARD": (Decimal(15), Decimal("180.00")),
        "PRIMARY-NIGHT": (Decimal(9), Decimal("135.00")),
    }


def test_the_night_the_clocks_go_forward_is_an_hour_shorter():
    ctx = context(rules(date(2027, 1, 1), "10", weekend=Decimal("1")))
    # Sat 27 Mar 09:00 GMT → Sun 28 Mar 09:00 BST is 23 real hours; its night, 22:00 GMT to
    # 07:00 BST, is 8 of them.
    piece = calc.Piece(1, "primary", utc(2027, 3, 27, 9), utc(2027, 3, 28, 8))
    assert lines_of(piece, ctx) == {
        "PRIMARY-WEEKEND": (Decimal(15), Decimal("150.00")),
        "PRIMARY-NIGHT": (Decimal(8), Decimal("100.00")),
    }


def test_holiday_beats_night_and_weekend_beats_night():
    ctx = context(rules(date(2027, 1, 1), "10"))
    # Good Friday 09:00 → Sat 09:00: 15 h of holiday (its night included) × 2, then 9 h of
    # Saturday (its night included) × 1.5.
    piece = calc.Piece(1, "primary", utc(2027, 3, 26, 9), utc(2027, 3, 27, 9))
    assert lines_of(piece, ctx) == {
        "PRIMARY-HOLIDAY": (Decimal(15), Decimal("300.00")),
        "PRIMARY-WEEKEND": (Decimal(9), Decimal("135.00")),
    }


def test_a_rate_change_at_midnight_splits_the_shift():
    ctx = context(rules(date(2027, 1, 1), "10"), rules(date(2027, 3, 15), "12"))
    # Sun 14 Mar 09:00 → Mon 15 Mar 09:00: Sunday's 15 h at the old £10 × 1.5; Monday's
    # night (00:00–07:00) and morning at the new £12.
    piece = calc.Piece(1, "primary", utc(2027, 3, 14, 9), utc(2027, 3, 15, 9))
    assert lines_of(piece, ctx) == {
        "PRIMARY-WEEKEND": (Decimal(15), Decimal("225.00")),
        "PRIMARY-NIGHT": (Decimal(7), Decimal("105.00")),
        "PRIMARY-STANDARD": (Decimal(2), Decimal("24.00")),
    }


def test_nights_are_in_the_persons_own_zone():
    ctx = context(rules(date(2027, 1, 1), "10"), person_tz={1: NEW_YORK})
    # Wed 17 Mar 09:00–21:00 UTC is 05:00–17:00 in New York (EDT since 14 Mar): two night hours.
    piece = calc.Piece(1, "primary", utc(2027, 3, 17, 9), utc(2027, 3, 17, 21))
    assert lines_of(piece, ctx) == {
        "PRIMARY-NIGHT": (Decimal(2), Decimal("25.00")),
        "PRIMARY-STANDARD": (Decimal(10), Decimal("100.00")),
    }


def test_per_shift_rate_pays_the_share_held_in_the_month_it_starts():
    ctx = context(rules(date(2027, 1, 1), "10"))
    whole = calc.Piece(1, "secondary", utc(2027, 3, 2, 9), utc(2027, 3, 3, 9))
    part = calc.Piece(2, "secondary", utc(2027, 3, 2, 13), utc(2027, 3, 2, 17), share=4 / 24)
    saturday = calc.Piece(1, "secondary", utc(2027, 3, 6, 9), utc(2027, 3, 7, 9))
    from_february = calc.Piece(1, "secondary", utc(2027, 2, 28, 9), utc(2027, 3, 1, 9))
    assert lines_of(whole, ctx) == {"SECONDARY-STANDARD": (Decimal(24), Decimal("50.00"))}
    assert lines_of(part, ctx) == {"SECONDARY-STANDARD": (Decimal(4), Decimal("8.33"))}
    assert lines_of(saturday, ctx) == {"SECONDARY-WEEKEND": (Decimal(24), Decimal("75.00"))}
    assert lines_of(from_february, ctx) == {}


def test_hours_outside_the_month_are_paid_in_their_own_month():
    ctx = context(rules(date(2027, 1, 1), "10"))
    # Wed 31 Mar 09:00 BST → Thu 1 Apr 09:00 BST: only the hours before April's midnight count.
    piece = calc.Piece(1, "primary", utc(2027, 3, 31, 8), utc(2027, 4, 1, 8))
    assert lines_of(piece, ctx) == {
        "PRIMARY-STANDARD": (Decimal(13), Decimal("130.00")),
        "PRIMARY-NIGHT": (Decimal(2), Decimal("25.00")),
    }


def test_no_rule_yet_counts_hours_but_pays_nothing():
    ctx = context(rules(date(2027, 4, 1), "10"))
    piece = calc.Piece(1, "primary", utc(2027, 3, 17, 9), utc(2027, 3, 17, 12))
    assert lines_of(piece, ctx) == {"PRIMARY-STANDARD": (Decimal(3), Decimal("0.00"))}


def test_monthly_cap_adds_a_negative_line():
    ctx = context(rules(date(2027, 1, 1), "10", monthly_cap=Decimal("300")))
    pieces = [
        calc.Piece(1, "primary", utc(2027, 3, 17, 9), utc(2027, 3, 18, 9)),  # 150 + 112.50
        calc.Piece(1, "primary", utc(2027, 3, 23, 9), utc(2027, 3, 23, 17)),  # 80
        calc.Piece(2, "primary", utc(2027, 3, 23, 17), utc(2027, 3, 23, 21)),  # 40
    ]
    lines = calc.month_lines(pieces, ctx)
    assert lines[1]["CAP"].amount == Decimal("-42.50")
    assert sum(line.amount for line in lines[1].values()) == Decimal("300.00")
    assert "CAP" not in lines[2]


def test_difference_keeps_only_changed_lines():
    before = {1: {"PRIMARY-STANDARD": calc.Line(Decimal(10), Decimal(0), Decimal(100))}}
    now = {
        1: {"PRIMARY-STANDARD": calc.Line(Decimal(4), Decimal(0), Decimal(40))},
        2: {"PRIMARY-STANDARD": calc.Line(Decimal(6), Decimal(0), Decimal(60))},
    }
    diff = calc.difference(now, before)
    assert diff == {
        1: {"PRIMARY-STANDARD": calc.Line(Decimal(-6), Decimal(0), Decimal(-60))},
        2: {"PRIMARY-STANDARD": calc.Line(Decimal(6), Decimal(0), Decimal(60))},
    }
    assert calc.difference(now, now) == {}
    assert calc.from_json(calc.to_json(now)) == now
