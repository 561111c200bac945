"""Availability services: marking days, time ranges, overrides, team settings, deadlines.

Reading a team's availability (`windows_for_team`, `day_states_for_team`) lives in windows.py
and is re-exported here; calendar connections and imports live in connections.py.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts import audit, stamps
from accounts.models import Membership, Team, User
from rota import outbox
from scheduling.availability.errors import (  # noqa: F401 (callers read them from here too)
    AvailabilityError,
    Conflict,
)
from scheduling.availability.models import (
    AvailabilityDeadline,
    AvailabilityEntry,
    AvailabilitySettings,
    BusyBlock,
    Kind,
    MonthConfirmation,
    UnmarkedMeans,
)
from scheduling.availability.windows import (  # noqa: F401 (the public reading API)
    PersonWindows,
    day_states_for_team,
    windows_and_states_for_team,
    windows_for_team,
)

# Days before the due date on which the daily job reminds people who have not confirmed.
REMIND_DAYS_BEFORE = (7, 3, 1, 0)


def today_for(user: User) -> date:
    """Return today's date in the person's zone."""
    return timezone.now().astimezone(user.tz).date()


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def marks_for(*, user: User, first: date, last: date) -> dict[date, AvailabilityEntry]:
    """Return the person's whole-day entries by day."""
    rows = AvailabilityEntry.objects.filter(user=user).whole_days().between(first, last)
    return {entry.day: entry for entry in rows}


@transaction.atomic
def mark_days(
    *, user: User, days: list[date], kind: str, note: str = "", seen: dict[date, str]
) -> int:
    """Mark whole days preferred/available/unavailable ("" clears), unless one changed meanwhile."""
    if kind not in ("", *Kind.values):
        raise AvailabilityError(f"Unknown mark {kind!r}.")
    days = sorted(set(days))
    if not days:
        raise AvailabilityError("Pick at least one day.")
    if days[0] < today_for(user):
        raise AvailabilityError("Days in the past cannot be changed.")
    # Serialise saves of one person so the comparison below and the write are one step.
    User.objects.select_for_update().filter(pk=user.pk).first()
    existing = marks_for(user=user, first=days[0], last=days[-1])
    changed = [
        day for day in days if (existing[day].kind if day in existing else "") != seen.get(day, "")
    ]
    if changed:
        raise Conflict(changed, {day: existing[day].kind for day in changed if day in existing})
    if kind == "":
        AvailabilityEntry.objects.filter(user=user, day__in=days).whole_days().delete()
    else:
        AvailabilityEntry.objects.filter(
            pk__in=[existing[d].pk for d in days if d in existing]
        ).update(kind=kind, note=note, updated_at=timezone.now())
        AvailabilityEntry.objects.bulk_create(
            AvailabilityEntry(user=user, day=day, kind=kind, note=note)
            for day in days
            if day not in existing
        )
    stamps.touch(users=[user.pk])
    label = Kind(kind).label.lower() if kind else "unmarked"
    audit.record(
        action="availability.marked",
        summary=f"{user.name} marked {len(days)} day{'s' if len(days) != 1 else ''} {label}"
        f" from {days[0]:%a %-d %b %Y} to {days[-1]:%a %-d %b %Y}",
        actor=user,
        target=user,
        kind=kind,
        days=[day.isoformat() for day in days],
    )
    return len(days)


def add_time_range(
    *, user: User, day: date, start_time: time, end_time: time, kind: str, note: str = ""
) -> AvailabilityEntry:
    """Mark part of a day, in the person's zone; an end of 00:00 means midnight."""
    if kind not in Kind.values:
        raise AvailabilityError(f"Unknown mark {kind!r}.")
    if day < today_for(user):
        raise AvailabilityError("Days in the past cannot be changed.")
    if end_time != time(0) and end_time <= start_time:
        raise AvailabilityError("The end must be after the start (use 00:00 for midnight).")
    entry = AvailabilityEntry.objects.create(
        user=user, day=day, start_time=start_time, end_time=end_time, kind=kind, note=note
    )
    audit.record(
        action="availability.range_added",
        summary=f"{user.name} marked {day:%a %-d %b %Y}{entry.range_label} {kind}",
        actor=user,
        target=entry,
    )
    return entry


def delete_time_range(*, entry: AvailabilityEntry, by: User) -> None:
    """Remove a time-range entry."""
    audit.record(
        action="availability.range_removed",
        summary=f"{by.name} removed {entry.day:%a %-d %b %Y}{entry.range_label} {entry.kind}",
        actor=by,
        target=entry,
    )
    entry.delete()


