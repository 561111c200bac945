"""Monthly pay: load held hours and rules, build the report, lock a month, write payroll CSV."""

from __future__ import annotations

import csv
import io
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import audit
from accounts.models import Membership, Team, User
from scheduling.pay import calc
from scheduling.pay.errors import MonthLocked, MonthNotOver, PayError
from scheduling.pay.models import PayMonth, PayPolicy, PayRate
from scheduling.rotas.models import RotaSettings, Seat
from scheduling.rotas.shiftgen import public_holidays


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def previous_month(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def window(team: Team, month: date) -> tuple[datetime, datetime]:
    """Return the UTC instants of the team-local midnights that open and close the month."""
    utc = zoneinfo.ZoneInfo("UTC")
    first = datetime.combine(month, time(0), tzinfo=team.tz).astimezone(utc)
    last = datetime.combine(next_month(month), time(0), tzinfo=team.tz).astimezone(utc)
    return first, last


def rules_of(team: Team) -> list[calc.Rules]:
    """Return the team's pay policies as plain rules, oldest first."""
    return [
        calc.Rules(
            effective_from=policy.effective_from,
            currency=policy.currency,
            rates={r.role: calc.Rate(r.unit, r.amount) for r in policy.rates.all()},
            weekend=policy.weekend_multiplier,
            holiday=policy.holiday_multiplier,
            night=policy.night_multiplier,
            night_starts=policy.night_starts,
            night_ends=policy.night_ends,
            monthly_cap=policy.monthly_cap,
        )
        for policy in PayPolicy.objects.for_team(team)
    ]


@dataclass
class Inputs:
    """A month's held pieces and everything needed to pay them."""

    ctx: calc.Context
    pieces: list[calc.Piece]
    people: dict[int, User]


def inputs(team: Team, month: date, rules: list[calc.Rules] | None = None) -> Inputs:
    """Return the month's pieces of published seats the team's people held, in two queries."""
    start, end = window(team, month)
    seats = (
        Seat.objects.published()
        .filter(shift__team=team, holder__isnull=False)
        .filter(shift__starts_at__lt=end, shift__ends_at__gt=start)
        .select_related("shift", "holder")
    )
    pieces, people = [], {}
    for seat in seats:
        assert seat.holder is not None
        people[seat.holder_id] = seat.holder
        pieces.append(
            calc.Piece(
                user_id=seat.holder.pk,
                role=seat.role,
                starts_at=seat.shift.starts_at,
                ends_at=seat.shift.ends_at,
                share=seat.shift.share,
            )
        )
    settings = RotaSettings.objects.filter(team=team).first()
    country = settings.holiday_country if settings else ""
    ctx = calc.Context(
        start=start,
        end=end,
        team_tz=team.tz,
        person_tz={pk: _tz(user.timezone, team.tz) for pk, user in people.items()},
        rules=rules if rules is not None else rules_of(team),
        holidays=public_holidays(country, range(month.year - 1, month.year + 2)),
    )
    return Inputs(ctx=ctx, pieces=pieces, people=people)


def _tz(name: str, default: zoneinfo.ZoneInfo) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name) if name else default
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return default


def compute(team: Team, month: date, rules: list[calc.Rules] | None = None) -> calc_lines:
    """Return the month's pay lines as the data reads now."""
    data = inputs(team, month, rules)
    return calc.month_lines(data.pieces, data.ctx)


calc_lines = dict[int, dict[str, calc.Line]]


def _accounted(month: date, locks: dict[date, PayMonth]) -> calc_lines:
    """Return what payroll was already sent for a locked month: its lines and later corrections."""
    lock = locks[month]
    lines = calc.from_json(lock.lines)
    for later in locks.values():
        if later.month > month:
            calc.add(lines, calc.from_json(later.adjustments.get(f"{month:%Y-%m}", [])))
    return lines


def _absorbed_by(month: date, locks: dict[date, PayMonth]) -> list[date]:
    """Return the locked months whose corrections are paid with the open month `month`."""
    months = []
    cursor = previous_month(month)
    while cursor in locks:
        months.append(cursor)
        cursor = previous_month(cursor)
    return months


@dataclass
class PersonPay:
    user_id: int
    name: str
    email: str
    lines: dict[str, calc.Line] = field(default_factory=dict)
    adjustments: list[tuple[date, str, calc.Line]] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        own = sum((line.amount for line in self.lines.values()), Decimal(0))
        return own + sum((line.amount for _, _, line in self.adjustments), Decimal(0))

    @property
    def hours(self) -> Decimal:
        return sum((line.hours for line in self.lines.values()), Decimal(0))


@dataclass
class MonthPay:
    team: Team
    month: date
    currency: str
    people: list[PersonPay]
    lock: PayMonth | None
    has_rules: bool

    @property
    def total(self) -> Decimal:
        return sum((p.total for p in self.people), Decimal(0))

    @property
    def ended(self) -> bool:
        return window(self.team, self.month)[1] <= timezone.now()


def _pending_adjustments(team: Team, month: date, locks: dict[date, PayMonth], rules) -> dict:
    """Return {locked month: corrections} that the open month pays."""
    result = {}
    for earlier in _absorbed_by(month, locks):
        diff = calc.difference(compute(team, earlier, rules), _accounted(earlier, locks))
        if diff:
            result[earlier] = diff
    return result


