"""Shift generation: handoffs, lengths, follow-the-sun, weights, and DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from scheduling.rotas.shiftgen import PatternSpec, generate_shifts, public_holidays, shift_weight

HOUR = timedelta(hours=1)


def _by_date(shifts):
    return {s.local_date: s for s in shifts}


@pytest.mark.parametrize(
    ("zone", "day", "hours"),
    [
        ("Europe/London", date(2027, 3, 27), 23),  # clocks go forward on Sunday 28 March 2027
        ("Europe/London", date(2026, 10, 24), 25),  # clocks go back on Sunday 25 October 2026
        ("America/New_York", date(2027, 3, 13), 23),  # spring forward on 14 March 2027
        ("America/New_York", date(2026, 10, 31), 25),  # fall back on 1 November 2026
    ],
)
def test_daily_shift_across_dst_is_23_or_25_hours_and_keeps_its_handoff(zone, day, hours):
    shifts = generate_shifts(
        first=day - timedelta(days=1),
        last=day + timedelta(days=1),
        timezone=zone,
        handoff_time=time(9),
    )
    assert len(shifts) == 3
    lengths = [(s.ends_at - s.starts_at) / HOUR for s in shifts]
    assert lengths == [24, hours, 24]
    from zoneinfo import ZoneInfo

    for shift in shifts:
        assert shift.starts_at.tzinfo == UTC
        assert shift.starts_at.astimezone(ZoneInfo(zone)).time() == time(9)
        assert shift.ends_at.astimezone(ZoneInfo(zone)).time() == time(9)
    # Consecutive shifts touch: no gap and no overlap at the handoff.
    assert all(a.ends_at == b.starts_at for a, b in zip(shifts, shifts[1:], strict=False))


def test_daily_shifts_cover_the_period_in_utc():
    shifts = generate_shifts(
        first=date(2027, 1, 1), last=date(2027, 1, 31), timezone="Europe/London"
    )
    assert len(shifts) == 31
    assert shifts[0].starts_at == datetime(2027, 1, 1, 9, tzinfo=UTC)
    assert shifts[-1].ends_at == datetime(2027, 2, 1, 9, tzinfo=UTC)


def test_weekly_rotation_hands_off_on_the_chosen_weekday():
    # March 2027 starts on a Monday; Wednesday handoffs; the first and last shifts are partial.
    shifts = generate_shifts(
        first=date(2027, 3, 1),
        last=date(2027, 3, 31),
        timezone="Europe/London",
        kind="weekly",
        handoff_weekday=2,
        handoff_time=time(10),
    )
    starts = [s.local_date for s in shifts]
    assert starts == [
        date(2027, 3, 1),
        date(2027, 3, 3),
        date(2027, 3, 10),
        date(2027, 3, 17),
        date(2027, 3, 24),
        date(2027, 3, 31),
    ]
    assert len(shifts[1].days) == 7
    # The week across the change to BST is an hour short.
    dst_week = shifts[4]
    assert (dst_week.ends_at - dst_week.starts_at) / HOUR == 7 * 24 - 1
    assert shifts[-1].ends_at == datetime(2027, 4, 1, 9, tzinfo=UTC)  # 10:00 BST


def test_custom_length_rotation():
    shifts = generate_shifts(
        first=date(2027, 1, 1),
        last=date(2027, 1, 10),
        timezone="Europe/London",
        kind="custom",
        length_days=4,
    )
    assert [len(s.days) for s in shifts] == [4, 4, 2]
    assert shifts[-1].ends_at == datetime(2027, 1, 11, 9, tzinfo=UTC)


def test_follow_the_sun_generates_one_shift_per_region_per_day_in_each_zone():
    patterns = [
        PatternSpec("Singapore", "Asia/Singapore", time(8), time(16)),
        PatternSpec("London", "Europe/London", time(8), time(16)),
        PatternSpec("New York", "America/New_York", time(18), time(2)),  # crosses midnight
    ]
    shifts = generate_shifts(
        first=date(2026, 10, 31),
        last=date(2026, 11, 1),
        timezone="Europe/London",
        patterns=patterns,
    )
    assert len(shifts) == 6
    first_day = [s for s in shifts if s.local_date == date(2026, 10, 31)]
    by_label = {s.label: s for s in first_day}
    assert by_label["Singapore"].starts_at == datetime(2026, 10, 31, 0, tzinfo=UTC)
    assert by_label["London"].starts_at == datetime(2026, 10, 31, 8, tzinfo=UTC)  # GMT again
    ny = by_label["New York"]
    assert ny.starts_at == datetime(2026, 10, 31, 22, tzinfo=UTC)  # 18:00 EDT
    # The New York night across its fall-back is 9 hours, not 8.
    assert (ny.ends_at - ny.starts_at) / HOUR == 9
    assert [s.starts_at for s in shifts] == sorted(s.starts_at for s in shifts)


def test_weights_count_weekends_and_public_holidays():
    gb = public_holidays("GB", [2026])
    assert date(2026, 12, 25) in gb
    kwargs = {"weekend_weight": 1.5, "holiday_weight": 2.0, "holidays": gb}
    assert shift_weight([date(2026, 12, 23)], **kwargs) == 1.0  # Wednesday
    assert shift_weight([date(2026, 12, 19)], **kwargs) == 1.5  # Saturday
    assert shift_weight([date(2026, 12, 25)], **kwargs) == 2.0  # Christmas, a Friday
    assert (
        shift_weight([date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26)], **kwargs) == 5.0
    )  # Boxing Day too
    assert public_holidays("", [2026]) == frozenset()
