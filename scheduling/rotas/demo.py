"""Demo rota: templates, six months of completed history, this month published, next month open."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, time, timedelta
from typing import TypedDict

from django.db.models import F
from django.utils import timezone

from accounts.models import Membership, Team, User
from scheduling.engine import greedy_solve, parse_problem, solve
from scheduling.rotas import problem as problem_builder
from scheduling.rotas import services
from scheduling.rotas.models import (
    PeriodState,
    Recommendation,
    RotaPeriod,
    RotaSettings,
    RotationTemplate,
    RotaVersion,
    Seat,
    ShiftPattern,
)

HISTORY_MONTHS = 6


class TemplateSpec(TypedDict):
    """One demo team's rotation template; patterns are (label, zone, start, end)."""

    name: str
    kind: str
    handoff_time: time
    roles: list[str]
    patterns: list[tuple[str, str, time, time]]
    country: str


TEMPLATES: dict[str, TemplateSpec] = {
    "payments": {
        "name": "Daily 09:00 handoff",
        "kind": "daily",
        "handoff_time": time(9),
        "roles": ["primary", "secondary"],
        "patterns": [],
        "country": "GB",
    },
    "platform": {
        "name": "Follow the sun",
        "kind": "daily",
        "handoff_time": time(8),
        "roles": ["primary"],
        "patterns": [
            ("Singapore", "Asia/Singapore", time(8), time(16)),
            ("London", "Europe/London", time(8), time(16)),
            ("New York", "America/New_York", time(11), time(19)),
        ],
        "country": "",
    },
}


def _month_start(day: date, offset: int) -> date:
    """Return the first day of the month `offset` months from day's month."""
    index = day.year * 12 + day.month - 1 + offset
    return date(index // 12, index % 12 + 1, 1)


def _month_end(first: date) -> date:
    return _month_start(first, 1) - timedelta(days=1)


def _fill(period: RotaPeriod, *, history: bool) -> None:
    """Fill the period's draft with the engine's fast greedy baseline."""
    pp = problem_builder.build(period)
    data = pp.data
    if history:
        # Invented history: everyone could do every role and the team was still learning, but
        # a person in two teams was never on call for both at once (their other seats stay).
        offered = sorted({s["role"] for s in data["slots"]})
        rest = pp.rest
        for person in data["people"]:
            user_id = problem_builder.user_id_of(person["id"])
            elsewhere = pp.commitments.get(user_id, []) if user_id is not None else []
            windows = [c.stretched(rest) for c in elsewhere]
            person.update(
                roles=offered,
                unavailable=[[a.isoformat(), b.isoformat()] for a, b in windows],
                preferred=[],
                avoid=[],
            )
        data["rules"]["require_experienced_in_window"] = False
    problem = parse_problem(data)
    # History only needs to look plausible; this month is what people see, so make it fair.
    solution = greedy_solve(problem) if history else solve(problem, time_limit=3, workers=1)
    # One update per person: bulk_update's CASE over every seat of six months was slower.
    by_holder: dict[int | None, list[int]] = defaultdict(list)
    for seat in pp.seats:
        holder = problem_builder.user_id_of(solution.assignments.get(str(seat.pk)))
        by_holder[holder].append(seat.pk)
    for holder, seat_ids in by_holder.items():
        Seat.objects.filter(pk__in=seat_ids).update(proposed_holder_id=holder)


def _recommend(period: RotaPeriod, by: User) -> None:
    """Recommend next month now, as a manager would: the demo opens on a filled draft."""
    recommendation = Recommendation.objects.create(period=period, requested_by=by)
    services.run_recommendation(recommendation_id=recommendation.pk)


def _publish_quietly(period: RotaPeriod, by: User) -> None:
    """Mark a past period published (version 1) without announcing it: it is history."""
    seats = Seat.objects.filter(shift__period=period)
    seats.update(holder_id=F("proposed_holder_id"))
    now = timezone.now()
    RotaPeriod.objects.filter(pk=period.pk).update(
        state=PeriodState.PUBLISHED, version=1, published_at=now, published_by=by
    )
    RotaVersion.objects.create(
        period=period,
        number=1,
        published_by=by,
        published_at=now,
        note="Demo history",
        snapshot={str(pk): holder for pk, holder in seats.values_list("pk", "holder_id")},
    )


def _template(team: Team, spec: TemplateSpec) -> RotationTemplate:
    template = RotationTemplate.objects.filter(team=team, name=spec["name"]).first()
    if template is not None:
        return template
    template = RotationTemplate.objects.create(
        team=team,
        name=spec["name"],
        kind=spec["kind"],
        handoff_time=spec["handoff_time"],
        roles=spec["roles"],
    )
    ShiftPattern.objects.bulk_create(
        ShiftPattern(
            template=template,
            position=i,
            label=label,
            timezone=zone,
            start_time=start,
            end_time=end,
        )
        for i, (label, zone, start, end) in enumerate(spec["patterns"])
    )
    return template


def seed(log: Callable[[str], None]) -> None:
    """Create templates and periods for the demo teams (idempotent: existing months are kept)."""
    for slug, spec in TEMPLATES.items():
        team = Team.objects.filter(slug=slug).first()
        if team is None:
            continue
        settings = RotaSettings.for_team(team)
        if spec["country"] and not settings.holiday_country:
            settings.holiday_country = spec["country"]
            settings.save(update_fields=["holiday_country"])
        template = _template(team, spec)
        membership = (
            Membership.objects.filter(team=team, role="manager").select_related("user").first()
        )
        if membership is None:
            continue
        manager = membership.user
        today = timezone.localdate(timezone=team.tz)
        created = 0
        for offset in range(-HISTORY_MONTHS, 2):
            first = _month_start(today, offset)
            if RotaPeriod.objects.filter(
                team=team, starts_on__lte=_month_end(first), ends_on__gte=first
            ).exists():
                continue
            period = services.create_period(
                team=team, template=template, starts_on=first, ends_on=_month_end(first), by=manager
            )
            created += 1
            if offset < 0:
                _fill(period, history=True)
                _publish_quietly(period, manager)
            elif offset == 0:
                services.open_collecting(period=period, by=manager)
                _fill(period, history=False)
                services.publish(
                    period=period, by=manager, confirm_unfilled=True, note="Demo: this month"
                )
            else:
                services.open_collecting(period=period, by=manager)
                _recommend(period, manager)
        log(f"Rota for {team.name}: {created} period{'s' if created != 1 else ''} added")
