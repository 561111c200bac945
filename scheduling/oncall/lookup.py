"""Who is on call: published seats whose shift covers a moment, with constant queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Min, Q

from accounts.models import EscalationContact, Team
from scheduling.oncall.models import HandoverNote
from scheduling.rotas.models import ROLES, Seat, Shift

# A handover note belongs to the shift(s) that ended last, at most this long before a shift starts.
HANDOVER_WINDOW = timedelta(hours=12)


def published_shifts():
    """Return shifts of published periods: only those put anyone on call."""
    return Shift.objects.published()


def published_seats():
    """Return seats of published periods (the holder, never the draft's proposed holder)."""
    return Seat.objects.published()


@dataclass
class OnCall:
    """A team's on-call state at one moment."""

    team: Team
    at: datetime
    seats: list[Seat] = field(default_factory=list)
    next_seats: list[Seat] = field(default_factory=list)
    contacts: list[EscalationContact] = field(default_factory=list)
    notes: list[HandoverNote] = field(default_factory=list)
    outgoing_notes: list[HandoverNote] = field(default_factory=list)

    @property
    def by_role(self) -> list[tuple[str, list[Seat]]]:
        """Return (role, seats) for each role, primary first, roles without seats left out."""
        groups: dict[str, list[Seat]] = defaultdict(list)
        for seat in self.seats:
            groups[seat.role].append(seat)
        return [(role, groups[role]) for role in ROLES if groups[role]]

    @property
    def holders(self) -> list[Seat]:
        return [seat for seat in self.seats if seat.holder_id]

    @property
    def unfilled(self) -> list[Seat]:
        return [seat for seat in self.seats if not seat.holder_id]

    @property
    def next_handoff(self) -> datetime | None:
        """Return when the current holders hand over, or when the next shift starts."""
        if self.seats:
            return min(seat.shift.ends_at for seat in self.seats)
        if self.next_seats:
            return self.next_seats[0].shift.starts_at
        return None

    @property
    def next_by_role(self) -> list[tuple[str, list[Seat]]]:
        groups: dict[str, list[Seat]] = defaultdict(list)
        for seat in self.next_seats:
            groups[seat.role].append(seat)
        return [(role, groups[role]) for role in ROLES if groups[role]]


def _seat_order(seat: Seat) -> tuple:
    return (
        ROLES.index(seat.role) if seat.role in ROLES else 9,
        seat.shift.starts_at,
        seat.shift.label,
    )


def on_call(team: Team, at: datetime, *, with_notes: bool = True) -> OnCall:
    """Return who is on call for the team at the moment."""
    return on_call_for_teams([team], at, with_notes=with_notes)[team.pk]


def on_call_for_teams(
    teams: Iterable[Team], at: datetime, *, with_notes: bool = True
) -> dict[int, OnCall]:
    """Return each team's on-call state at the moment, in a fixed number of queries."""
    teams = list(teams)
    result = {team.pk: OnCall(team=team, at=at) for team in teams}
    if not teams:
        return result
    current = (
        published_seats()
        .filter(shift__team__in=teams, shift__starts_at__lte=at, shift__ends_at__gt=at)
        .select_related("holder", "shift")
    )
    for seat in current:
        result[seat.shift.team_id].seats.append(seat)
    firsts = (
        published_shifts()
        .filter(team__in=teams, starts_at__gt=at)
        .values("team")
        .annotate(first=Min("starts_at"))
    )
    condition = Q()
    for row in firsts:
        condition |= Q(shift__team_id=row["team"], shift__starts_at=row["first"])
    if condition:
        for seat in published_seats().filter(condition).select_related("holder", "shift"):
            result[seat.shift.team_id].next_seats.append(seat)
    for contact in EscalationContact.objects.filter(team__in=teams):
        result[contact.team_id].contacts.append(contact)
    for state in result.values():
        state.seats.sort(key=_seat_order)
        state.next_seats.sort(key=_seat_order)
    if with_notes:
        _attach_notes(result, at)
    return result


def _attach_notes(result: dict[int, OnCall], at: datetime) -> None:
    """Give each team the notes handed to its current shift and those its holders wrote."""
    starts = {
        team_id: min((s.shift.starts_at for s in state.seats), default=at)
        for team_id, state in result.items()
    }
    incoming = latest_ended_shifts(starts)
    current_ids = {seat.shift_id for state in result.values() for seat in state.seats}
    wanted = set(incoming) | current_ids
    if not wanted:
        return
    for note in HandoverNote.objects.filter(shift_id__in=wanted).select_related("author", "shift"):
        state = result[note.shift.team_id]
        if note.shift_id in current_ids:
            state.outgoing_notes.append(note)
        if note.shift_id in incoming:
            state.notes.append(note)


def latest_ended_shifts(starts: dict[int, datetime]) -> set[int]:
    """Return, per team, the published shifts that ended last at or before the team's moment."""
    if not starts:
        return set()
    condition = Q()
    for team_id, moment in starts.items():
        condition |= Q(team_id=team_id, ends_at__lte=moment, ends_at__gt=moment - HANDOVER_WINDOW)
    rows = list(published_shifts().filter(condition).values_list("id", "team_id", "ends_at"))
    latest: dict[int, datetime] = {}
    for _, team_id, ends_at in rows:
        latest[team_id] = max(latest.get(team_id, ends_at), ends_at)
    return {pk for pk, team_id, ends_at in rows if ends_at == latest[team_id]}


def incoming_notes(shifts: list[Shift]) -> dict[int, list[HandoverNote]]:
    """Return, per shift, the handover notes written on the shift(s) that ended just before it."""
    if not shifts:
        return {}
    teams = {s.team_id for s in shifts}
    low = min(s.starts_at for s in shifts) - HANDOVER_WINDOW
    high = max(s.starts_at for s in shifts)
    rows = list(
        published_shifts()
        .filter(team_id__in=teams, ends_at__gt=low, ends_at__lte=high)
        .values_list("id", "team_id", "ends_at")
    )
    before: dict[int, set[int]] = {}
    for shift in shifts:
        candidates = [
            (pk, ends_at)
            for pk, team_id, ends_at in rows
            if team_id == shift.team_id
            and pk != shift.pk
            and shift.starts_at - HANDOVER_WINDOW < ends_at <= shift.starts_at
        ]
        if candidates:
            last = max(ends_at for _, ends_at in candidates)
            before[shift.pk] = {pk for pk, ends_at in candidates if ends_at == last}
    wanted = set().union(*before.values()) if before else set()
    notes: dict[int, list[HandoverNote]] = defaultdict(list)
    for note in HandoverNote.objects.filter(shift_id__in=wanted).select_related("author", "shift"):
        notes[note.shift_id].append(note)
    return {
        pk: [n for sid in sorted(ids) for n in notes.get(sid, [])] for pk, ids in before.items()
    }
