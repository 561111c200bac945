"""Solve a rota in lexicographic stages, pinning each stage's optimum for the stages after it.

Stages: fill, keep (only with ``previous``), max_load, spread, then wishes and experience as one
objective weighted to be exactly lexicographic (pinning the wishes optimum as an equality made the
experience proof many times slower). max_load has its own bisection over load caps; every other
stage runs the same ladder, cheapest rung first, stopping at the first that proves optimality:

1. the best rota so far already meets the LP relaxation's bound (GLOP, milliseconds);
2. the LP optimum is itself integral, or rounds to a feasible rota meeting the bound;
3. CP-SAT on the neighbourhood the LP suggests (seats the LP fills integrally stay put);
4. CP-SAT on the whole model, stopped as soon as it reaches the LP bound.

The greedy rota (seeded with ``previous``) is the first hint, and every solve starts from the
best rota so far, so a stage cut short by the time limit still returns a good, valid rota;
before the wishes stage, equal-weight seats are swapped for wishes (search.swap_wishes).

Each CP-SAT search runs one worker with every constraint in its LP (linearization level 2).
On these models that proves bounds 3-20 times faster than CP-SAT's default portfolio of
``workers`` threads, idle or busy machine alike (docs/benchmarks.md). A single worker is also
deterministic: the same problem gives the same rota whatever the load, unless the time limit
cuts a search short. ``workers`` threads are used only for a model whose LP relaxation could
not be solved, as before (none of the bench problems gets there).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from .candidates import candidates_for
from .greedy import greedy_assign
from .model import Holders, Objective, RotaModel, lexicographic
from .problem import Problem
from .relaxation import lower_bound, relax, satisfies
from .search import flatten, swap_wishes
from .solution import Solution, Stage, loads

_SOLVED = (cp_model.OPTIMAL, cp_model.FEASIBLE)
# Every linear constraint (and its cuts) in CP-SAT's LP: the stage bounds are LP bounds.
_LINEARIZATION = 2
# Earlier stages matter more: each may use this share of the time left.
_SHARE = 0.5


class _StopAt(cp_model.CpSolverSolutionCallback):
    """Stop the search once a solution reaches a value already known to be optimal."""

    def __init__(self, target: int, maximize: bool) -> None:
        super().__init__()
        self.target = target
        self.maximize = maximize

    def on_solution_callback(self) -> None:
        """Stop when the objective reaches the target."""
        value = round(self.objective_value)
        if value >= self.target if self.maximize else value <= self.target:
            self.stop_search()


class _Run:
    """The state of one solve: model, best rota so far, clock and stage log."""

    def __init__(self, problem: Problem, time_limit: float, workers: int) -> None:
        self.started = time.perf_counter()
        self.deadline = self.started + time_limit
        self.workers = workers
        self.problem = problem
        self.rota = RotaModel(problem)
        self.best: Holders = _holders(problem, greedy_assign(problem, seed=problem.previous))
        self.stages: list[Stage] = []
        self.optimal = True
        self.work = 0.0  # CP-SAT's deterministic time so far, independent of machine load.

    def remaining(self) -> float:
        """Return the seconds left."""
        return self.deadline - time.perf_counter()

    def hint(self, model: cp_model.CpModel, extra: list[tuple[cp_model.IntVar, int]]) -> None:
        """Hint the best rota so far (and auxiliary values) to model."""
        model.clear_hints()
        for (s, p), var in self.rota.x.items():
            model.add_hint(var, int(self.best[s] == p))
        for var, value in [*self.rota.profile_hints(self.best), *extra]:
            model.add_hint(var, value)

    def run(
        self,
        model: cp_model.CpModel,
        share: float,
        *,
        positive: bool = False,
        stop: _StopAt | None = None,
        workers: int | None = None,
    ) -> tuple[cp_model.CpSolverStatus, Holders | None, float]:
        """Solve model with a share of the remaining time; return status, holders and bound.

        With positive, stop as soon as the objective is proven above zero (all a refutation
        needs); with stop, as soon as a solution reaches its target. One worker unless workers
        asks for more (see the module docstring).
        """
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = min(workers or 1, self.workers)
        solver.parameters.linearization_level = _LINEARIZATION
        solver.parameters.max_time_in_seconds = max(self.remaining() * share, 0.001)
        if positive:

            def stop_when_positive(bound: float) -> None:
                if bound > 0:
                    solver.stop_search()

            solver.best_bound_callback = stop_when_positive
        result = solver.solve(model, stop)
        self.work += solver.deterministic_time
        if result not in _SOLVED:
            return result, None, solver.best_objective_bound
        return result, self._read(solver.boolean_value), solver.best_objective_bound

    def _read(self, value_of: Callable[[cp_model.IntVar], object]) -> Holders:
        """Return holders from a function giving each x variable's value."""
        found: Holders = [None] * len(self.problem.slots)
        for (s, p), var in self.rota.x.items():
            if value_of(var):
                found[s] = p
        return found

    def log(self, name: str, status: str, value: float, started: float) -> None:
        """Record a finished stage."""
        if status != "optimal":
            self.optimal = False
        seconds = round(time.perf_counter() - started, 4)
        work = round(self.work - sum(stage.work for stage in self.stages), 4)
        self.stages.append(
            Stage(name=name, status=status, value=round(value, 4), seconds=seconds, work=work)
        )

    def pin(self, objective: Objective, status: str, value: int) -> None:
        """Constrain later stages to keep objective at value (or better, if not proven)."""
        model = self.rota.model
        if status == "optimal":
            model.add(objective.expr == value)
        elif objective.maximize:
            model.add(objective.expr >= value)
        else:
            model.add(objective.expr <= value)

    def stage(self, objective: Objective, share: float) -> None:
        """Optimise one objective, keep the better rota, and pin the value reached."""
        started = time.perf_counter()
        status, value = self._optimise(objective, share)
        self.rota.model.clear_objective()
        self.pin(objective, status, value)
        for part in objective.parts or (objective,):
            self.log(part.name, status, part.value_of(self.best) * part.scale, started)

    def _optimise(self, objective: Objective, share: float) -> tuple[str, int]:
        """Run the ladder of the module docstring; return status and the value reached."""
        model = self.rota.model
        current = objective.value_of(self.best)
        maximize = objective.maximize

        def reached(value: int, goal: int | None) -> bool:
            return goal is not None and (value >= goal if maximize else value <= goal)

        def adopt(found: Holders | None) -> None:
            nonlocal current
            if found is not None:
                value = objective.value_of(found)
                if value >= current if maximize else value <= current:
                    self.best, current = found, value

        if reached(current, objective.bound):
            return "optimal", current
        if self.remaining() < 0.01:
            return "feasible", current
        if maximize:
            model.maximize(objective.expr)
        else:
            model.minimize(objective.expr)
        target, values = None, None
        relaxed = relax(model, self.remaining())
        if relaxed is not None and math.isfinite(relaxed[0]):
            bound, values = relaxed
            # CP-SAT stores a maximisation negated; every objective here is integral.
            target = math.floor(-bound) if maximize else math.ceil(bound)
        if reached(current, target):
            return "optimal", current
        hints = objective.hints(self.best) if objective.hints else []
        if values is not None:
            rounded = [round(v) for v in values]
            if satisfies(model, rounded):
                adopt(self._read(lambda var: rounded[var.index]))
                if reached(current, target):
                    return "optimal", current
            # Seats the LP fills integrally keep that holder, except near the seats it leaves
            # fractional; CP-SAT settles that neighbourhood, widened until it is feasible.
            for radius in self._radii():
                trial = model.clone()
                for var in self._settled_by(values, radius):
                    trial.add(trial.get_bool_var_from_proto_index(var.index) == 1)
                self.hint(trial, hints)
                stop = None if target is None else _StopAt(target, maximize)
                result, found, _ = self.run(trial, share / 2, stop=stop)
                adopt(found)
                if reached(current, target):
                    return "optimal", current
                if result != cp_model.INFEASIBLE:
                    break
            hints = objective.hints(self.best) if objective.hints else []
        self.hint(model, hints)
        # After the neighbourhood search what is usually left is proving the bound, which one
        # LP-driven worker does fastest; without an LP optimum, the portfolio may search.
        result, found, _ = self.run(
            model,
            share,
            stop=None if target is None else _StopAt(target, maximize),
            workers=None if values is not None else self.workers,
        )
        adopt(found)
        proven = result == cp_model.OPTIMAL or reached(current, target)
        return ("optimal" if proven else "feasible"), current

    def _radii(self) -> list[int]:
        """Return growing neighbourhood radii (seconds) around fractional LP seats."""
        slots = self.problem.slots
        if not slots:
            return []
        longest = max(s.end_ts - s.start_ts for s in slots)
        step = longest + self.rota.index.rest
        return [step, 3 * step, 7 * step]

    def _settled_by(self, values: list[float], radius: int) -> list[cp_model.IntVar]:
        """Return x variables at 1 in the LP, away from any seat the LP leaves fractional."""
        slots = self.problem.slots
        loose = {s for (s, _), var in self.rota.x.items() if 1e-6 < values[var.index] < 1 - 1e-6}
        spans = sorted((slots[s].start_ts - radius, slots[s].end_ts + radius) for s in loose)
        result = []
        for (s, _), var in self.rota.x.items():
            if values[var.index] > 1 - 1e-6:
                start, end = slots[s].start_ts, slots[s].end_ts
                if not any(lo < end and start < hi for lo, hi in spans):
                    result.append(var)
        return result

    def max_load(self, share: float) -> None:
        """Minimise the largest load: local search, then bisection over load caps."""
        started = time.perf_counter()
        rota = self.rota
        self.best = flatten(self.problem, self.best, time.perf_counter() + self.remaining() / 10)
        upper = max(rota.unit_load(self.best), default=0)
        rota.add_profiles(upper)
        staffed = rota.staffed
        filled = sum(1 for p in self.best if p is not None)
        fixed = rota.unit_load(
            [
                self.best[s] if self.problem.slots[s].id in self.problem.fixed else None
                for s in range(len(self.problem.slots))
            ]
        )
        # Every filled seat weighs at least the lightest seat; fixed loads are given.
        smallest = min(rota.units, default=0)
        lower = max([*fixed, math.ceil(filled * smallest / len(staffed)) if staffed else 0])
        # The LP relaxation refutes most caps in milliseconds; bisect with it first.
        high = upper
        while lower < high and self.remaining() > 0:
            cap = (lower + high) // 2
            trial = rota.model.clone()
            trial.minimize(rota.excess(trial, cap))
            bound = lower_bound(trial, self.remaining())
            if bound is not None and bound > 0:
                lower = cap + 1
            else:
                high = cap
        status = "optimal"
        while lower < upper:
            if self.remaining() < 0.01:
                status = "feasible"
                break
            cap = (lower + upper) // 2
            # Overload above the cap is minimised from the best rota rather than forbidden:
            # improving a feasible rota is far easier for CP-SAT than finding one from scratch,
            # and a proven optimum above zero refutes the cap.
            trial = rota.model.clone()
            trial.minimize(rota.excess(trial, cap))
            self.hint(trial, [])
            result, found, bound = self.run(trial, share, positive=True)
            if found is not None and max(rota.unit_load(found), default=0) <= cap:
                self.best = found
                upper = max(rota.unit_load(found), default=0)
            elif bound > 0:
                lower = cap + 1
            else:
                status = "feasible"
                break
        rota.cap_loads(rota.model, upper)
        self.log("max_load", status, upper * rota.index.unit / 100, started)


