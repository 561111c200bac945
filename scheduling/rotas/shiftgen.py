"""Cut a date range into shifts: a pure function of the template, computed with zoneinfo."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays


@dataclass(frozen=True)
class PatternSpec:
    """A regional shift: local start and end in the region's zone (end <= start: next day)."""

    label: str
    timezone: str
    start: time
    end: time


@dataclass(frozen=True)
class ShiftSpec:
    """A generated shift: UTC start and end, region label and its local start date."""

    starts_at: datetime
    ends_at: datetime
    label: str
    local_date: date
    days: tuple[date, ...]


def local(day: date, at: time, tz: ZoneInfo) -> datetime:
    """Return the wall-clock time on the day in the zone, as UTC."""
    # Wall-clock arithmetic: 09:00 stays 09:00 across a DST change, so the shift is 23 or 25 h.
    # A time that does not exist (spring gap) resolves forward via fold=0, as zoneinfo does.
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def _dates(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def generate_shifts(
    *,
    first: date,
    last: date,
    timezone: str,
    kind: str = "daily",
    handoff_time: time = time(9),
    handoff_weekday: int = 0,
    length_days: int = 1,
    patterns: Sequence[PatternSpec] = (),
) -> list[ShiftSpec]:
    """Return the shifts covering the inclusive local dates first..last, in start order."""
    if last < first:
        return []
    if patterns:
        return _follow_the_sun(first, last, patterns)
    tz = ZoneInfo(timezone)
    # Handoff days: every day (daily), every length_days from the first (custom), or the chosen
    # weekday (weekly), always starting on the first day so the period is covered.
    if kind == "weekly":
        starts = [first] + [
            d for d in _dates(first + timedelta(days=1), last) if d.weekday() == handoff_weekday
        ]
    else:
        step = max(int(length_days), 1) if kind == "custom" else 1
        starts = list(_dates(first, last))[::step]
    end_day = last + timedelta(days=1)
    shifts = []
    for i, day in enumerate(starts):
        next_day = starts[i + 1] if i + 1 < len(starts) else end_day
        if kind == "weekly" and i + 1 == len(starts):
            next_day = min(day + timedelta(days=7), end_day)
        shifts.append(
            ShiftSpec(
                starts_at=local(day, handoff_time, tz),
                ends_at=local(next_day, handoff_time, tz),
                label="",
                local_date=day,
                days=tuple(_dates(day, next_day - timedelta(days=1))),
            )
        )
    return shifts


def _follow_the_sun(first: date, last: date, patterns: Sequence[PatternSpec]) -> list[ShiftSpec]:
    shifts = []
    for day in _dates(first, last):
        for pattern in patterns:
            tz = ZoneInfo(pattern.timezone)
            end_day = day if pattern.end > pattern.start else day + timedelta(days=1)
            shifts.append(
                ShiftSpec(
                    starts_at=local(day, pattern.start, tz),
                    ends_at=local(end_day, pattern.end, tz),
                    label=pattern.label,
                    local_date=day,
                    days=(day,),
                )
            )
    shifts.sort(key=lambda s: (s.starts_at, s.label))
    return shifts


def shift_weight(
    days: Sequence[date],
    *,
    weekend_weight: float,
    holiday_weight: float,
    holidays: set[date] | frozenset[date],
) -> float:
    """Return the shift's weight: the sum over its days of 1, the weekend or the holiday weight."""
    total = 0.0
    for day in days:
        if day in holidays:
            total += holiday_weight
        elif day.weekday() >= 5:
            total += weekend_weight
        else:
            total += 1.0
    return round(total, 2)


def public_holidays(country: str, years: Iterable[int]) -> frozenset[date]:
    """Return the country's public holidays in the years (empty for no country)."""
    if not country:
        return frozenset()
    return _holidays(country.upper(), tuple(sorted(set(years))))


@functools.lru_cache(maxsize=64)
def _holidays(country: str, years: tuple[int, ...]) -> frozenset[date]:
    # Kept per process: building a country's calendar costs milliseconds and every period
    # page asks twice (the summary and the health).
    try:
        return frozenset(holidays.country_holidays(country, years=list(years)).keys())
    except NotImplementedError:
        return frozenset()
