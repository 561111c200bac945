"""Build the engineer's month grid: marks, busy blocks, time ranges and shifts by local day."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q

from accounts.models import Membership, User
from scheduling.availability.hooks import shifts_for_grid
from scheduling.availability.models import (
    AvailabilityDeadline,
    AvailabilityEntry,
    BusyBlock,
    MonthConfirmation,
)
from scheduling.availability.services import add_months, today_for
from scheduling.availability.windows import day_bounds


@dataclass
class Cell:
    day: date
    mark: str = ""
    note: str = ""
    busy: list[BusyBlock] = field(default_factory=list)
    ranges: list[AvailabilityEntry] = field(default_factory=list)
    shifts: list[str] = field(default_factory=list)
    past: bool = False
    today: bool = False

    @property
    def counted_busy(self) -> bool:
        return any(not block.overridden for block in self.busy)

    @property
    def busy_titles(self) -> str:
        return "; ".join(
            f"{block.summary or 'Busy'}{' (you can still be on call)' if block.overridden else ''}"
            for block in self.busy
        )


@dataclass
class Month:
    first: date
    weeks: list[list[Cell | None]]
    confirmed: bool
    deadlines: list[AvailabilityDeadline]


@dataclass
class Grid:
    months: list[Month]
    marks: dict[date, str]
    blocks: list[BusyBlock]
    ranges: list[AvailabilityEntry]
    first: date
    last: date


def month_grid(*, user: User, start: date, count: int = 3) -> Grid:
    """Return `count` months from `start` for the person, in a fixed number of queries."""
    zone = user.tz
    first = start.replace(day=1)
    end_month = add_months(first, count)
    last = end_month - timedelta(days=1)
    today = today_for(user)
    cells = {
        first + timedelta(days=n): Cell(day=first + timedelta(days=n))
        for n in range((last - first).days + 1)
    }
    for cell in cells.values():
        cell.past = cell.day < today
        cell.today = cell.day == today
    marks: dict[date, str] = {}
    ranges: list[AvailabilityEntry] = []
    for entry in AvailabilityEntry.objects.filter(user=user).between(first, last):
        if entry.is_whole_day:
            cells[entry.day].mark, cells[entry.day].note = entry.kind, entry.note
            marks[entry.day] = entry.kind
        else:
            cells[entry.day].ranges.append(entry)
            ranges.append(entry)
    span_start, span_end = day_bounds(first, zone)[0], day_bounds(last, zone)[1]
    blocks = list(
        BusyBlock.objects.filter(user=user)
        .select_related("connection")
        .overlapping(span_start, span_end)
    )
    for block in blocks:
        day = max(block.start.astimezone(zone).date(), first)
        final = min((block.end - timedelta(microseconds=1)).astimezone(zone).date(), last)
        while day <= final:
            cells[day].busy.append(block)
            day += timedelta(days=1)
    for day, labels in shifts_for_grid(user=user, first=first, last=last).items():
        if day in cells:
            cells[day].shifts.extend(labels)
    months = _months(user, first, count, cells)
    return Grid(months=months, marks=marks, blocks=blocks, ranges=ranges, first=first, last=last)


def _months(user: User, first: date, count: int, cells: dict[date, Cell]) -> list[Month]:
    firsts = [add_months(first, n) for n in range(count)]
    confirmed = set(
        MonthConfirmation.objects.filter(user=user, month__in=firsts).values_list(
            "month", flat=True
        )
    )
    teams = Membership.objects.filter(user=user).values_list("team_id", flat=True)
    deadlines: dict[date, list[AvailabilityDeadline]] = defaultdict(list)
    for deadline in AvailabilityDeadline.objects.filter(
        Q(team_id__in=teams), month__in=firsts
    ).select_related("team"):
        deadlines[deadline.month].append(deadline)
    months = []
    for month_first in firsts:
        weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(
            month_first.year, month_first.month
        )
        rows = [
            [cells[day] if day.month == month_first.month else None for day in week]
            for week in weeks
        ]
        months.append(
            Month(
                first=month_first,
                weeks=rows,
                confirmed=month_first in confirmed,
                deadlines=deadlines[month_first],
            )
        )
    return months
