"""Pay for held hours: pure functions from pieces of held seats and rules to pay lines.

Hours are cut where anything about their pay can change: the person's local midnights (weekends
and public holidays), the start and end of their night, and the team-local day a new rule takes
effect. Each cut piece is paid at its role's rate times the highest multiplier that applies to it
(kinds do not stack). A per-shift rate pays once per shift, in the month it starts, at the kind of
its first hour, scaled by the share of the original shift the person held (partial covers).
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
KINDS = ("standard", "weekend", "holiday", "night")
CAP_CODE = "CAP"


@dataclass(frozen=True)
class Piece:
    """One stretch of a published seat held by one person."""

    user_id: int
    role: str
    starts_at: datetime
    ends_at: datetime
    share: float = 1.0


@dataclass(frozen=True)
class Rate:
    unit: str  # "hour" or "shift"
    amount: Decimal


@dataclass(frozen=True)
class Rules:
    """A pay policy as plain data."""

    effective_from: date
    currency: str
    rates: dict[str, Rate]
    weekend: Decimal = Decimal("1")
    holiday: Decimal = Decimal("1")
    night: Decimal = Decimal("1")
    night_starts: time = time(22)
    night_ends: time = time(7)
    monthly_cap: Decimal | None = None

    def multiplier(self, kind: str) -> Decimal:
        return {"weekend": self.weekend, "holiday": self.holiday, "night": self.night}.get(
            kind, Decimal("1")
        )


@dataclass
class Line:
    """One person's pay under one pay code in one month."""

    hours: Decimal = Decimal(0)
    shifts: Decimal = Decimal(0)
    amount: Decimal = Decimal(0)

    def add(self, other: Line) -> None:
        self.hours += other.hours
        self.shifts += other.shifts
        self.amount += other.amount

    def rounded(self) -> Line:
        return Line(
            hours=self.hours.quantize(CENT, ROUND_HALF_UP),
            shifts=self.shifts.quantize(CENT, ROUND_HALF_UP),
            amount=self.amount.quantize(CENT, ROUND_HALF_UP),
        )

    def is_zero(self) -> bool:
        return not (self.hours or self.shifts or self.amount)


@dataclass
class Context:
    """What the calculation needs besides the pieces."""

    start: datetime
    end: datetime
    team_tz: zoneinfo.ZoneInfo
    person_tz: dict[int, zoneinfo.ZoneInfo]
    rules: list[Rules]
    holidays: frozenset[date] = frozenset()
    _default_tz: zoneinfo.ZoneInfo = field(default_factory=lambda: zoneinfo.ZoneInfo("UTC"))

    def tz_of(self, user_id: int) -> zoneinfo.ZoneInfo:
        return self.person_tz.get(user_id, self.team_tz)

    def rules_at(self, moment: datetime) -> Rules | None:
        """Return the rules in force on the team-local day of the moment."""
        day = moment.astimezone(self.team_tz).date()
        current = None
        for rules in self.rules:
            if rules.effective_from <= day:
                current = rules
        return current


def code(role: str, kind: str) -> str:
    """Return the pay code of a role and kind, e.g. PRIMARY-WEEKEND."""
    return f"{role}-{kind}".upper()


def kind_at(
    moment: datetime, *, tz: zoneinfo.ZoneInfo, rules: Rules, holidays: frozenset[date]
) -> str:
    """Return the kind of hour the moment is for a person in tz: the one paying most."""
    local = moment.astimezone(tz)
    applies = []
    if local.date() in holidays:
        applies.append("holiday")
    if local.weekday() >= 5:
        applies.append("weekend")
    clock = local.time()
    start, end = rules.night_starts, rules.night_ends
    if (start > end and (clock >= start or clock < end)) or (start < end and start <= clock < end):
        applies.append("night")
    if not applies:
        return "standard"
    # max() keeps the first of equal multipliers: holiday, then weekend, then night.
    return max(applies, key=rules.multiplier)


