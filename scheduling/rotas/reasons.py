"""Why not: the one reason a member cannot hold a seat, in words, with the manager's fix.

Every check mirrors a rule the engine enforces on the period's problem (role, unavailable
windows, other teams' seats stretched by the rest, the rest rule, max shifts, the experience
rule), so a reason never disagrees with what the recommendation did. The seat panel, the grid's
tooltips and the summary all read their words from here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from scheduling.engine.rules import any_overlap, in_conflict
from scheduling.requirements.models import Kind
from scheduling.requirements.state import Cell, Standing, State, load_standing
from scheduling.rotas.commitments import Commitment, clashing
from scheduling.rotas.models import Seat
from scheduling.rotas.problem import PeriodProblem, person_id

# The order reasons are checked in: the first that applies is the one shown.
KINDS = (
    "holder",
    "pending",
    "expired",
    "ineligible",
    "same_shift",
    "other_team",
    "unavailable",
    "busy",
    "rest",
    "max_shifts",
    "experience",
)


@dataclass(frozen=True)
class Reason:
    """Why one person is not in one seat, and what a manager can do about it."""

    kind: str
    words: str
    action: str = ""
    url: str = ""
    post: bool = False  # the action is a POST form (a reminder), not a link

    def __str__(self) -> str:
        return self.words


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def _day(day: date) -> str:
    return f"{day.day} {day:%b}"


def _ts(moment: datetime) -> int:
    return int(moment.timestamp())


def first_missing(cells: list[Cell]) -> Cell:
    """Return the unmet requirement to name first: a pending one is the quickest fix."""
    order = {State.PENDING: 0, State.EXPIRED: 1}
    return min(cells, key=lambda c: order.get(c.state, 2))


class Explainer:
    """Answers "why not?" for any seat and member of one period, against one draft."""

    def __init__(
        self,
        pp: PeriodProblem,
        draft: dict[str, str | None] | None = None,
        standing: Standing | None = None,
    ) -> None:
        self.pp = pp
        self.draft = pp.draft() if draft is None else draft
        self.team = pp.period.team
        self.standing = standing or pp.standing or load_standing(team=self.team, users=pp.members)
        seats = {str(s.id): s for s in pp.seats}
        self.held: dict[str, list[Seat]] = defaultdict(list)
        for slot_id, holder in self.draft.items():
            if holder and slot_id in seats:
                self.held[holder].append(seats[slot_id])
        self.by_shift: dict[int, list[Seat]] = defaultdict(list)
        for seat in pp.seats:
            self.by_shift[seat.shift_id].append(seat)
        self._cells: dict[tuple[int, date | None], list[Cell]] = {}
        self._windows: dict[int, tuple[list[tuple[int, int]], list[tuple[int, int]]]] = {}
        self._urls: dict[tuple, str] = {}
        self.rest = pp.rest
        # The summary asks about every member for every empty seat: what depends on the seat
        # or the person alone is worked out once.
        self._seat_ts = {s.id: (_ts(s.shift.starts_at), _ts(s.shift.ends_at)) for s in pp.seats}
        self._slot_ids = {s.id: str(s.id) for s in pp.seats}
        self._pids = {u.id: person_id(u.id) for u in pp.members}
        self._requirement_reasons: dict[tuple[int, str, date | None], Reason | None] = {}
        self._needs_experience: dict[int, bool] = {}

    def _url(self, name: str, *args) -> str:
        """Reverse a URL once: the grid's tooltips ask for the same person's fix on many days."""
        key = (name, *args)
        if key not in self._urls:
            self._urls[key] = reverse(name, args=args)
        return self._urls[key]

    def missing(self, user_id: int, role: str, day: date) -> list[Cell]:
        """Return the person's unmet requirements for the role on the day."""
        # Unmet requirements are the same through a stretch (Standing.stretch): the grid asks
        # for every day of the month.
        key = (user_id, self.standing.stretch(user_id, day))
        if key not in self._cells:
            self._cells[key] = [c for c in self.standing.cells(user_id, day) if not c.met]
        return [c for c in self._cells[key] if role in c.requirement.roles]

    # --- the one function -------------------------------------------------------------------

    def why_not(self, seat: Seat, user: User) -> Reason | None:
        """Return the reason the person cannot take the seat, or None when they could."""
        pid = self._pids.get(user.id) or person_id(user.id)
        if self.draft.get(self._slot_ids.get(seat.id) or str(seat.id)) == pid:
            return Reason("holder", "in this seat")
        return (
            self.eligibility(seat, user)
            or self._same_shift(seat, pid)
            or self._other_team(seat, user)
            or self._unavailable(seat, user)
            or self._rest(seat, user, pid)
            or self._max_shifts(seat, pid)
            or self._experience(seat, pid)
        )

    def eligibility(self, seat: Seat, user: User) -> Reason | None:
        """Return which requirement keeps the person out of the seat's role that day."""
        day = self.pp.seat_dates[seat.id]
        if self.pp.eligible(user.id, seat):
            if seat.shift_id in self.pp.blocked.get(user.id, ()):
                return Reason(
                    "ineligible",
                    f"not eligible for every role of this shift on {_day(day)}",
                )
            return None
        # The same through a stretch (Standing.stretch), like the requirements it names.
        key = (user.id, seat.role, self.standing.stretch(user.id, day))
        if key in self._requirement_reasons:
            return self._requirement_reasons[key]
        cells = self.missing(user.id, seat.role, day)
        if not cells:
            return Reason("ineligible", f"not eligible for {seat.role} on {_day(day)}")
        cell = first_missing(cells)
        more = f" (and {len(cells) - 1} more)" if len(cells) > 1 else ""
        found = self._requirement_reasons[key] = self.requirement_reason(cell, user, more)
        return found

    def requirement_reason(self, cell: Cell, user: User, more: str = "") -> Reason:
        """Return the words and the manager's fix for one unmet requirement."""
        requirement = cell.requirement
        slug = self.team.slug
        remind = self._url("requirements:remind", slug, requirement.pk, user.id)
        first = user.name.split(" ")[0]
        if cell.state == State.PENDING:
            return Reason(
                "pending",
                f"not eligible: {requirement.title} pending approval{more}",
                "Review the pending approval",
                self._url("requirements:team", slug) + "#approval-queue",
            )
        if (
            cell.state == State.EXPIRED
            and cell.completion is not None
            and cell.completion.valid_until is not None
        ):
            until = cell.completion.valid_until - timedelta(days=1)
            return Reason(
                "expired",
                f"not eligible: {requirement.title} expired (met until {_day(until)}){more}",
                f"Remind {first} to renew",
                remind,
                post=True,
            )
        if requirement.kind == Kind.AUTOMATIC:
            words = f"not eligible: {requirement.title} not met{more}"
        elif cell.rejected is not None:
            words = f"not eligible: {requirement.title} missing (request declined){more}"
        else:
            words = f"not eligible: {requirement.title} missing{more}"
        return Reason("ineligible", words, f"Remind {first}", remind, post=True)

    # --- availability and the other seats ---------------------------------------------------

    def _same_shift(self, seat: Seat, pid: str) -> Reason | None:
        for other in self.by_shift[seat.shift_id]:
            if other.id != seat.id and self.draft.get(str(other.id)) == pid:
                return Reason("same_shift", f"already in this shift ({other.role})")
        return None

    def _commitments(self, user: User) -> list[Commitment]:
        return self.pp.commitments.get(user.id, [])

    def _other_team(self, seat: Seat, user: User) -> Reason | None:
        shift = seat.shift
        for c in clashing(self._commitments(user), shift.starts_at, shift.ends_at, timedelta(0)):
            return Reason(
                "other_team",
                f"on call for {c.team_name} then ({c.seat(timezone.get_current_timezone())})",
                f"Open {c.team_name}'s seat",
                reverse("rotas:period", args=[c.team_slug, c.period_id])
                + f"?seat={c.seat_id}#seat-panel",
            )
        return None

    def _stamps(self, user_id: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """Return the person's marked and busy windows as timestamps, converted once."""
        if user_id not in self._windows:
            own = self.pp.windows.get(user_id)
            marked = [(_ts(a), _ts(b)) for a, b in own.marked] if own else []
            busy = [(_ts(a), _ts(b)) for a, b in own.busy] if own else []
            self._windows[user_id] = (marked, busy)
        return self._windows[user_id]

    def _unavailable(self, seat: Seat, user: User) -> Reason | None:
        marked, busy = self._stamps(user.id)
        if not marked and not busy:
            return None
        start, end = self._seat_ts[seat.id]
        if any_overlap(marked, start, end):
            return Reason("unavailable", "unavailable (marked by them)")
        if any_overlap(busy, start, end):
            # Others never see the event's title: a busy block only says the time is taken.
            return Reason("busy", "busy (calendar)")
        return None

    def _rest(self, seat: Seat, user: User, pid: str) -> Reason | None:
        pp = self.pp
        slots, slot_ids, rest = pp.problem.slot_by_id, self._slot_ids, pp.problem.index.rest
        slot = slots[slot_ids[seat.id]]
        shift = seat.shift
        near: list[tuple[datetime, datetime, str]] = [
            (c.starts_at, c.ends_at, c.team_name)
            for c in clashing(self._commitments(user), shift.starts_at, shift.ends_at, self.rest)
        ]
        for other in self.held.get(pid, []):
            if other.id != seat.id and in_conflict(slot, slots[slot_ids[other.id]], rest):
                near.append((other.shift.starts_at, other.shift.ends_at, self.team.name))
        if not near:
            return None
        starts_at, ends_at, team_name = min(near, key=lambda n: abs(n[0] - shift.starts_at))
        if ends_at <= shift.starts_at:
            when = f"on call until {_local(ends_at):%H:%M %a} in {team_name}"
        else:
            when = f"on call from {_local(starts_at):%H:%M %a} in {team_name}"
        return Reason("rest", f"rest: {when} ({pp.settings.min_rest_hours:g} h rest)")

    def _max_shifts(self, seat: Seat, pid: str) -> Reason | None:
        person = self.pp.problem.person_by_id.get(pid)
        if person is None or person.max_shifts is None:
            return None
        others = [s for s in self.held.get(pid, []) if s.id != seat.id]
        if len(others) >= person.max_shifts:
            return Reason("max_shifts", f"most shifts allowed ({person.max_shifts})")
        return None

    def _experience(self, seat: Seat, pid: str) -> Reason | None:
        problem = self.pp.problem
        if not problem.rules.require_experienced_in_window:
            return None
        person = problem.person_by_id.get(pid)
        if person is None or problem.is_experienced(person):
            return None
        if seat.id not in self._needs_experience:
            mates = [
                self.draft.get(str(s.id)) for s in self.by_shift[seat.shift_id] if s.id != seat.id
            ]
            self._needs_experience[seat.id] = all(mates) and not any(
                problem.is_experienced(problem.person_by_id[m]) for m in mates if m
            )
        if self._needs_experience[seat.id]:
            threshold = problem.rules.experienced_threshold
            return Reason(
                "experience",
                f"the shift needs an experienced person ({person.past_shifts} of"
                f" {threshold} past shifts)",
            )
        return None

    # --- what the pages show ----------------------------------------------------------------

    def everyone(self, seat: Seat, listed: set[int]) -> list[tuple[User, Reason]]:
        """Return the members not in `listed`, each with their reason, people who could first."""
        rows = []
        for user in self.pp.members:
            if user.id in listed:
                continue
            reason = self.why_not(seat, user) or Reason("free", "could take it (ranked lower)")
            rows.append((user, reason))
        order = {kind: i for i, kind in enumerate(("free", *KINDS))}
        rows.sort(key=lambda row: (order.get(row[1].kind, 99), row[0].name))
        return rows
