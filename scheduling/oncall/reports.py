"""Per-person load over a date range: rows from the database, figures from a pure function."""

from __future__ import annotations

import csv
import io
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from accounts.models import Membership, Team
from rota.text import csv_cell
from scheduling.oncall import cover_stats
from scheduling.oncall.lookup import published_seats
from scheduling.rotas.models import ROLES, RotaSettings
from scheduling.rotas.shiftgen import public_holidays


@dataclass(frozen=True)
class HeldSeat:
    """One published seat a person held: the input of the figures."""

    user_id: int
    role: str
    starts_at: datetime
    ends_at: datetime
    weight: float


@dataclass
class PersonFigures:
    user_id: int
    name: str
    email: str = ""
    shifts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ROLES, 0))
    hours: dict[str, float] = field(default_factory=lambda: dict.fromkeys(ROLES, 0.0))
    weekday_hours: float = 0.0
    weekend_hours: float = 0.0
    holiday_hours: float = 0.0
    load: float = 0.0
    covers_given: int = 0
    covers_received: int = 0
    declines: int = 0

    @property
    def total_shifts(self) -> int:
        return sum(self.shifts.values())

    @property
    def total_hours(self) -> float:
        return sum(self.hours.values())


@dataclass
class Report:
    team: Team
    start: date
    end: date
    people: list[PersonFigures]

    @property
    def total(self) -> PersonFigures:
        """Return the sums over everyone, as one row."""
        total = PersonFigures(user_id=0, name="Total")
        for person in self.people:
            for role in ROLES:
                total.shifts[role] += person.shifts[role]
                total.hours[role] += person.hours[role]
            for name in ("weekday_hours", "weekend_hours", "holiday_hours", "load"):
                setattr(total, name, getattr(total, name) + getattr(person, name))
            for name in ("covers_given", "covers_received", "declines"):
                setattr(total, name, getattr(total, name) + getattr(person, name))
        return total

    @property
    def mean_load(self) -> float:
        return self.total.load / len(self.people) if self.people else 0.0


def split_hours(
    starts_at: datetime, ends_at: datetime, *, tz: zoneinfo.ZoneInfo, holidays: frozenset[date]
) -> tuple[float, float, float]:
    """Return the (weekday, weekend, holiday) hours of a window, cut at local midnights."""
    weekday = weekend = holiday = 0.0
    cursor = starts_at
    while cursor < ends_at:
        local_day = cursor.astimezone(tz).date()
        midnight = datetime.combine(local_day + timedelta(days=1), time(0), tzinfo=tz)
        piece_end = min(ends_at, midnight)
        # Subtracting aware datetimes in UTC counts real hours, so DST days are 23 or 25 h long.
        hours = (piece_end - cursor).total_seconds() / 3600
        if local_day in holidays:
            holiday += hours
        elif local_day.weekday() >= 5:
            weekend += hours
        else:
            weekday += hours
        cursor = piece_end
    return weekday, weekend, holiday


def compute(
    seats: Iterable[HeldSeat],
    people: dict[int, tuple[str, str]],
    *,
    tz: zoneinfo.ZoneInfo,
    holidays: frozenset[date],
    covers: dict[int, cover_stats.CoverFigures] | None = None,
) -> list[PersonFigures]:
    """Return each person's figures from the seats they held; people maps id to (name, email)."""
    figures = {
        pk: PersonFigures(user_id=pk, name=name, email=email)
        for pk, (name, email) in people.items()
    }
    for seat in seats:
        person = figures.setdefault(
            seat.user_id, PersonFigures(user_id=seat.user_id, name=f"Former member {seat.user_id}")
        )
        hours = (seat.ends_at - seat.starts_at).total_seconds() / 3600
        person.shifts[seat.role] = person.shifts.get(seat.role, 0) + 1
        person.hours[seat.role] = person.hours.get(seat.role, 0.0) + hours
        weekday, weekend, holiday = split_hours(
            seat.starts_at, seat.ends_at, tz=tz, holidays=holidays
        )
        person.weekday_hours += weekday
        person.weekend_hours += weekend
        person.holiday_hours += holiday
        person.load += seat.weight
    for user_id, cover in (covers or {}).items():
        if user_id in figures:
            figures[user_id].covers_given = cover.given
            figures[user_id].covers_received = cover.received
            figures[user_id].declines = cover.declines
    return sorted(figures.values(), key=lambda p: (p.name.lower(), p.user_id))


def window(team: Team, start: date, end: date) -> tuple[datetime, datetime]:
    """Return the UTC instants of the team's local midnights opening start and closing end."""
    tz = team.tz
    return (
        datetime.combine(start, time(0), tzinfo=tz).astimezone(zoneinfo.ZoneInfo("UTC")),
        datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz).astimezone(
            zoneinfo.ZoneInfo("UTC")
        ),
    )


def build_report(*, team: Team, start: date, end: date) -> Report:
    """Return the per-person figures of published seats whose shift starts in [start, end]."""
    low, high = window(team, start, end)
    people = {
        m.user_id: (m.user.name, m.user.email)
        for m in Membership.objects.filter(team=team).select_related("user")
    }
    rows = (
        published_seats()
        .filter(
            shift__team=team,
            holder__isnull=False,
            shift__starts_at__gte=low,
            shift__starts_at__lt=high,
        )
        .values_list(
            "holder_id",
            "role",
            "shift__starts_at",
            "shift__ends_at",
            "shift__weight",
            "holder__display_name",
            "holder__email",
        )
    )
    seats = []
    for holder_id, role, starts_at, ends_at, weight, display_name, email in rows:
        # Someone who has left still counts for the range they worked in.
        people.setdefault(holder_id, (display_name or email, email))
        seats.append(HeldSeat(holder_id, role, starts_at, ends_at, weight))
    settings = RotaSettings.objects.filter(team=team).first()
    country = settings.holiday_country if settings else ""
    holidays = public_holidays(country, range(start.year, end.year + 1))
    covers = cover_stats.figures_by_person(team.pk, low, high)
    return Report(
        team=team,
        start=start,
        end=end,
        people=compute(seats, people, tz=team.tz, holidays=holidays, covers=covers),
    )


CSV_COLUMNS = [
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


def _csv_row(person: PersonFigures) -> list:
    def h(value: float) -> str:
        return f"{value:.2f}"

    return [
        person.name,
        person.email,
        person.total_shifts,
        *(person.shifts[r] for r in ROLES),
        *(h(person.hours[r]) for r in ROLES),
        h(person.total_hours),
        h(person.weekday_hours),
        h(person.weekend_hours),
        h(person.holiday_hours),
        h(person.load),
        person.covers_given,
        person.covers_received,
        person.declines,
    ]


def to_csv(report: Report) -> str:
    """Return the report as CSV: a header row, one row per person, and a totals row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for person in [*report.people, report.total]:
        # A name such as "=HYPERLINK(…)" must reach the spreadsheet as text.
        writer.writerow([csv_cell(cell) for cell in _csv_row(person)])
    return out.getvalue()
