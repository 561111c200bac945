"""The team rota for everyone: a period's published holders as a grid, a table and a timeline.

Members see who holds each seat in the published version (never a manager's unpublished edit,
never colleagues' availability); managers see the same pages, and drafts in the timeline.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import dateformat, timezone

from accounts import fragments
from accounts.models import Membership, User
from scheduling.rotas import grid_html
from scheduling.rotas.calendar import ROLE_SHORT, Cell, Chip, _days
from scheduling.rotas.models import RotaPeriod, Seat

ORDER = {"primary": 0, "secondary": 1, "shadow": 2}


def _seats(period: RotaPeriod) -> list[Seat]:
    return list(
        Seat.objects.filter(shift__period=period)
        .select_related("shift", "holder")
        .order_by("shift__starts_at", "shift__label", "role")
    )


def _members(period: RotaPeriod) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(team_id=period.team_id)
        .select_related("user")
        .order_by("user__display_name", "user__email")
    ]


def cached_sections(period: RotaPeriod) -> dict[str, Any]:
    """Return the read-only grid and shifts table of the published rota, in the viewer's zone."""
    zone = timezone.get_current_timezone_name()
    return fragments.cached(
        f"period-published:1:{period.pk}:{zone}",
        teams=[period.team_id],
        build=lambda: _sections(period),
    )


def _sections(period: RotaPeriod) -> fragments.Part:
    tz = period.team.tz
    seats = _seats(period)
    members = _members(period)
    seat_dates = {s.pk: timezone.localtime(s.shift.starts_at, tz).date() for s in seats}
    table = shifts_table(seats, seat_dates)
    context = {
        "team": period.team,
        "period": period,
        "readonly": True,
        "grid": grid(period, seats, members, seat_dates),
        "roles": table["roles"],
        "shift_body": grid_html.shift_rows(table["shift_rows"], readonly=True),
    }
    filled = sum(1 for s in seats if s.holder_id)
    return fragments.Part(
        {
            "grid": render_to_string("rotas/_grid.html", context),
            "shifts": render_to_string("rotas/_shifts.html", context),
            "filled": filled,
            "total": len(seats),
        },
        until=None,
    )


def grid(
    period: RotaPeriod, seats: list[Seat], members: list[User], seat_dates: dict[int, date]
) -> dict[str, Any]:
    """Return people × days with each person's published seats as chips."""
    days = _days(period.starts_on, period.ends_on)
    chips: dict[tuple[int, date], list[Chip]] = defaultdict(list)
    for seat in seats:
        if seat.holder_id:
            shift = seat.shift
            where = f" {shift.label}" if shift.label else ""
            chips[(seat.holder_id, seat_dates[seat.pk])].append(
                Chip(
                    seat=seat,
                    short=ROLE_SHORT.get(seat.role, seat.role[:2].title()),
                    region=shift.label[:3],
                    title=f"{seat.role}{where}, {timezone.localtime(shift.starts_at):%H:%M}",
                )
            )
    labels = {day: dateformat.format(day, "D j M") for day in days}
    rows = []
    for user in members:
        cells = []
        for day in days:
            mine = chips.get((user.pk, day), [])
            title = f"{user.name}, {labels[day]}: " + (
                ", ".join(chip.seat.role for chip in mine) if mine else "not on call"
            )
            cells.append(Cell(day=day, state="unknown", eligible=True, chips=mine, title=title))
        rows.append({"user": user, "cells": cells})
    present = {s.role for s in seats}
    legend = [(short, role) for role, short in ROLE_SHORT.items() if role in present]
    shown = {"days": days, "rows": rows, "legend": legend}
    return {**shown, "body": grid_html.grid_rows(shown, readonly=True)}


