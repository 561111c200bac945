"""Create periods from templates, move them through their states, edit settings and templates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import Team, User
from scheduling.requirements.reminders import remind_lapsing
from scheduling.rotas.errors import PeriodOverlap, WrongState
from scheduling.rotas.models import (
    PeriodState,
    RotaPeriod,
    RotaSettings,
    RotationTemplate,
    Seat,
    Shift,
    ShiftPattern,
    day_span,
)
from scheduling.rotas.shiftgen import PatternSpec, generate_shifts, public_holidays, shift_weight

MAX_PERIOD_DAYS = 92


def describe_seat(seat: Seat, tz) -> str:
    """Return a seat as people read it, e.g. "Tue 3 Mar 09:00 London primary"."""
    start = seat.shift.starts_at.astimezone(tz)
    label = f" {seat.shift.label}" if seat.shift.label else ""
    return f"{start:%a} {start.day} {start:%b %H:%M}{label} {seat.role}"


def create_period(
    *, team: Team, template: RotationTemplate, starts_on: date, ends_on: date, by: User
) -> RotaPeriod:
    """Create a draft period with the template's shifts and empty seats."""
    if ends_on < starts_on:
        raise PeriodOverlap("The period must end on or after its first day.")
    if (ends_on - starts_on).days + 1 > MAX_PERIOD_DAYS:
        raise PeriodOverlap(f"A period can be at most {MAX_PERIOD_DAYS} days long.")
    clash = RotaPeriod.objects.filter(
        team=team, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).first()
    if clash is not None:
        raise PeriodOverlap(f"It overlaps the period {day_span(clash.starts_on, clash.ends_on)}.")
    rota_settings = RotaSettings.for_team(team)
    specs = generate_shifts(
        first=starts_on,
        last=ends_on,
        timezone=team.timezone,
        kind=template.kind,
        handoff_time=template.handoff_time,
        handoff_weekday=template.handoff_weekday,
        length_days=template.length_days,
        patterns=[
            PatternSpec(p.label, p.timezone, p.start_time, p.end_time)
            for p in template.patterns.all()
        ],
    )
    holidays = public_holidays(
        rota_settings.holiday_country, range(starts_on.year, ends_on.year + 2)
    )
    with transaction.atomic():
        period = RotaPeriod.objects.create(
            team=team, template=template, starts_on=starts_on, ends_on=ends_on
        )
        shifts = Shift.objects.bulk_create(
            Shift(
                period=period,
                team=team,
                starts_at=spec.starts_at,
                ends_at=spec.ends_at,
                label=spec.label,
                weight=shift_weight(
                    spec.days,
                    weekend_weight=rota_settings.weekend_weight,
                    holiday_weight=rota_settings.holiday_weight,
                    holidays=holidays,
                ),
            )
            for spec in specs
        )
        Seat.objects.bulk_create(
            Seat(shift=shift, role=role) for shift in shifts for role in template.roles
        )
        audit.record(
            action="rota.period_created",
            summary=f"{by.name} created the rota period {day_span(starts_on, ends_on)}"
            f" ({len(shifts)} shifts)",
            actor=by,
            team=team,
            target=period,
            template=template.pk,
        )
    return period


def open_collecting(*, period: RotaPeriod, by: User) -> RotaPeriod:
    """Move a draft period to collecting availability."""
    with transaction.atomic():
        updated = RotaPeriod.objects.filter(pk=period.pk, state=PeriodState.DRAFT).update(
            state=PeriodState.COLLECTING
        )
        if not updated:
            raise WrongState("Only a draft period can start collecting availability.")
        audit.record(
            action="rota.collecting",
            summary=f"{by.name} opened {period} for availability",
            actor=by,
            team=period.team,
            target=period,
        )
        # Someone "Met" today but lapsing inside these dates hears it now, before the rota.
        remind_lapsing(team=period.team, first=period.starts_on, last=period.ends_on)
    period.state = PeriodState.COLLECTING
    return period


def next_period_dates(team: Team) -> tuple[date, date]:
    """Suggest the calendar month after the team's last period (or the next month)."""
    last = (
        RotaPeriod.objects.filter(team=team)
        .order_by("-ends_on")
        .values_list("ends_on", flat=True)
        .first()
    )
    start = (
        last + timedelta(days=1)
        if last
        else (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=1)
    )
    end = (start.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return start, end


def update_settings(*, team: Team, by: User, values: dict[str, Any]) -> RotaSettings:
    """Save the team's rota settings."""
    with transaction.atomic():
        rota_settings = RotaSettings.for_team(team)
        for name, value in values.items():
            setattr(rota_settings, name, value)
        rota_settings.save()
        audit.record(
            action="rota.settings_changed",
            summary=f"{by.name} changed the rota settings",
            actor=by,
            team=team,
            target=rota_settings,
            **{k: str(v) for k, v in values.items()},
        )
    return rota_settings


def save_template(
    *,
    team: Team,
    by: User,
    values: dict[str, Any],
    patterns: list[dict[str, Any]],
    template: RotationTemplate | None = None,
) -> RotationTemplate:
    """Create or update a rotation template and replace its regional patterns."""
    with transaction.atomic():
        template = template or RotationTemplate(team=team)
        for name, value in values.items():
            setattr(template, name, value)
        template.save()
        template.patterns.all().delete()
        ShiftPattern.objects.bulk_create(
            ShiftPattern(template=template, position=i, **p) for i, p in enumerate(patterns)
        )
        audit.record(
            action="rota.template_saved",
            summary=f"{by.name} saved the rotation template {template.name}",
            actor=by,
            team=team,
            target=template,
        )
    return template