def set_block_override(*, block: BusyBlock, overridden: bool, by: User) -> BusyBlock:
    """Say "I can still be on call" during a busy block, or take that back."""
    BusyBlock.objects.filter(pk=block.pk).update(overridden=overridden)
    stamps.touch(users=[block.user_id])
    block.overridden = overridden
    audit.record(
        action="availability.busy_overridden" if overridden else "availability.busy_counted",
        summary=f"{by.name} {'overrode' if overridden else 'counted again'} "
        f"a busy block on {block.start:%Y-%m-%d}",
        actor=by,
        target=block,
    )
    return block


def settings_for(team: Team) -> AvailabilitySettings:
    """Return the team's availability settings, creating them on first use."""
    found, _ = AvailabilitySettings.objects.get_or_create(team=team)
    return found


def update_settings(*, team: Team, unmarked_means: str, by: User) -> AvailabilitySettings:
    """Decide what an unmarked day means for the team."""
    if unmarked_means not in UnmarkedMeans.values:
        raise AvailabilityError(f"Unknown choice {unmarked_means!r}.")
    current = settings_for(team)
    current.unmarked_means = unmarked_means
    current.save(update_fields=["unmarked_means"])
    audit.record(
        action="availability.settings_changed",
        summary=f"{by.name} set: {UnmarkedMeans(unmarked_means).label.lower()}",
        actor=by,
        team=team,
        target=current,
    )
    return current


def set_deadline(*, team: Team, month: date, due_on: date, by: User) -> AvailabilityDeadline:
    """Set "availability for <month> due by <date>" for the team."""
    month = first_of_month(month)
    if due_on < timezone.now().astimezone(team.tz).date():
        raise AvailabilityError("The due date is in the past.")
    deadline, _ = AvailabilityDeadline.objects.update_or_create(
        team=team,
        month=month,
        defaults={"due_on": due_on, "created_by": by, "last_reminded_on": None},
    )
    audit.record(
        action="availability.deadline_set",
        summary=f"{by.name} set availability for {month:%B %Y} due by {due_on:%-d %B %Y}",
        actor=by,
        team=team,
        target=deadline,
    )
    return deadline


def confirm_month(*, user: User, month: date) -> MonthConfirmation:
    """Record the person's "I'm done for <month>"."""
    month = first_of_month(month)
    confirmation, created = MonthConfirmation.objects.get_or_create(user=user, month=month)
    if created:
        audit.record(
            action="availability.month_confirmed",
            summary=f"{user.name} confirmed their availability for {month:%B %Y}",
            actor=user,
            target=confirmation,
        )
    return confirmation


def reopen_month(*, user: User, month: date) -> None:
    """Take back "I'm done for <month>"."""
    deleted, _ = MonthConfirmation.objects.filter(user=user, month=first_of_month(month)).delete()
    if deleted:
        audit.record(
            action="availability.month_reopened",
            summary=f"{user.name} reopened their availability for {month:%B %Y}",
            actor=user,
            target=user,
        )


def send_deadline_reminders(*, today: date | None = None) -> int:
    """Email members who have not confirmed a month whose deadline is near; return how many."""
    today = today or timezone.now().date()
    due = AvailabilityDeadline.objects.filter(
        due_on__in=[today + timedelta(days=n) for n in REMIND_DAYS_BEFORE]
    ).select_related("team")
    sent = 0
    for deadline in due:
        # Claim today's reminder for this deadline: a second run of the job sends nothing.
        claimed = (
            AvailabilityDeadline.objects.filter(pk=deadline.pk)
            .exclude(last_reminded_on=today)
            .update(last_reminded_on=today)
        )
        if claimed:
            stamps.touch(teams=[deadline.team_id])
        if claimed != 1:
            continue
        confirmed = MonthConfirmation.objects.filter(month=deadline.month).values_list(
            "user_id", flat=True
        )
        people = [
            m.user
            for m in Membership.objects.filter(team=deadline.team)
            .exclude(user_id__in=confirmed)
            .select_related("user")
        ]
        for person in people:
            _send_reminder(person, deadline, days_left=(deadline.due_on - today).days)
            sent += 1
    return sent


def _send_reminder(person: User, deadline: AvailabilityDeadline, *, days_left: int) -> None:
    link = settings.SITE_URL + reverse("availability:month") + f"?start={deadline.month:%Y-%m}"
    context = {"person": person, "deadline": deadline, "days_left": days_left, "link": link}
    outbox.mail(
        key=f"availability-reminder:{deadline.pk}:{person.pk}:{timezone.now().date()}",
        kind="availability-reminder",
        subject=f"[Rota] Availability for {deadline.month:%B %Y} is due {deadline.due_on:%-d %B}",
        body=render_to_string("availability/email/reminder.txt", context),
        to=[person.contact_email],
    )
