"""What the period calendar shows: people × days, seats by shift, the seat panel and the summary."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models.fields.json import KT
from django.template.loader import render_to_string
from django.utils import dateformat, timezone

from accounts import fragments
from accounts.models import Membership, User
from scheduling.engine import rank_candidates
from scheduling.rotas import grid_html, health, inputs
from scheduling.rotas import problem as problem_builder
from scheduling.rotas.gaps import group_empty
from scheduling.rotas.models import Recommendation, Seat
from scheduling.rotas.problem import ALWAYS_ELIGIBLE, PeriodProblem, person_id, user_id_of
from scheduling.rotas.reasons import Explainer
from scheduling.rotas.shiftgen import public_holidays

ROLE_SHORT = {"primary": "P", "secondary": "S", "shadow": "Sh"}


@dataclass
class Chip:
    """A seat in the grid: the role's letter, the region's first letters and a tooltip."""

    seat: Seat
    short: str
    region: str
    title: str


@dataclass
class Cell:
    day: date
    state: str
    eligible: bool
    chips: list[Chip] = field(default_factory=list)
    title: str = ""


@dataclass
class PersonLoad:
    user: Any
    seats: int = 0
    weight: float = 0.0
    weekends: int = 0
    holidays: int = 0
    past: int = 0
    past_title: str = ""
    elsewhere: int = 0
    elsewhere_title: str = ""
    busy_hours: float = 0.0
    bar: int = 0  # the width of the load bar, in percent of the heaviest load


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def cached_sections(period) -> dict[str, Any]:
    """Return the rendered grid, shifts, summary and health, rebuilt only when they may differ.

    They change when anything in the team changes (its stamp) and when the team's day turns
    (eligibility and past shifts are counted as of today); times show in the viewer's zone.
    They hold only plain strings, numbers and dicts; the open seat and the CSRF token are the
    page's own, per request.
    """
    zone = timezone.get_current_timezone_name()
    # A shared person's seats in their other teams show here too: those teams' stamps count.
    teams = {period.team_id} | set(
        Membership.objects.filter(user__memberships__team_id=period.team_id).values_list(
            "team_id", flat=True
        )
    )
    return fragments.cached(
        f"period:5:{period.pk}:{zone}", teams=sorted(teams), build=lambda: _sections(period)
    )


def latest_recommendation(period) -> dict[str, Any] | None:
    """Return what the page shows of the period's latest recommendation, as plain values.

    The solution itself (every seat's candidates) is large: only its two figures are read.
    """
    found = (
        period.recommendations.order_by("-created_at", "-id")
        .values(
            "status",
            "finished_at",
            "error",
            solution_status=KT("solution__status"),
            solution_seconds=KT("solution__seconds"),
        )
        .first()
    )
    if found is None:
        return None
    status, finished_at = found["status"], found["finished_at"]
    return {
        "status": status,
        "status_display": dict(Recommendation.Status.choices).get(status, status),
        "finished": status in (Recommendation.Status.DONE, Recommendation.Status.FAILED),
        "error": found["error"],
        # The sections are kept per viewer's zone, so the time is written in it here.
        "finished_at": dateformat.format(timezone.localtime(finished_at), "D j M H:i")
        if finished_at
        else "",
        "solution_status": found["solution_status"],
        "solution_seconds": found["solution_seconds"],
    }


def seat_panel(period, seat_pk: int) -> dict[str, Any]:
    """Return the context of the open seat's panel, read for that seat alone ({} if none)."""
    try:
        pp = problem_builder.build(period, seat_id=seat_pk)
    except Seat.DoesNotExist:
        return {}
    selected = next(s for s in pp.seats if s.pk == seat_pk)
    selected.draft_user = _draft_user(pp, selected)
    ranked = candidates(pp, selected)
    listed = {c["user"].pk for c in ranked}
    return {
        "selected": selected,
        "candidates": ranked,
        "everyone_else": Explainer(pp).everyone(selected, listed),
        "others": [u for u in pp.members if u.pk not in listed],
    }


def _draft_user(pp: PeriodProblem, seat: Seat) -> User | None:
    """Return the seat's proposed holder if they are a member (None for a former member)."""
    holder_id = seat.proposed_holder_id
    return pp.users.get(holder_id) if holder_id is not None else None


def _sections(period) -> fragments.Part:
    pp = problem_builder.build(period, with_day_states=True)
    for seat in pp.seats:
        seat.draft_user = _draft_user(pp, seat)
    roles, shift_rows = shifts_table(pp)
    explainer = Explainer(pp)
    shown = grid(pp, explainer)
    context = {
        "team": period.team,
        "period": period,
        "grid": {**shown, "body": grid_html.grid_rows(shown)},
        "roles": roles,
        "shift_body": grid_html.shift_rows(shift_rows, version=period.version),
        "summary": summary(pp, explainer),
    }
    context["load_body"] = grid_html.load_rows(context["summary"])
    shape = health.from_seats(
        period, users=pp.members, settings=pp.settings, seats=pp.seats, elsewhere=pp.commitments
    )
    return fragments.Part(
        {
            "grid": render_to_string("rotas/_grid.html", context),
            "shifts": render_to_string("rotas/_shifts.html", context),
            "summary": render_to_string("rotas/_summary.html", context),
            "health": render_to_string(
                "rotas/_health.html", {"health": shape, "health_body": grid_html.health_rows(shape)}
            ),
            "pending": sum(1 for s in pp.seats if s.holder_id != s.proposed_holder_id),
            # Its saves renew the team's stamp, like the seats'.
            "recommendation": latest_recommendation(period),
        },
        until=fragments.next_midnight(period.team.tz),
    )


def _cell_words(
    explainer: Explainer,
    user,
    day: date,
    first_seat: dict[date, Seat],
    eligible: bool,
    elsewhere: list[str],
) -> str:
    """Return the reason words a day's tooltip adds: the requirement missing, another team."""
    words = []
    seat = first_seat.get(day)
    if not eligible and seat is not None:
        reason = explainer.eligibility(seat, user)
        words.append(reason.words if reason else "not eligible")
    elif not eligible:
        words.append("not eligible")
    words += elsewhere
    return "".join(f", {w}" for w in words)


def grid(pp: PeriodProblem, explainer: Explainer | None = None) -> dict[str, Any]:
    """Return the people × days grid: availability state, eligibility and assignments."""
    period = pp.period
    days = _days(period.starts_on, period.ends_on)
    states = pp.day_states
    if states is None:
        states = inputs.day_states(
            team=period.team, first=period.starts_on, last=period.ends_on, users=pp.members
        )
    viewer_tz = timezone.get_current_timezone()
    by_user_day: dict[tuple[int, date], list[Chip]] = defaultdict(list)
    empty_by_day: dict[date, list[Chip]] = defaultdict(list)
    for seat in pp.seats:
        shift = seat.shift
        where = f" {shift.label}" if shift.label else ""
        chip = Chip(
            seat=seat,
            short=ROLE_SHORT.get(seat.role, seat.role[:2].title()),
            region=shift.label[:3],
            title=f"{seat.role}{where}, {shift.starts_at.astimezone(viewer_tz):%H:%M}",
        )
        day = pp.seat_dates[seat.pk]
        if seat.proposed_holder_id:
            by_user_day[(seat.proposed_holder_id, day)].append(chip)
        else:
            chip.title = f"Empty: {chip.title}"
            empty_by_day[day].append(chip)
    offered = {s.role for s in pp.seats} - ALWAYS_ELIGIBLE or {"primary"}
    # Each cell's tooltip is built here with the day formatted once per day: formatting and
    # looking it up in the template for every cell was close to half of the page's time.
    labels = {day: dateformat.format(day, "D j M") for day in days}
    explainer = explainer or Explainer(pp)
    # The tooltip explains eligibility for the day's main role (primary when offered).
    first_seat: dict[date, Seat] = {}
    for seat in sorted(pp.seats, key=lambda s: (s.role != "primary", s.shift.starts_at)):
        first_seat.setdefault(pp.seat_dates[seat.pk], seat)
    # Seats elsewhere, in the words of the day they start on (in the team's zone).
    team_tz = period.team.tz
    busy_days: dict[tuple[int, date], list[str]] = defaultdict(list)
    for cs in pp.commitments.values():
        for c in cs:
            busy_days[(c.user_id, c.starts_at.astimezone(team_tz).date())].append(
                f"on call for {c.team_name} ({c.describe(viewer_tz)})"
            )
    rows = []
    for user in pp.members:
        uid, name = user.id, user.name  # .pk is a property: 2,000 cells read it often
        eligibility = pp.eligibility.get(uid, {})
        mine = states.get(uid, {})
        cells = []
        for day in days:
            state = mine.get(day, "unknown")
            eligible = not offered.isdisjoint(eligibility.get(day, ALWAYS_ELIGIBLE))
            title = f"{name}, {labels[day]}: {state}"
            elsewhere = busy_days.get((uid, day), [])
            if not eligible or elsewhere:
                title += _cell_words(explainer, user, day, first_seat, eligible, elsewhere)
            cells.append(Cell(day, state, eligible, by_user_day.get((uid, day), []), title))
        rows.append({"user": user, "cells": cells})
    present = {s.role for s in pp.seats}
    legend = [(short, role) for role, short in ROLE_SHORT.items() if role in present]
    empty = [empty_by_day.get(day, []) for day in days]
    return {
        "days": days,
        "rows": rows,
        "legend": legend,
        "empty": empty,
        "empty_count": sum(len(chips) for chips in empty),
    }


def shifts_table(pp: PeriodProblem) -> tuple[list[str], list[dict[str, Any]]]:
    """Return column titles and one row per local day: a column per region and role."""
    order = {"primary": 0, "secondary": 1, "shadow": 2}
    labels: list[str] = []
    for seat in pp.seats:
        if seat.shift.label not in labels:
            labels.append(seat.shift.label)
    roles = sorted({s.role for s in pp.seats}, key=lambda r: order.get(r, 9))
    columns = [(label, role) for label in labels for role in roles]
    rows: dict[date, dict[str, Any]] = {}
    for seat in pp.seats:
        row = rows.setdefault(pp.seat_dates[seat.pk], {"shifts": [], "seats": {}})
        if seat.shift not in row["shifts"]:
            row["shifts"].append(seat.shift)
        row["seats"][(seat.shift.label, seat.role)] = seat
    ordered = []
    for day, row in rows.items():
        ordered.append(
            {
                "date": day,
                "shift": row["shifts"][0],
                "regional": len(labels) > 1,
                "cells": [row["seats"].get(column) for column in columns],
            }
        )
    titles = [f"{label} {role}".strip() for label, role in columns]
    return titles, ordered


def candidates(pp: PeriodProblem, seat: Seat) -> list[dict[str, Any]]:
    """Return the engine's ranked candidates for the seat, with their users."""
    users = pp.users
    ranked = rank_candidates(pp.problem, str(seat.pk), pp.draft())
    return [
        {
            "user": users[user_id],
            "score": c.score,
            "percent": round(c.score * 100),
            "reasons": c.reasons,
        }
        for c in ranked
        if (user_id := user_id_of(c.person)) is not None and user_id in users
    ]


def summary(pp: PeriodProblem, explainer: Explainer | None = None) -> dict[str, Any]:
    """Return loads per person (every team), weekend/holiday counts, empty seats by cause."""
    period = pp.period
    holidays = public_holidays(
        pp.settings.holiday_country, range(period.starts_on.year, period.ends_on.year + 1)
    )
    past = {p.id: p.past_shifts for p in pp.problem.people}
    loads = {u.pk: PersonLoad(user=u, past=past.get(person_id(u.pk), 0)) for u in pp.members}
    for user_id, load in loads.items():
        past_teams = pp.past_by_team.get(user_id, Counter[str]())
        load.past_title = ", ".join(f"{name} {n}" for name, n in sorted(past_teams.items()))
        mine = pp.commitments.get(user_id, [])
        # Upcoming utilisation: seats held elsewhere during this period, and calendar time.
        load.elsewhere = sum(1 for c in mine if c.team_id != period.team_id)
        by_team: dict[str, int] = defaultdict(int)
        for c in mine:
            if c.team_id != period.team_id:
                by_team[c.team_name] += 1
        load.elsewhere_title = ", ".join(f"{name} {n}" for name, n in sorted(by_team.items()))
        own = pp.windows.get(user_id)
        load.busy_hours = sum((b - a).total_seconds() for a, b in (own.busy if own else [])) / 3600
    empty: list[Seat] = []
    for seat in pp.seats:
        found = loads.get(seat.proposed_holder_id) if seat.proposed_holder_id else None
        if found is None:
            empty.append(seat)
            continue
        day = pp.seat_dates[seat.pk]
        found.seats += 1
        found.weight += seat.shift.weight
        found.weekends += day.weekday() >= 5
        found.holidays += day in holidays
    rows = sorted(loads.values(), key=lambda x: (-x.weight, x.user.name))
    top = max((r.weight for r in rows), default=0) or 1
    for row in rows:
        row.bar = round(100 * row.weight / top)
    gaps = group_empty(explainer or Explainer(pp), empty)
    filled = len(pp.seats) - len(empty)
    shared = any(r.elsewhere for r in rows)
    return {
        "loads": rows,
        "gaps": gaps,
        "empty": len(empty),
        "filled": filled,
        "total": len(pp.seats),
        "shared": shared,
    }
