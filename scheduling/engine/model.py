"""The CP-SAT model of a rota: hard rules as constraints, one method per objective stage.

One boolean x[s, p] exists only where person p may hold seat s at all (role and availability).
The overlap and rest rules become one at-most-one per maximal clique of a person's mutually
conflicting seats: seats stretched by the rest form an interval graph, so the cliques come from
one sweep and the per-person constraints describe the integral hull exactly.

Fairness uses *profiles*: for each person, one boolean per possible vector of seat counts by
weight class (e.g. "two weekday seats and one weekend seat"). A load then is a linear function of
the chosen profile, and its square too, so the LP relaxation knows that a load is a sum of whole
seats; that is what lets CP-SAT prove "nobody can stay at 1.5" or "the squares cannot go lower"
quickly instead of branching on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .problem import Problem
from .rules import coverage

Holders = list[int | None]
# What the model's sums come to: an expression, or 0 when nothing was summed.
Expr = cp_model.LinearExpr | int
# Past this many profile booleans the model falls back to chords on the plain load.
_MAX_PROFILES = 40_000
_MAX_SQUARE_LINES = 200


@dataclass
class Objective:
    """One stage: what to optimise, how to score a plain assignment, and aux-variable hints."""

    name: str
    expr: Expr
    maximize: bool
    value_of: Callable[[Holders], int]
    bound: int | None = None
    hints: Callable[[Holders], list[tuple[cp_model.IntVar, int]]] | None = None
    scale: float = 1.0
    span: int | None = None
    parts: tuple[Objective, ...] = ()


def lexicographic(major: Objective, minor: Objective) -> Objective:
    """Return one objective ranking by major, then minor (both maximised).

    The weight on major exceeds minor's whole range, so the order is exactly lexicographic;
    one solve without an equality pin on major is far easier for CP-SAT to prove than two.
    """
    assert major.maximize and minor.maximize and minor.span is not None
    weight = minor.span + 1
    return Objective(
        name=f"{major.name}+{minor.name}",
        expr=weight * major.expr + minor.expr,
        maximize=True,
        value_of=lambda h: weight * major.value_of(h) + minor.value_of(h),
        hints=minor.hints,
        parts=(major, minor),
    )


def _enumerate(avail: list[int], units: list[int], cap: int, most: int) -> list[tuple[int, ...]]:
    """Return every count vector c <= avail with sum(c) <= most and c . units <= cap."""
    result: list[tuple[int, ...]] = []

    def walk(k: int, prefix: tuple[int, ...], load: int, count: int) -> None:
        if k == len(avail):
            result.append(prefix)
            return
        n = 0
        while n <= avail[k] and count + n <= most and load + n * units[k] <= cap:
            walk(k + 1, (*prefix, n), load + n * units[k], count + n)
            n += 1

    walk(0, (), 0, 0)
    return result


class RotaModel:
    """The CP-SAT model of one problem, grown stage by stage."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.index = index = problem.index
        self.model = cp_model.CpModel()
        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        self.by_person: list[list[int]] = [[] for _ in problem.people]
        self.by_slot: list[list[int]] = [[] for _ in problem.slots]
        self.profiles: dict[int, list[tuple[int, tuple[int, ...], cp_model.IntVar]]] | None = None
        self.wish_gain: dict[tuple[int, int], int] = {}
        self.units = sorted({index.units[s] for s in range(len(problem.slots))})
        fixed = {
            problem.slot_by_id[s].index: problem.person_by_id[p].index
            for s, p in problem.fixed.items()
        }
        for s in range(len(problem.slots)):
            people = [fixed[s]] if s in fixed else index.eligible_people[s]
            for p in people:
                self.x[s, p] = self.model.new_bool_var(f"x{s}_{p}")
                self.by_person[p].append(s)
                self.by_slot[s].append(p)
            if s in fixed:
                self.model.add(self.x[s, fixed[s]] == 1)
            elif len(people) > 1:
                self.model.add_at_most_one(self.x[s, p] for p in people)
        for p, person in enumerate(problem.people):
            seats = self.by_person[p]
            for clique in index.conflict_cliques(problem, seats):
                self.model.add_at_most_one(self.x[s, p] for s in clique)
            if person.max_shifts is not None and person.max_shifts < len(seats):
                self.model.add(sum(self.x[s, p] for s in seats) <= person.max_shifts)
            most = problem.max_oncall_seconds
            if most is not None and not problem.within_oncall_share(
                problem.slots[s] for s in seats
            ):
                # Minutes keep the coefficients small; slots start and end on whole minutes.
                self.model.add(
                    sum(self.x[s, p] * _minutes(problem.slots[s]) for s in seats) <= most // 60
                )
        if problem.rules.require_experienced_in_window:
            # "Fully filled implies someone experienced" is "newcomers hold fewer than all seats".
            for members in index.windows:
                newcomers = [
                    self.x[s, p]
                    for s in members
                    for p in self.by_slot[s]
                    if not index.experienced[p]
                ]
                if len(newcomers) >= len(members):
                    self.model.add(sum(newcomers) <= len(members) - 1)

    @property
    def staffed(self) -> list[int]:
        """Return the people who could hold at least one seat."""
        return [p for p, seats in enumerate(self.by_person) if seats]

    def load(self, p: int) -> cp_model.LinearExprT:
        """Return person p's load in integer units."""
        return sum(self.index.units[s] * self.x[s, p] for s in self.by_person[p])

    def unit_load(self, holders: Holders) -> list[int]:
        """Return each person's load in units under plain holders."""
        totals = [0] * len(self.problem.people)
        for s, p in enumerate(holders):
            if p is not None:
                totals[p] += self.index.units[s]
        return totals

    def add_profiles(self, cap: int) -> bool:
        """Add per-person load profiles up to cap units; return False if there would be too many."""
        units = self.units
        klass = {u: k for k, u in enumerate(units)}
        plans: dict[int, tuple[list[list[int]], list[tuple[int, ...]]]] = {}
        total = 0
        for p in self.staffed:
            by_class: list[list[int]] = [[] for _ in units]
            for s in self.by_person[p]:
                by_class[klass[self.index.units[s]]].append(s)
            most = self.problem.people[p].max_shifts
            vectors = _enumerate(
                [len(c) for c in by_class],
                units,
                cap,
                len(self.by_person[p]) if most is None else most,
            )
            total += len(vectors)
            if total > _MAX_PROFILES:
                return False
            plans[p] = (by_class, vectors)
        self.profiles = {}
        for p, (by_class, vectors) in plans.items():
            chosen = []
            for vector in vectors:
                z = self.model.new_bool_var(f"profile{p}_{'_'.join(map(str, vector))}")
                chosen.append((sum(n * u for n, u in zip(vector, units, strict=True)), vector, z))
            zs = [z for _, _, z in chosen]
            self.model.add_exactly_one(zs)
            for k, seats in enumerate(by_class):
                if seats:
                    self.model.add(
                        sum(self.x[s, p] for s in seats)
                        == sum(v[k] * z for v, z in zip(vectors, zs, strict=True))
                    )
            self.profiles[p] = chosen
        return True

    def cap_loads(self, model: cp_model.CpModel, cap: int) -> None:
        """Constrain every load to at most cap units in model (self.model or a clone)."""
        smallest = min((u for u in self.index.units if u > 0), default=0)
        for p in self.staffed:
            if self.profiles is not None:
                for load, _vector, z in self.profiles[p]:
                    if load > cap:
                        model.add(model.get_bool_var_from_proto_index(z.index) == 0)
                continue
            seats = self.by_person[p]
            clone = [model.get_bool_var_from_proto_index(self.x[s, p].index) for s in seats]
            model.add(
                sum(self.index.units[s] * v for s, v in zip(seats, clone, strict=True)) <= cap
            )
            if smallest:
                # Redundant but LP-visible: a load of at most cap allows only so many seats.
                weighty = [v for s, v in zip(seats, clone, strict=True) if self.index.units[s]]
                model.add(sum(weighty) <= cap // smallest)

    def excess(self, model: cp_model.CpModel, cap: int) -> cp_model.LinearExprT:
        """Return the total load above cap units, in model (a clone of self.model)."""
        if self.profiles is not None:
            return sum(
                (load - cap) * model.get_bool_var_from_proto_index(z.index)
                for chosen in self.profiles.values()
                for load, _, z in chosen
                if load > cap
            )
        terms = []
        for p in self.staffed:
            seats = self.by_person[p]
            over = model.new_int_var(0, sum(self.index.units[s] for s in seats), f"over{p}")
            load = sum(
                self.index.units[s] * model.get_bool_var_from_proto_index(self.x[s, p].index)
                for s in seats
            )
            model.add(over >= load - cap)
            terms.append(over)
        return sum(terms)

    def profile_hints(self, holders: Holders) -> list[tuple[cp_model.IntVar, int]]:
        """Return hints for the profile booleans matching plain holders."""
        if self.profiles is None:
            return []
        klass = {u: k for k, u in enumerate(self.units)}
        counts = {p: [0] * len(self.units) for p in self.profiles}
        for s, p in enumerate(holders):
            if p is not None and p in counts:
                counts[p][klass[self.index.units[s]]] += 1
        return [
            (z, int(list(vector) == counts[p]))
            for p, chosen in self.profiles.items()
            for _load, vector, z in chosen
        ]

    def fill(self) -> Objective:
        """Maximise the number of filled seats."""
        return Objective(
            name="fill",
            expr=sum(self.x.values()),
            maximize=True,
            value_of=lambda h: sum(1 for p in h if p is not None),
            bound=sum(1 for seats in self.by_slot if seats),
        )

    def keep(self) -> Objective | None:
        """Maximise the seats kept from the previous rota, or None without one."""
        previous = self.problem.previous
        if not previous:
            return None
        pairs = []
        for slot_id, person_id in previous.items():
            if person_id is None:
                continue
            slot = self.problem.slot_by_id[slot_id]
            key = (slot.index, self.problem.person_by_id[person_id].index)
            if key in self.x:
                pairs.append(key)
        return Objective(
            name="keep",
            expr=sum(self.x[k] for k in pairs),
            maximize=True,
            value_of=lambda h: sum(1 for s, p in pairs if h[s] == p),
            bound=len(pairs),
        )

    def squares(self, model: cp_model.CpModel) -> Expr:
        """Return the sum of squared loads over profiles, in model (self.model or a clone)."""
        if self.profiles is None:
            # A linear stand-in: the objective only needs to exist to bring in the LP workers.
            return sum(model.get_bool_var_from_proto_index(x.index) for x in self.x.values())
        return sum(
            load * load * model.get_bool_var_from_proto_index(z.index)
            for chosen in self.profiles.values()
            for load, _, z in chosen
        )

    def spread(self, ceiling: int) -> Objective:
        """Minimise the sum of squared loads, every load being at most ceiling units."""
        terms: list[Expr] = []
        if self.profiles is not None:
            terms = [self.squares(self.model)]
        else:
            for p in self.staffed:
                sq = self.model.new_int_var(0, ceiling * ceiling, f"sq{p}")
                load = self.load(p)
                if ceiling <= _MAX_SQUARE_LINES:
                    # Chords of k^2 between consecutive integers bound it exactly at integers.
                    for j in range(ceiling):
                        self.model.add(sq >= (2 * j + 1) * load - j * (j + 1))
                else:
                    value = self.model.new_int_var(0, ceiling, f"load{p}")
                    self.model.add(value == load)
                    self.model.add_multiplication_equality(sq, [value, value])
                terms.append(sq)
        unit = self.index.unit / 100
        return Objective(
            name="spread",
            expr=sum(terms),
            maximize=False,
            value_of=lambda h: sum(v * v for v in self.unit_load(h)),
            scale=unit * unit,
        )

    def wishes(self) -> Objective | None:
        """Reward preferred and penalise avoided time, or None when nobody stated any."""
        coef: dict[tuple[int, int], int] = {}
        for s, p in self.x:
            person, slot = self.problem.people[p], self.problem.slots[s]
            value = round(100 * coverage(person.preferred, slot.start_ts, slot.end_ts)) - round(
                100 * coverage(person.avoid, slot.start_ts, slot.end_ts)
            )
            if value:
                coef[s, p] = value
        self.wish_gain = coef
        if not coef:
            return None
        return Objective(
            name="wishes",
            expr=sum(c * self.x[k] for k, c in coef.items()),
            maximize=True,
            value_of=lambda h: sum(c for (s, p), c in coef.items() if h[s] == p),
            scale=0.01,
        )

    def experience(self) -> Objective | None:
        """Reward experienced primaries; penalise newcomers with no experienced partner."""
        index, x = self.index, self.x
        terms: list[Expr] = [
            x[s, p]
            for s in range(len(self.problem.slots))
            if index.primary[s]
            for p in self.by_slot[s]
            if index.experienced[p]
        ]
        lonely: list[tuple[int, list[int], cp_model.IntVar]] = []
        for members in index.windows:
            if len(members) < 2:
                continue
            veterans = [x[s, p] for s in members for p in self.by_slot[s] if index.experienced[p]]
            for s in members:
                novices = [x[s, p] for p in self.by_slot[s] if not index.experienced[p]]
                if not novices:
                    continue
                # One linear row rather than a product, so the LP relaxation stays exact.
                alone = self.model.new_bool_var(f"alone{s}")
                self.model.add(alone >= sum(novices) - sum(veterans))
                lonely.append((s, [t for t in members if t != s], alone))
                terms.append(-alone)
        if not terms:
            return None

        def alone_value(h: Holders, s: int, others: list[int]) -> int:
            held = h[s]
            novice = held is not None and not index.experienced[held]
            partner = any((m := h[t]) is not None and index.experienced[m] for t in others)
            return int(novice and not partner)

        def value_of(h: Holders) -> int:
            total = sum(
                1
                for s, p in enumerate(h)
                if p is not None and index.primary[s] and index.experienced[p]
            )
            return total - sum(alone_value(h, s, others) for s, others, _ in lonely)

        return Objective(
            name="experience",
            expr=sum(terms),
            maximize=True,
            value_of=value_of,
            hints=lambda h: [(alone, alone_value(h, s, others)) for s, others, alone in lonely],
            span=len(terms),
        )


def _minutes(slot) -> int:
    return (slot.end_ts - slot.start_ts) // 60
