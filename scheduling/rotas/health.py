"""The health of a rotation over a window, against the limits Google's SRE book sets.

Each person's share of time on call (warn above 25%), the team's size per site (at least eight
people for one site, six per site for two or more), how weekends and holidays are spread, night
hours in each person's own zone and the longest run of days on call. Shadow seats are learning,
not duty: they count for nothing here.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Q

from accounts.models import Membership, Team
from scheduling.rotas.commitments import Commitment
from scheduling.rotas.models import (
    RotaPeriod,
    RotaSettings,
    RotationTemplate,
    Seat,
    ShiftPattern,
)
from scheduling.rotas.shiftgen import public_holidays

SHARE_LIMIT = 0.25
SINGLE_SITE_MINIMUM = 8
PER_SITE_MINIMUM = 6
LONGEST_RUN_LIMIT = 7
NIGHT = (time(22), time(7))


@dataclass(frozen=True)
class Held:
    """A stretch of duty: this team's seat or, with other_team set, another team's."""

    user_id: int
    starts_at: datetime
    ends_at: datetime
    other_team: str = ""


@dataclass
class PersonHealth:
    user_id: int
    name: str
    hours: float = 0.0
    other_hours: float = 0.0
    share: float = 0.0
    weekend_holiday_hours: float = 0.0
    night_hours: float = 0.0
    longest_run: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(self.share * 100)


@dataclass
class Site:
    label: str
    people: int
    minimum: int

    @property
    def short(self) -> bool:
        return self.people < self.minimum


@dataclass
class Health:
    start: datetime
    end: datetime
    people: list[PersonHealth]
    sites: list[Site]
    warnings: list[str]

    @property
    def ok(self) -> bool:
        return not self.warnings


def _hours(a: datetime, b: datetime) -> float:
    # In UTC: two datetimes sharing a zone subtract as wall clocks, losing a DST hour.
    return max(0.0, (b.astimezone(UTC) - a.astimezone(UTC)).total_seconds() / 3600)


def _clip(h: Held, start: datetime, end: datetime) -> tuple[datetime, datetime]:
    return max(h.starts_at, start), min(h.ends_at, end)


def _union_hours(spans: list[tuple[datetime, datetime]]) -> float:
    """Return the hours covered by the spans, overlaps counted once."""
    total, reach = 0.0, None
    for a, b in sorted(spans):
        if reach is not None and a < reach:
            a = reach
        if b > a:
            total += _hours(a, b)
            reach = b if reach is None or b > reach else reach
    return total


def _split_by_day(a: datetime, b: datetime, tz: zoneinfo.ZoneInfo):
    """Yield (local date, start, end) pieces of [a, b) cut at local midnights."""
    while a < b:
        day = a.astimezone(tz).date()
        midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
        piece_end = min(b, midnight)
        yield day, a, piece_end
        a = piece_end


def _night_hours(a: datetime, b: datetime, tz: zoneinfo.ZoneInfo) -> float:
    total = 0.0
    for day, lo, hi in _split_by_day(a, b, tz):
        after = day + timedelta(days=1)
        for start, end in (((day, time(0)), (day, NIGHT[1])), ((day, NIGHT[0]), (after, time(0)))):
            low = datetime.combine(*start, tzinfo=tz).astimezone(UTC)
            high = datetime.combine(*end, tzinfo=tz).astimezone(UTC)
            total += _hours(max(lo, low), min(hi, high))
    return total


def _duty_days(h: Held, tz: zoneinfo.ZoneInfo) -> set[date]:
    """Return the local days a stretch of duty takes: its first day and every further full day."""
    first = h.starts_at.astimezone(tz).date()
    days = max(1, round(_hours(h.starts_at, h.ends_at) / 24))
    return {first + timedelta(days=i) for i in range(days)}


def _longest_run(days: set[date]) -> int:
    best = 0
    for day in days:
        if day - timedelta(days=1) not in days:
            length = 1
            while day + timedelta(days=length) in days:
                length += 1
            best = max(best, length)
    return best


def assess(
    held: list[Held],
    *,
    people: dict[int, tuple[str, zoneinfo.ZoneInfo]],
    start: datetime,
    end: datetime,
    team_tz: zoneinfo.ZoneInfo,
    holidays: frozenset[date],
    sites: dict[str, str],
) -> Health:
    """Return the rotation's health; sites maps each site's label to its time zone."""
    window = _hours(start, end) or 1.0
    rows = {pk: PersonHealth(pk, name) for pk, (name, _) in people.items()}
    spans: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    days: dict[int, set[date]] = defaultdict(set)
    weekend_total = 0.0
    for h in held:
        if h.user_id not in rows:
            continue
        a, b = _clip(h, start, end)
        if b <= a:
            continue
        row, tz = rows[h.user_id], people[h.user_id][1]
        spans[h.user_id].append((a, b))
        days[h.user_id] |= _duty_days(h, team_tz)
        if h.other_team:
            row.other_hours += _hours(a, b)
            continue
        row.hours += _hours(a, b)
        row.night_hours += _night_hours(a, b, tz)
        for day, lo, hi in _split_by_day(a, b, team_tz):
            if day in holidays or day.weekday() >= 5:
                row.weekend_holiday_hours += _hours(lo, hi)
                weekend_total += _hours(lo, hi)
    warnings: list[str] = []
    on_rota = [r for r in rows.values() if r.hours]
    fair = weekend_total / len(on_rota) if on_rota else 0.0
    mean_nights = sum(r.night_hours for r in on_rota) / len(on_rota) if on_rota else 0.0
    for row in rows.values():
        row.share = _union_hours(spans[row.user_id]) / window
        row.longest_run = _longest_run(days[row.user_id])
        if row.share > SHARE_LIMIT:
            other = f", {row.other_hours:.0f} h of it for other teams" if row.other_hours else ""
            row.warnings.append(f"on call {row.percent}% of the time{other} (limit 25%)")
        if (
            len(on_rota) > 1
            and row.weekend_holiday_hours > 2 * fair
            and row.weekend_holiday_hours >= 24
        ):
            row.warnings.append(
                f"{row.weekend_holiday_hours:.0f} h of weekends and holidays, twice the fair share"
                f" of {fair:.0f} h"
            )
        if len(on_rota) > 1 and mean_nights and row.night_hours > 2 * mean_nights:
            row.warnings.append(
                f"{row.night_hours:.0f} night hours, more than twice the team's mean of"
                f" {mean_nights:.0f} h"
            )
        if row.longest_run > LONGEST_RUN_LIMIT:
            row.warnings.append(f"{row.longest_run} days on call in a row")
        warnings += [f"{row.name}: {w}" for w in row.warnings]
    site_rows = _sites(people, sites)
    for site in site_rows:
        if site.short:
            where = f" in {site.label}" if len(site_rows) > 1 else ""
            warnings.append(
                f"{site.people} {'person' if site.people == 1 else 'people'}{where}: a rotation"
                f" needs at least {site.minimum} to keep on-call time under 25%"
            )
    ordered = sorted(rows.values(), key=lambda r: (-r.share, r.name.lower()))
    return Health(start=start, end=end, people=ordered, sites=site_rows, warnings=warnings)


def _sites(people: dict[int, tuple[str, zoneinfo.ZoneInfo]], sites: dict[str, str]) -> list[Site]:
    """Return each site's head count; a person belongs to the site in their own time zone."""
    if len(sites) <= 1:
        label = next(iter(sites), "The team")
        return [Site(label, len(people), SINGLE_SITE_MINIMUM)]
    counts = dict.fromkeys(sites, 0)
    zones = {zone: label for label, zone in sites.items()}
    for _, tz in people.values():
        site = zones.get(str(tz))
        if site is not None:
            counts[site] += 1
    return [Site(label, n, PER_SITE_MINIMUM) for label, n in counts.items()]