def _holders(problem: Problem, assignments: dict[str, str | None]) -> Holders:
    """Return seat index -> person index for plain id assignments."""
    people = problem.person_by_id
    return [
        None if (person_id := assignments[s.id]) is None else people[person_id].index
        for s in problem.slots
    ]


def solve(
    problem: Problem, *, time_limit: float = 10.0, workers: int = 2, candidates: bool = True
) -> Solution:
    """Solve the rota lexicographically within time_limit seconds; see the package docs."""
    run = _Run(problem, time_limit, workers)
    rota = run.rota
    run.stage(rota.fill(), _SHARE)
    keep = rota.keep()
    if keep is not None:
        run.stage(keep, _SHARE)
    run.max_load(_SHARE)
    run.stage(rota.spread(max(rota.unit_load(run.best), default=0)), _SHARE)
    wishes, experience = rota.wishes(), rota.experience()
    if wishes is not None:
        # Any wishes gain outweighs the whole experience range, so swaps only help.
        run.best = swap_wishes(problem, run.best, rota.wish_gain)
    if wishes is not None and experience is not None:
        run.stage(lexicographic(wishes, experience), 1.0)
    elif wishes is not None:
        run.stage(wishes, 1.0)
    elif experience is not None:
        run.stage(experience, 1.0)
    assignments = {
        slot.id: None if (held := run.best[slot.index]) is None else problem.people[held].id
        for slot in problem.slots
    }
    solution = Solution(
        status="optimal" if run.optimal else "feasible",
        assignments=assignments,
        load=loads(problem, assignments),
        seconds=0.0,
        stages=run.stages,
    )
    if candidates:
        solution.candidates = candidates_for(problem, assignments)
    solution.seconds = time.perf_counter() - run.started
    return solution
