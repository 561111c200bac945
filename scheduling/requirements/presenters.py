"""Shape computed standing into what the panel, the team page and the matrix show."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Membership, Team, User
from scheduling.requirements.models import Completion, Kind, Requirement
from scheduling.requirements.state import ROLES, Cell, State, load_standing


@dataclass
class PersonStatus:
    """One person's requirements in one team, and the roles they may hold today."""

    team: Team
    membership: Membership
    cells: list[Cell]
    roles: frozenset[str]
    waiting: int = 0

    @property
    def eligible(self) -> list[str]:
        return [role for role in (*ROLES, "shadow") if role in self.roles]

    @property
    def missing_roles(self) -> list[str]:
        return [role for role in ROLES if role not in self.roles]

    @property
    def met_count(self) -> int:
        return sum(1 for cell in self.cells if cell.met)


def person_status(membership: Membership, user: User | None = None) -> PersonStatus:
    """Compute a member's own status in their team."""
    standing = load_standing(team=membership.team, users=[user or membership.user])
    cells = standing.cells(membership.user_id)
    return PersonStatus(membership.team, membership, cells, standing.roles(membership.user_id))


@dataclass
class MatrixRow:
    membership: Membership
    cells: list[Cell]
    roles: frozenset[str]


@dataclass
class Matrix:
    requirements: list[Requirement]
    rows: list[MatrixRow]
    role: str
    total: int

    def met_counts(self) -> list[int]:
        """Return, per shown requirement, how many shown people meet it."""
        return [
            sum(1 for row in self.rows if row.cells[i].met) for i in range(len(self.requirements))
        ]


def build_matrix(
    *,
    team: Team,
    memberships: list[Membership],
    requirements: list[Requirement],
    state: str = "",
    requirement_id: int | None = None,
    role: str = "",
) -> Matrix:
    """Compute every member's cells and filter rows and columns."""
    standing = load_standing(
        team=team, users=[m.user for m in memberships], requirements=requirements
    )
    columns = [
        index
        for index, req in enumerate(standing.requirements)
        if (requirement_id is None or req.pk == requirement_id) and (not role or role in req.roles)
    ]
    rows = []
    for membership in memberships:
        cells = standing.cells(membership.user_id)
        shown = [cells[i] for i in columns]
        if state and not any(cell.state == state for cell in shown):
            continue
        rows.append(MatrixRow(membership, shown, standing.roles(membership.user_id)))
    return Matrix([standing.requirements[i] for i in columns], rows, role, len(memberships))


def approval_queue(*, team: Team, user: User, is_manager: bool) -> list[Completion]:
    """Return the pending requests this person may decide (never their own)."""
    pending = (
        Completion.objects.pending()
        .filter(requirement__team=team, requirement__archived_at__isnull=True)
        .exclude(user=user)
        .select_related("requirement", "user")
        .order_by("requested_at", "id")
    )
    if not is_manager:
        pending = pending.filter(requirement__kind=Kind.APPROVAL, requirement__approver=user)
    return list(pending)


STATE_ORDER = [
    State.NOT_MET,
    State.EXPIRED,
    State.PENDING,
    State.EXPIRING,
    State.MET,
    State.UNAVAILABLE,
]