def shifts_table(seats: list[Seat], seat_dates: dict[int, date]) -> dict[str, Any]:
    """Return one row per local day with a column per region and role: who is with whom."""
    labels: list[str] = []
    for seat in seats:
        if seat.shift.label not in labels:
            labels.append(seat.shift.label)
    roles = sorted({s.role for s in seats}, key=lambda r: ORDER.get(r, 9))
    columns = [(label, role) for label in labels for role in roles]
    rows: dict[date, dict[str, Any]] = {}
    for seat in seats:
        row = rows.setdefault(seat_dates[seat.pk], {"shifts": [], "seats": {}})
        if seat.shift not in row["shifts"]:
            row["shifts"].append(seat.shift)
        row["seats"][(seat.shift.label, seat.role)] = seat
    ordered = [
        {
            "date": day,
            "shift": row["shifts"][0],
            "regional": len(labels) > 1,
            "cells": [row["seats"].get(column) for column in columns],
        }
        for day, row in rows.items()
    ]
    return {"roles": [f"{label} {role}".strip() for label, role in columns], "shift_rows": ordered}


@dataclass
class Bar:
    seat: Seat
    name: str
    short: str  # the first name: a day is narrow on a week's timeline
    left: float
    width: float
    title: str
    mine: bool
    empty: bool
    tone: int  # the region's colour


def timeline(
    period: RotaPeriod,
    *,
    start: date,
    days: int,
    tz: ZoneInfo,
    drafts: bool,
    by_region: bool,
    viewer: User,
) -> dict[str, Any]:
    """Return lanes of bars over days × hours in the viewer's zone: the handoffs show as joins."""
    # In UTC: subtracting two times of one zone would count wall-clock hours across DST.
    window_start = datetime.combine(start, datetime.min.time(), tzinfo=tz).astimezone(UTC)
    window_end = datetime.combine(
        start + timedelta(days=days), datetime.min.time(), tzinfo=tz
    ).astimezone(UTC)
    total = (window_end - window_start).total_seconds()

    def pos(moment: datetime) -> float:
        return round(100 * (moment.astimezone(UTC) - window_start).total_seconds() / total, 3)

    seats = list(
        Seat.objects.filter(
            shift__period=period, shift__starts_at__lt=window_end, shift__ends_at__gt=window_start
        )
        .select_related("shift", "holder", "proposed_holder")
        .order_by("shift__starts_at", "role")
    )
    lanes: dict[tuple[str, str], list[Bar]] = {}
    regions: list[str] = []
    for seat in seats:
        if seat.shift.label not in regions:
            regions.append(seat.shift.label)
    keys = sorted(
        {(seat.shift.label if by_region else "", seat.role) for seat in seats},
        key=lambda k: (regions.index(k[0]) if k[0] in regions else -1, ORDER.get(k[1], 9)),
    )
    for key in keys:
        lanes[key] = []
    for seat in seats:
        person = seat.proposed_holder if drafts else seat.holder
        a = max(seat.shift.starts_at, window_start)
        b = min(seat.shift.ends_at, window_end)
        local_a, local_b = seat.shift.starts_at.astimezone(tz), seat.shift.ends_at.astimezone(tz)
        name = person.name if person else "empty"
        region = f"{seat.shift.label} " if seat.shift.label else ""
        lanes[(seat.shift.label if by_region else "", seat.role)].append(
            Bar(
                seat=seat,
                name=name,
                short=name.split()[0] if person else name,
                left=pos(a),
                width=max(pos(b) - pos(a), 0.2),
                title=f"{name}: {region}{seat.role}, "
                f"{local_a:%a %d %b %H:%M}–{local_b:%a %d %b %H:%M}",
                mine=person is not None and person.pk == viewer.pk,
                empty=person is None,
                tone=regions.index(seat.shift.label) % 4,
            )
        )
    day_marks = []
    for i in range(days):
        day = start + timedelta(days=i)
        at = datetime.combine(day, datetime.min.time(), tzinfo=tz)
        nxt = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=tz)
        day_marks.append({"day": day, "left": pos(at), "width": pos(nxt) - pos(at)})
    now = timezone.now()
    return {
        "lanes": [
            {"label": f"{label} {role}" if label else role.capitalize(), "bars": bars}
            for (label, role), bars in lanes.items()
        ],
        "days": day_marks,
        "regions": [(label, i % 4) for i, label in enumerate(regions) if label],
        "start": start,
        "now": pos(now) if window_start <= now < window_end else None,
    }