def _local(day: date, clock: time, tz: zoneinfo.ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


def cuts(start: datetime, end: datetime, *, tz: zoneinfo.ZoneInfo, ctx: Context) -> list[datetime]:
    """Return the sorted instants in (start, end) where an hour's pay may change."""
    points: set[datetime] = set()
    clocks = {time(0)} | {r.night_starts for r in ctx.rules} | {r.night_ends for r in ctx.rules}
    day = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    while day <= last:
        points.update(_local(day, clock, tz) for clock in clocks)
        day += timedelta(days=1)
    points.update(_local(r.effective_from, time(0), ctx.team_tz) for r in ctx.rules)
    return sorted(p for p in points if start < p < end)


def _hours(a: datetime, b: datetime) -> Decimal:
    # Aware datetimes subtract in real time, so a DST night is an hour shorter or longer.
    return Decimal(int((b - a).total_seconds())) / Decimal(3600)


def piece_lines(piece: Piece, ctx: Context) -> dict[str, Line]:
    """Return the pay lines (by code) of one piece within the context's window."""
    tz = ctx.tz_of(piece.user_id)
    start, end = max(piece.starts_at, ctx.start), min(piece.ends_at, ctx.end)
    lines: dict[str, Line] = defaultdict(Line)
    first_rules = ctx.rules_at(piece.starts_at)
    per_shift = first_rules is not None and _rate(first_rules, piece.role).unit == "shift"
    if per_shift:
        assert first_rules is not None
        if not ctx.start <= piece.starts_at < ctx.end:
            return {}
        kind = kind_at(piece.starts_at, tz=tz, rules=first_rules, holidays=ctx.holidays)
        share = Decimal(str(piece.share))
        line = lines[code(piece.role, kind)]
        line.hours += _hours(piece.starts_at, piece.ends_at)
        line.shifts += share
        line.amount += _rate(first_rules, piece.role).amount * share * first_rules.multiplier(kind)
        return dict(lines)
    if start >= end:
        return {}
    bounds = [start, *cuts(start, end, tz=tz, ctx=ctx), end]
    for a, b in zip(bounds, bounds[1:], strict=False):
        middle = a + (b - a) / 2
        rules = ctx.rules_at(a)
        hours = _hours(a, b)
        if rules is None:
            lines[code(piece.role, "standard")].hours += hours
            continue
        kind = kind_at(middle, tz=tz, rules=rules, holidays=ctx.holidays)
        line = lines[code(piece.role, kind)]
        line.hours += hours
        line.amount += hours * _rate(rules, piece.role).amount * rules.multiplier(kind)
    return dict(lines)


def _rate(rules: Rules, role: str) -> Rate:
    return rules.rates.get(role, Rate("hour", Decimal(0)))


def month_lines(pieces: list[Piece], ctx: Context) -> dict[int, dict[str, Line]]:
    """Return each person's rounded pay lines for the window, with a cap line where it binds."""
    people: dict[int, dict[str, Line]] = defaultdict(lambda: defaultdict(Line))
    for piece in pieces:
        for name, line in piece_lines(piece, ctx).items():
            people[piece.user_id][name].add(line)
    cap_rules = ctx.rules_at(ctx.end - timedelta(seconds=1))
    result: dict[int, dict[str, Line]] = {}
    for user_id, lines in people.items():
        rounded = {name: line.rounded() for name, line in sorted(lines.items())}
        total = sum((line.amount for line in rounded.values()), Decimal(0))
        cap = cap_rules.monthly_cap if cap_rules else None
        if cap is not None and total > cap:
            rounded[CAP_CODE] = Line(amount=(cap - total).quantize(CENT))
        result[user_id] = rounded
    return result


def difference(
    now: dict[int, dict[str, Line]], before: dict[int, dict[str, Line]]
) -> dict[int, dict[str, Line]]:
    """Return now − before, line by line, leaving out what did not change."""
    result: dict[int, dict[str, Line]] = {}
    for user_id in sorted(set(now) | set(before)):
        codes = set(now.get(user_id, {})) | set(before.get(user_id, {}))
        lines = {}
        for name in sorted(codes):
            a, b = now.get(user_id, {}).get(name, Line()), before.get(user_id, {}).get(name, Line())
            diff = Line(a.hours - b.hours, a.shifts - b.shifts, a.amount - b.amount)
            if not diff.is_zero():
                lines[name] = diff
        if lines:
            result[user_id] = lines
    return result


def add(into: dict[int, dict[str, Line]], more: dict[int, dict[str, Line]]) -> None:
    """Add more's lines into into."""
    for user_id, lines in more.items():
        target = into.setdefault(user_id, {})
        for name, line in lines.items():
            target.setdefault(name, Line()).add(line)


def to_json(lines: dict[int, dict[str, Line]]) -> list[dict[str, str | int]]:
    """Return lines as JSON-safe rows (decimals as strings)."""
    return [
        {
            "user": user_id,
            "code": name,
            "hours": str(line.hours),
            "shifts": str(line.shifts),
            "amount": str(line.amount),
        }
        for user_id, by_code in sorted(lines.items())
        for name, line in sorted(by_code.items())
    ]


def from_json(rows: list[dict]) -> dict[int, dict[str, Line]]:
    """Return lines stored by to_json."""
    result: dict[int, dict[str, Line]] = {}
    for row in rows:
        result.setdefault(int(row["user"]), {})[row["code"]] = Line(
            Decimal(row["hours"]), Decimal(row["shifts"]), Decimal(row["amount"])
        )
    return result
