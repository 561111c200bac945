"""The rota-problem/1 data model: frozen dataclasses (parse.py reads a document into them).

Times are kept as aware UTC datetimes plus integer UTC epoch seconds (`*_ts`), so every
comparison uses real elapsed time and a daylight-saving change never shifts a slot.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .rules import Index

FORMAT = "rota-problem/1"

Interval = tuple[int, int]
"""A half-open window [start, end) in UTC epoch seconds."""


class ProblemError(ValueError):
    """A problem breaks the rota-problem/1 format; `field` names where."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Rules:
    """The team's hard rules."""

    min_rest_hours: float
    experienced_threshold: int
    require_experienced_in_window: bool
    # At most this part of the problem's span (first slot start to last slot end) on call.
    max_oncall_share: float | None = None

    @property
    def min_rest_seconds(self) -> int:
        """Return the minimum rest as whole seconds."""
        return round(self.min_rest_hours * 3600)


@dataclass(frozen=True)
class Slot:
    """One seat to fill: a role during a half-open time window."""

    id: str
    start: datetime
    end: datetime
    role: str
    weight: float
    index: int

    @cached_property
    def start_ts(self) -> int:
        """Return the start in UTC epoch seconds."""
        return int(self.start.timestamp())

    @cached_property
    def end_ts(self) -> int:
        """Return the end in UTC epoch seconds."""
        return int(self.end.timestamp())

    @property
    def window(self) -> Interval:
        """Return the (start, end) key shared by the seats of one shift."""
        return (self.start_ts, self.end_ts)


@dataclass(frozen=True)
class Person:
    """Someone who may hold seats, with their roles, experience and windows."""

    id: str
    roles: frozenset[str]
    past_shifts: int
    max_shifts: int | None
    unavailable: tuple[Interval, ...]
    preferred: tuple[Interval, ...]
    avoid: tuple[Interval, ...]
    index: int


@dataclass(frozen=True, eq=False)
class Problem:
    """A parsed, validated rota problem."""

    name: str
    timezone: str
    rules: Rules
    slots: tuple[Slot, ...]
    people: tuple[Person, ...]
    fixed: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    previous: Mapping[str, str | None] | None = None

    @cached_property
    def max_oncall_seconds(self) -> int | None:
        """Return the most seconds one person may hold under rules.max_oncall_share."""
        share = self.rules.max_oncall_share
        if share is None or not self.slots:
            return None
        span = max(s.end_ts for s in self.slots) - min(s.start_ts for s in self.slots)
        return int(share * span)

    def within_oncall_share(self, slots: Iterable[Slot]) -> bool:
        """Tell whether holding the slots keeps a person within rules.max_oncall_share."""
        most = self.max_oncall_seconds
        return most is None or sum(s.end_ts - s.start_ts for s in slots) <= most

    @cached_property
    def slot_by_id(self) -> dict[str, Slot]:
        """Return slots keyed by id."""
        return {s.id: s for s in self.slots}

    @cached_property
    def person_by_id(self) -> dict[str, Person]:
        """Return people keyed by id."""
        return {p.id: p for p in self.people}

    @cached_property
    def index(self) -> Index:
        """Return the precomputed solver index (eligibility, windows, integer weights)."""
        from .rules import build_index

        return build_index(self)

    def is_experienced(self, person: Person) -> bool:
        """Return whether the person counts as experienced under the rules."""
        return person.past_shifts >= self.rules.experienced_threshold
