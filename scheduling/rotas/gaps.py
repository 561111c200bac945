"""Empty seats grouped by what binds them, with the fix, for the period summary.

A run of empty seats of one role (and region) with the same binding cause on consecutive days
becomes one line, e.g. "Primary 4–10 Jan: only Oliver and Noah may hold primary; 3 people lack
Production access — 2 approvals waiting".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.urls import reverse

from accounts.models import User
from scheduling.requirements.state import State
from scheduling.rotas.models import Seat
from scheduling.rotas.reasons import Explainer, Reason

ELIGIBILITY = ("pending", "expired", "ineligible")
KIND_WORDS = {
    "same_shift": "in another seat of the shift",
    "other_team": "on call for another team",
    "unavailable": "unavailable",
    "busy": "busy (calendar)",
    "rest": "resting after another shift",
    "max_shifts": "at their most shifts",
    "experience": "not yet experienced",
}


@dataclass
class Gap:
    """Consecutive empty seats that share a role, a region and a binding cause."""

    role: str
    label: str
    cause: str
    words: str
    first: date
    last: date
    seats: list[Seat] = field(default_factory=list)
    action: str = ""
    url: str = ""

    @property
    def title(self) -> str:
        days = (
            f"{self.first.day} {self.first:%b}"
            if self.first == self.last
            else f"{self.first.day}–{self.last.day} {self.last:%b}"
            if (self.first.month, self.first.year) == (self.last.month, self.last.year)
            else f"{self.first.day} {self.first:%b}–{self.last.day} {self.last:%b}"
        )
        label = f"{self.label} " if self.label else ""
        return f"{label}{self.role.capitalize()} {days}"


def _names(users: list[User]) -> str:
    names = [u.name.split(" ")[0] for u in users]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


def explain_empty(explainer: Explainer, seat: Seat) -> tuple[str, str, str, str]:
    """Return (cause key, words, action, url) for one empty seat."""
    pp = explainer.pp
    day = pp.seat_dates[seat.id]
    reasons: list[tuple[User, Reason | None]] = [
        (u, explainer.why_not(seat, u)) for u in pp.members
    ]
    free = [u for u, r in reasons if r is None]
    if free:
        shown = _names(free[:3]) + (" and others" if len(free) > 3 else "")
        return "free", f"not filled yet: {shown} could take it", "", ""
    may = [u for u, r in reasons if r is not None and r.kind not in ELIGIBILITY]
    lacking = [u for u, r in reasons if r is not None and r.kind in ELIGIBILITY]
    blocked = Counter(r.kind for u, r in reasons if r is not None and r.kind not in ELIGIBILITY)
    if lacking:
        counts: Counter[str] = Counter()
        waiting: Counter[str] = Counter()
        ids: dict[str, int] = {}
        for user in lacking:
            for cell in explainer.missing(user.id, seat.role, day):
                counts[cell.requirement.title] += 1
                ids[cell.requirement.title] = cell.requirement.pk
                waiting[cell.requirement.title] += cell.state == State.PENDING
        top, lack = counts.most_common(1)[0] if counts else ("the requirements", len(lacking))
        head = f"only {_names(may)} may hold {seat.role}" if may else f"nobody may hold {seat.role}"
        words = f"{head}; {_people(lack)} {'lacks' if lack == 1 else 'lack'} {top}"
        action, url = "", ""
        slug = pp.period.team.slug
        if waiting[top]:
            words += f" — {_plural(waiting[top], 'approval')} waiting"
            action = "Review approvals"
            url = reverse("requirements:team", args=[slug]) + "#approval-queue"
        else:
            action = "See requirements"
            url = reverse("requirements:team", args=[slug]) + f"?requirement={ids.get(top, '')}"
        if may and blocked:
            words += "; " + ", ".join(
                f"{n} {KIND_WORDS.get(k, k)}" for k, n in blocked.most_common()
            )
        return f"eligibility:{top}:{','.join(str(u.id) for u in may)}", words, action, url
    if not blocked:
        return "nobody", "the team has no members", "", ""
    parts = ", ".join(f"{n} {KIND_WORDS.get(k, k)}" for k, n in blocked.most_common())
    words = f"all {_people(len(may))} who may hold {seat.role}: {parts}"
    cause = blocked.most_common(1)[0][0]
    return cause, words, "", ""


def group_empty(explainer: Explainer, empty: list[Seat]) -> list[Gap]:
    """Return the empty seats as runs of one role, region and cause on consecutive days."""
    pp = explainer.pp
    gaps: list[Gap] = []
    open_runs: dict[tuple[str, str, str], Gap] = {}
    for seat in sorted(empty, key=lambda s: (s.shift.label, s.role, s.shift.starts_at)):
        day = pp.seat_dates[seat.id]
        cause, words, action, url = explain_empty(explainer, seat)
        key = (seat.shift.label, seat.role, cause)
        run = open_runs.get(key)
        if run is not None and run.last + timedelta(days=1) >= day:
            run.last = day
            run.seats.append(seat)
            continue
        run = Gap(seat.role, seat.shift.label, cause, words, day, day, [seat], action, url)
        open_runs[key] = run
        gaps.append(run)
    gaps.sort(key=lambda g: (g.first, g.label, g.role))
    return gaps