def _tz(name: str, default: zoneinfo.ZoneInfo) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name) if name else default
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return default


def for_window(
    *,
    team: Team,
    start: datetime,
    end: datetime,
    period: RotaPeriod | None = None,
    users: list | None = None,
    settings: RotaSettings | None = None,
) -> Health:
    """Return the health of the team's rotation in [start, end), in a constant number of queries.

    With a period that is not published, its proposed holders count instead of the holders.
    ``users`` and ``settings``: the team's members and rota settings when the caller has them.
    """
    if users is None:
        users = [m.user for m in Membership.objects.filter(team=team).select_related("user")]
    people = {u.pk: (u.name, _tz(u.timezone, team.tz)) for u in users}
    draft = period is not None and period.version == 0
    seats = Seat.objects.exclude(role="shadow").filter(
        shift__starts_at__lt=end, shift__ends_at__gt=start
    )
    own = seats.filter(shift__team=team)
    own = own.filter(shift__period=period) if draft else own.published()
    holder = "proposed_holder_id" if draft else "holder_id"
    held = [
        Held(user_id, a, b)
        for user_id, a, b in own.values_list(holder, "shift__starts_at", "shift__ends_at")
        if user_id is not None
    ]
    # Other teams' published seats and recommended drafts are this person's time too.
    others = (
        seats.exclude(shift__team=team)
        .filter(
            Q(holder_id__in=people, shift__period__version__gt=0)
            | Q(proposed_holder_id__in=people, shift__period__state="recommended")
        )
        .values_list(
            "holder_id",
            "proposed_holder_id",
            "shift__starts_at",
            "shift__ends_at",
            "shift__team__name",
        )
    )
    for holder_id, proposed_id, a, b, name in others:
        user_id = holder_id if holder_id in people else proposed_id
        held.append(Held(user_id, a, b, other_team=name))
    if settings is None:
        settings = RotaSettings.objects.filter(team=team).first()
    country = settings.holiday_country if settings else ""
    return _assess_window(
        held, people=people, team=team, start=start, end=end, country=country, period=period
    )


