"""The one state computation shared by the panel, the matrix and eligible_roles."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from enum import StrEnum

from django.utils import timezone

from accounts.models import Team
from scheduling.requirements.automatic import get_check
from scheduling.requirements.models import Completion, Kind, Requirement, Status, counts_on

ROLES = ("primary", "secondary")
EXPIRING_DAYS = 14


class State(StrEnum):
    MET = "met"
    EXPIRING = "expiring"
    PENDING = "pending"
    EXPIRED = "expired"
    NOT_MET = "not_met"
    UNAVAILABLE = "unavailable"


STATE_LABELS = {
    State.MET: "Met",
    State.EXPIRING: "Expiring",
    State.PENDING: "Pending approval",
    State.EXPIRED: "Expired",
    State.NOT_MET: "Not met",
    State.UNAVAILABLE: "Not available",
}
STATE_BADGES = {
    State.MET: "ok",
    State.EXPIRING: "warn",
    State.PENDING: "info",
    State.EXPIRED: "bad",
    State.NOT_MET: "bad",
    State.UNAVAILABLE: "",
}


@dataclass(frozen=True, slots=True)
class CompletionRow:
    """What eligibility and the rota's reasons read of a completion, without a model instance."""

    pk: int
    requirement_id: int
    user_id: int
    version: int
    status: str
    valid_from: date | None
    valid_until: date | None

    def counts_on(self, day: date) -> bool:
        """Tell whether this accepted completion makes the requirement met on that day."""
        return counts_on(self.status, self.valid_from, self.valid_until, day)


AnyCompletion = Completion | CompletionRow
ROW_FIELDS = [f.name for f in fields(CompletionRow)]  # the columns, in the row's order


@dataclass
class Cell:
    """One person's standing on one requirement on one day."""

    requirement: Requirement
    state: State
    completion: AnyCompletion | None = None
    pending: AnyCompletion | None = None
    rejected: AnyCompletion | None = None
    days_left: int | None = None
    outdated: bool = False
    # Set when a met completion lapses before the end of the month being planned.
    met_until: date | None = None

    @property
    def met(self) -> bool:
        return self.state in (State.MET, State.EXPIRING)

    @property
    def label(self) -> str:
        if self.state == State.PENDING and self.requirement.kind == Kind.EVIDENCE:
            return "Pending verification"
        if self.state == State.EXPIRING:
            return f"Expires in {self.days_left} day{'s' if self.days_left != 1 else ''}"
        if self.state == State.MET and self.met_until is not None:
            return f"Met until {self.met_until.day} {self.met_until:%b}"
        return STATE_LABELS[self.state]

    @property
    def badge(self) -> str:
        if self.state == State.MET and self.met_until is not None:
            return "warn"
        return STATE_BADGES[self.state]


def team_today(team: Team) -> date:
    """Return today's date in the team's time zone."""
    return timezone.now().astimezone(team.tz).date()