def month_pay(*, team: Team, month: date) -> MonthPay:
    """Return the month's pay report: frozen if sent to payroll, else as the data reads now."""
    month = month_start(month)
    locks = {lock.month: lock for lock in PayMonth.objects.filter(team=team)}
    rules = rules_of(team)
    lock = locks.get(month)
    if lock is not None:
        own = calc.from_json(lock.lines)
        adjustments = {
            date.fromisoformat(key + "-01"): calc.from_json(rows)
            for key, rows in lock.adjustments.items()
        }
    else:
        own = compute(team, month, rules)
        adjustments = _pending_adjustments(team, month, locks, rules)
    names = _names(team, set(own) | {u for lines in adjustments.values() for u in lines})
    people = {pk: PersonPay(pk, *names[pk]) for pk in names}
    for pk, lines in own.items():
        people[pk].lines = lines
    for earlier, by_person in sorted(adjustments.items()):
        for pk, lines in by_person.items():
            people[pk].adjustments += [(earlier, name, line) for name, line in lines.items()]
    current = [r for r in rules if r.effective_from < next_month(month)]
    currency = (current or rules or [calc.Rules(month, "GBP", {})])[-1].currency
    return MonthPay(
        team=team,
        month=month,
        currency=currency,
        people=sorted(people.values(), key=lambda p: (p.name.lower(), p.user_id)),
        lock=lock,
        has_rules=bool(rules),
    )


def _names(team: Team, user_ids: set[int]) -> dict[int, tuple[str, str]]:
    users = User.objects.filter(pk__in=user_ids)
    return {u.pk: (u.name, u.email) for u in users}


def lock_month(*, team: Team, month: date, by: User) -> PayMonth:
    """Send a month to payroll: freeze its lines and the corrections to earlier months it pays."""
    month = month_start(month)
    if window(team, month)[1] > timezone.now():
        raise MonthNotOver(f"{month:%B %Y} has not ended yet: lock it once it is over.")
    report = month_pay(team=team, month=month)
    if report.lock is not None:
        raise MonthLocked(f"{month:%B %Y} was already sent to payroll.")
    own = {p.user_id: p.lines for p in report.people if p.lines}
    adjustments: dict[str, list] = {}
    for person in report.people:
        for earlier, name, line in person.adjustments:
            key = f"{earlier:%Y-%m}"
            adjustments.setdefault(key, []).extend(calc.to_json({person.user_id: {name: line}}))
    try:
        with transaction.atomic():
            lock = PayMonth.objects.create(
                team=team,
                month=month,
                locked_at=timezone.now(),
                locked_by=by,
                lines=calc.to_json(own),
                adjustments=adjustments,
            )
    except IntegrityError as error:
        # Another manager locked it a moment ago: the unique constraint keeps one snapshot.
        raise MonthLocked(f"{month:%B %Y} was already sent to payroll.") from error
    audit.record(
        action="pay.locked",
        summary=f"{by.name} sent {month:%B %Y} pay to payroll ({report.total} {report.currency})",
        actor=by,
        team=team,
        target=lock,
        month=f"{month:%Y-%m}",
    )
    return lock


CSV_COLUMNS = [
    "month",
    "email",
    "name",
    "pay_code",
    "hours",
    "shifts",
    "amount",
    "currency",
    "note",
]


def _cell(value: object) -> str:
    """Return a CSV cell a spreadsheet cannot read as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def payroll_csv(report: MonthPay) -> str:
    """Return the payroll CSV: one line per person and pay code, corrections after."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    month = f"{report.month:%Y-%m}"
    for person in report.people:
        for name, line in person.lines.items():
            writer.writerow(
                [
                    month,
                    _cell(person.email),
                    _cell(person.name),
                    name,
                    line.hours,
                    line.shifts,
                    line.amount,
                    report.currency,
                    "cap" if name == calc.CAP_CODE else "",
                ]
            )
        for earlier, name, line in person.adjustments:
            writer.writerow(
                [
                    month,
                    _cell(person.email),
                    _cell(person.name),
                    f"ADJ-{name}",
                    line.hours,
                    line.shifts,
                    line.amount,
                    report.currency,
                    f"correction to {earlier:%Y-%m}",
                ]
            )
    return out.getvalue()


def save_policy(
    *,
    team: Team,
    by: User,
    effective_from: date,
    currency: str,
    rates: dict[str, tuple[str, Decimal]],
    **multipliers,
) -> PayPolicy:
    """Add or replace the rules that apply from a day; a month sent to payroll keeps its rules."""
    locked = PayMonth.objects.filter(team=team, month__gte=month_start(effective_from)).first()
    if locked is not None:
        raise MonthLocked(
            f"{locked.month:%B %Y} was sent to payroll: new rules can start from "
            f"{next_month(locked.month):%-d %B %Y} at the earliest."
        )
    other = PayPolicy.objects.filter(team=team).exclude(effective_from=effective_from)
    currencies = set(other.values_list("currency", flat=True))
    if currencies and currency.upper() not in currencies:
        raise PayError(f"The team is paid in {', '.join(sorted(currencies))}: keep that currency.")
    with transaction.atomic():
        policy, created = PayPolicy.objects.update_or_create(
            team=team,
            effective_from=effective_from,
            defaults={"currency": currency.upper(), "created_by": by, **multipliers},
        )
        policy.rates.all().delete()
        PayRate.objects.bulk_create(
            PayRate(policy=policy, role=role, unit=unit, amount=amount)
            for role, (unit, amount) in rates.items()
        )
        audit.record(
            action="pay.rules_saved",
            summary=f"{by.name} {'set' if created else 'changed'} pay rules from "
            f"{effective_from:%-d %b %Y}",
            actor=by,
            team=team,
            target=policy,
        )
    return policy


def members_of(team: Team) -> list[User]:
    return [m.user for m in Membership.objects.filter(team=team).select_related("user")]