def _assess_window(
    held: list[Held],
    *,
    people: dict[int, tuple[str, zoneinfo.ZoneInfo]],
    team: Team,
    start: datetime,
    end: datetime,
    country: str,
    period: RotaPeriod | None = None,
) -> Health:
    """Assess with the team's holidays and sites (its period's template, or its active one)."""
    template_id = period.template_id if period is not None else None
    if template_id is None:
        active = RotationTemplate.objects.filter(team=team, active=True)
        template_id = active.values_list("pk", flat=True).first()
    sites = dict(
        ShiftPattern.objects.filter(template_id=template_id)
        .order_by("position", "id")
        .values_list("label", "timezone")
    )
    local_start, local_end = start.astimezone(team.tz), end.astimezone(team.tz)
    return assess(
        held,
        people=people,
        start=start,
        end=end,
        team_tz=team.tz,
        holidays=public_holidays(country, range(local_start.year, local_end.year + 1)),
        sites=sites,
    )


def for_period(
    period: RotaPeriod, *, users: list | None = None, settings: RotaSettings | None = None
) -> Health:
    """Return the health of a period's rota as it stands (the draft before publishing)."""
    start, end = period.span()
    return for_window(
        team=period.team, start=start, end=end, period=period, users=users, settings=settings
    )


def from_seats(
    period: RotaPeriod,
    *,
    users: list,
    settings: RotaSettings,
    seats: list[Seat],
    elsewhere: dict[int, list[Commitment]],
) -> Health:
    """Return for_period's health from what the period's problem read: one query, the sites'.

    ``seats``: the period's seats with their shifts; ``elsewhere``: each member's seats outside
    the period over at least its span (rotas.commitments), counted as other teams' time, or as
    this team's when published in another of its periods, as for_window counts them.
    """
    team = period.team
    start, end = period.span()
    people = {u.pk: (u.name, _tz(u.timezone, team.tz)) for u in users}
    draft = period.version == 0
    held = [
        Held(user_id, seat.shift.starts_at, seat.shift.ends_at)
        for seat in seats
        if seat.role != "shadow"
        and (user_id := seat.proposed_holder_id if draft else seat.holder_id) is not None
    ]
    for user_id, commitments in elsewhere.items():
        for c in commitments:
            if c.role == "shadow" or c.ends_at <= start or c.starts_at >= end:
                continue
            if c.team_id != team.pk:
                held.append(Held(user_id, c.starts_at, c.ends_at, other_team=c.team_name))
            elif c.published and not draft:
                held.append(Held(user_id, c.starts_at, c.ends_at))
    return _assess_window(
        held,
        people=people,
        team=team,
        start=start,
        end=end,
        country=settings.holiday_country,
        period=period,
    )
