"""What the on-call pages show: my shifts with partners, notes and cover requests; the audit log."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet

from accounts.models import AuditEntry, EscalationContact, Team, User
from scheduling.oncall import cover_stats
from scheduling.oncall.lookup import HANDOVER_WINDOW, incoming_notes, published_seats
from scheduling.oncall.models import HandoverNote
from scheduling.rotas.models import Seat

UPCOMING_LIMIT = 60
NOTES_AHEAD = timedelta(days=7)


@dataclass
class MyShift:
    seat: Seat
    partners: list[Seat] = field(default_factory=list)
    notes: list[HandoverNote] = field(default_factory=list)
    my_note: HandoverNote | None = None
    cover_requests: list = field(default_factory=list)
    now: bool = False
    can_hand_over: bool = False


def _partners(seats: list[Seat], user: User) -> dict[int, list[Seat]]:
    partners: dict[int, list[Seat]] = defaultdict(list)
    others = (
        published_seats()
        .filter(shift_id__in={s.shift_id for s in seats}, holder__isnull=False)
        .exclude(holder=user)
        .select_related("holder")
        .order_by("role")
    )
    for seat in others:
        partners[seat.shift_id].append(seat)
    return partners


def my_shifts(user: User, now: datetime) -> tuple[list[MyShift], QuerySet]:
    """Return my upcoming shifts (with partners, notes, cover requests) and my past seats."""
    upcoming = list(
        published_seats()
        .filter(holder=user, shift__ends_at__gt=now)
        .select_related("shift__team")
        .order_by("shift__starts_at", "role")[:UPCOMING_LIMIT]
    )
    recent = list(
        published_seats()
        .filter(holder=user, shift__ends_at__lte=now, shift__ends_at__gt=now - HANDOVER_WINDOW)
        .select_related("shift__team")
    )
    past = (
        published_seats()
        .filter(holder=user, shift__ends_at__lte=now)
        .select_related("shift__team")
        .order_by("-shift__starts_at", "role")
    )
    seats = recent + upcoming
    partners = _partners(seats, user)
    soon = [s.shift for s in upcoming if s.shift.starts_at < now + NOTES_AHEAD]
    notes = incoming_notes(soon)
    mine = {
        n.shift_id: n
        for n in HandoverNote.objects.filter(author=user, shift_id__in={s.shift_id for s in seats})
    }
    covers = cover_stats.requests_in_flight_for_seats(s.pk for s in upcoming)
    rows = [
        MyShift(
            seat=seat,
            partners=partners.get(seat.shift_id, []),
            notes=notes.get(seat.shift_id, []),
            my_note=mine.get(seat.shift_id),
            cover_requests=covers.get(seat.pk, []),
            now=seat.shift.starts_at <= now < seat.shift.ends_at,
            can_hand_over=seat.shift.starts_at <= now or seat in recent,
        )
        for seat in recent + upcoming
    ]
    return rows, past


def contacts_by_team(team_ids: set[int]) -> dict[int, list[EscalationContact]]:
    """Return each team's escalation contacts, in order."""
    contacts: dict[int, list[EscalationContact]] = defaultdict(list)
    for contact in EscalationContact.objects.filter(team_id__in=team_ids):
        contacts[contact.team_id].append(contact)
    return contacts


def days_until(moment: datetime, today: date, tz) -> int:
    """Return how many calendar days (in the zone) lie between today and the moment."""
    return (moment.astimezone(tz).date() - today).days


def audit_entries(
    *,
    team: Team,
    person: int | None = None,
    action: str = "",
    start: date | None = None,
    end: date | None = None,
) -> QuerySet:
    """Return the team's audit entries, filtered, newest first; dates are in the team's zone."""
    entries = AuditEntry.objects.filter(team=team).select_related("actor")
    if person:
        entries = entries.filter(actor_id=person)
    if action:
        entries = entries.filter(action=action)
    if start:
        entries = entries.filter(at__gte=datetime.combine(start, time(0), tzinfo=team.tz))
    if end:
        entries = entries.filter(
            at__lt=datetime.combine(end + timedelta(days=1), time(0), tzinfo=team.tz)
        )
    return entries


AUDIT_SUBJECTS = {
    "api_token": "API token",
    "availability": "Availability",
    "calendars": "Calendars",
    "cover": "Cover",
    "handover": "Handover note",
    "invitation": "Invitation",
    "member": "Member",
    "reminders": "Reminders",
    "requirement": "Requirement",
    "rota": "Rota",
    "team": "Team",
}


def action_label(action: str) -> str:
    """Return an audit action in words: "cover.swap_offered" is "Cover: swap offered"."""
    subject, _, verb = action.partition(".")
    words = AUDIT_SUBJECTS.get(subject, subject.replace("_", " ").capitalize())
    return f"{words}: {verb.replace('_', ' ')}" if verb else words


def audit_actions(team: Team) -> list[str]:
    """Return the distinct actions recorded for the team."""
    return sorted(
        set(AuditEntry.objects.filter(team=team).values_list("action", flat=True).distinct())
    )