def planning_horizon(today: date) -> date:
    """Return the last day of next month: the rota being planned ends by then."""
    after_next = date(today.year + (today.month + 1) // 12, (today.month + 1) % 12 + 1, 1)
    return after_next - timedelta(days=1)


def cell_for(
    *,
    requirement: Requirement,
    completions: list[AnyCompletion],
    on: date,
    automatic: bool | None,
) -> Cell:
    """Compute one person's state for a requirement from their completions of it."""
    pending = next((c for c in completions if c.status == Status.PENDING), None)
    if requirement.kind == Kind.AUTOMATIC:
        if automatic is None:
            return Cell(requirement, State.UNAVAILABLE)
        return Cell(requirement, State.MET if automatic else State.NOT_MET)
    current = [
        c for c in completions if c.status == Status.ACCEPTED and c.version == requirement.version
    ]
    counting = [c for c in current if c.counts_on(on)]
    if counting:
        best = max(counting, key=lambda c: c.valid_until or date.max)
        days_left = None if best.valid_until is None else (best.valid_until - on).days
        state = (
            State.EXPIRING if days_left is not None and days_left <= EXPIRING_DAYS else State.MET
        )
        last = None if best.valid_until is None else best.valid_until - timedelta(days=1)
        # "Met" today but lapsing inside the month being planned must say so (issue 13).
        met_until = last if last is not None and last < planning_horizon(on) else None
        return Cell(
            requirement,
            state,
            completion=best,
            pending=pending,
            days_left=days_left,
            met_until=met_until,
        )
    if pending is not None:
        return Cell(requirement, State.PENDING, pending=pending)
    lapsed = [c for c in current if c.valid_until is not None and c.valid_until <= on]
    if lapsed:
        return Cell(
            requirement, State.EXPIRED, completion=max(lapsed, key=lambda c: c.valid_until or on)
        )
    latest = completions[0] if completions else None
    return Cell(
        requirement,
        State.NOT_MET,
        rejected=latest if latest is not None and latest.status == Status.REJECTED else None,
        outdated=any(
            c.status == Status.ACCEPTED and c.version < requirement.version for c in completions
        ),
    )


def roles_from(cells: Iterable[Cell]) -> frozenset[str]:
    """Return the roles whose every requirement is met; shadow needs none."""
    cells = list(cells)
    roles = {"shadow"}
    for role in ROLES:
        if all(cell.met for cell in cells if role in cell.requirement.roles):
            roles.add(role)
    return frozenset(roles)


@dataclass
class Standing:
    """What cells are computed from, loaded in a constant number of queries."""

    team: Team
    requirements: list[Requirement]
    today: date
    completions: dict[tuple[int, int], list[AnyCompletion]] = field(default_factory=dict)
    automatic: dict[int, dict[int, bool] | None] = field(default_factory=dict)
    users: list = field(default_factory=list)  # the people it was loaded for
    _edges: dict[int, list[date]] | None = field(default=None, init=False, repr=False)

    def cells(self, user_id: int, on: date | None = None) -> list[Cell]:
        """Return the user's cells for every requirement, on a day (today by default)."""
        day = on or self.today
        return [
            cell_for(
                requirement=requirement,
                completions=self.completions.get((user_id, requirement.pk), []),
                on=day,
                automatic=self._automatic(requirement, user_id),
            )
            for requirement in self.requirements
        ]

    def edges(self, user_id: int) -> list[date]:
        """Return the sorted days on which one of the person's completions starts or ends."""
        if self._edges is None:
            found: dict[int, set[date]] = defaultdict(set)
            for (uid, _requirement_id), completions in self.completions.items():
                for c in completions:
                    found[uid].update(d for d in (c.valid_from, c.valid_until) if d)
            self._edges = {uid: sorted(days) for uid, days in found.items()}
        return self._edges.get(user_id, [])

    def stretch(self, user_id: int, day: date) -> date | None:
        """Return the last edge on or before the day (None before the first).

        Which requirements a person meets, and why not, is the same on every day of a stretch:
        only the days left of a met one change in between.
        """
        edges = self.edges(user_id)
        index = bisect_right(edges, day)
        return edges[index - 1] if index else None

    def roles(self, user_id: int, on: date | None = None) -> frozenset[str]:
        """Return the roles the user may hold on a day."""
        return roles_from(self.cells(user_id, on))

    def _automatic(self, requirement: Requirement, user_id: int) -> bool | None:
        results = self.automatic.get(requirement.pk)
        return None if results is None else results.get(user_id, False)


def load_standing(
    *,
    team: Team,
    users: list,
    requirements: list[Requirement] | None = None,
    deciders: bool = True,
) -> Standing:
    """Load requirements, completions and automatic results for these users of the team.

    ``deciders=False``: completions as CompletionRow, without who decided them or their
    notes (the rota reads neither, and a team's history is hundreds of rows).
    """
    if requirements is None:
        requirements = list(Requirement.objects.for_team(team))
    today = team_today(team)
    standing = Standing(team=team, requirements=requirements, today=today, users=list(users))
    if not requirements or not users:
        return standing
    grouped: dict[tuple[int, int], list[AnyCompletion]] = defaultdict(list)
    manual = [r.pk for r in requirements if r.kind != Kind.AUTOMATIC]
    if manual:
        rows = Completion.objects.filter(
            requirement_id__in=manual, user_id__in=[u.pk for u in users]
        ).order_by("-requested_at", "-id")
        found: Iterable[AnyCompletion] = (
            rows.select_related("decided_by")
            if deciders
            else (CompletionRow(*row) for row in rows.values_list(*ROW_FIELDS))
        )
        for completion in found:
            grouped[(completion.user_id, completion.requirement_id)].append(completion)
    standing.completions = dict(grouped)
    cache: dict[tuple[str, str], dict[int, bool] | None] = {}
    for requirement in requirements:
        if requirement.kind != Kind.AUTOMATIC:
            continue
        key = (requirement.check_key, repr(sorted((requirement.params or {}).items())))
        if key not in cache:
            check = get_check(requirement.check_key)
            # Automatic checks read the system's data as it is now, so they run once, as of today.
            cache[key] = (
                None
                if check is None
                else check.run(team=team, users=users, on=today, params=requirement.params)
            )
        standing.automatic[requirement.pk] = cache[key]
    return standing
