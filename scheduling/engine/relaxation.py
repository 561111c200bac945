"""The LP relaxation of a CP-SAT model, solved with GLOP, as a fast proof of lower bounds.

CP-SAT's own LP bound often arrives only after its first dives; when the bound alone settles a
question (a load cap is impossible, a rota is already optimal), solving the relaxation directly
answers it in milliseconds.
"""

from __future__ import annotations

import math

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

# GLOP's optimum is exact up to its tolerances; a bound must clear this to be trusted.
_SLACK = 1e-6
_INT_LIMIT = 2**62


def _bounds(domain: list[int]) -> tuple[float, float]:
    """Return the hull of a flattened CP-SAT domain as floats (infinite when unbounded)."""
    lo, hi = domain[0], domain[-1]
    return (
        -math.inf if lo <= -_INT_LIMIT else float(lo),
        math.inf if hi >= _INT_LIMIT else float(hi),
    )


def lower_bound(model: cp_model.CpModel) -> float | None:
    """Return a proven lower bound on the model's (minimised) objective, or None."""
    result = relax(model)
    return None if result is None else result[0]


def relax(model: cp_model.CpModel) -> tuple[float, list[float] | None] | None:
    """Return a lower bound on the (minimised) objective and the LP optimum, or None.

    Constraints the relaxation does not model are dropped, which only weakens the bound. A
    maximised objective is negated by CP-SAT; the bound is for the stored, minimised form.
    """
    proto = model.proto
    if not proto.has_objective():
        return None
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:
        return None
    infinity = solver.infinity()
    columns = []
    for i, variable in enumerate(proto.variables):
        lo, hi = _bounds(list(variable.domain))
        columns.append(
            solver.NumVar(
                -infinity if lo == -math.inf else lo, infinity if hi == math.inf else hi, f"v{i}"
            )
        )

    def add(literals: list[int], lo: float, hi: float) -> None:
        # A negative reference -r-1 stands for 1 - x_r; its constant moves into the bounds.
        row = solver.Constraint(lo, hi)
        shift = 0.0
        for literal in literals:
            if literal >= 0:
                row.SetCoefficient(columns[literal], row.GetCoefficient(columns[literal]) + 1)
            else:
                column = columns[-literal - 1]
                row.SetCoefficient(column, row.GetCoefficient(column) - 1)
                shift += 1
        row.SetBounds(lo - shift, hi - shift)

    for constraint in proto.constraints:
        if len(constraint.enforcement_literal):
            continue
        if constraint.has_at_most_one():
            add(list(constraint.at_most_one.literals), -infinity, 1.0)
        elif constraint.has_exactly_one():
            add(list(constraint.exactly_one.literals), 1.0, 1.0)
        elif constraint.has_bool_or():
            add(list(constraint.bool_or.literals), 1.0, infinity)
        elif constraint.has_linear():
            linear = constraint.linear
            lo, hi = _bounds(list(linear.domain))
            row = solver.Constraint(
                -infinity if lo == -math.inf else lo, infinity if hi == math.inf else hi
            )
            for ref, coefficient in zip(linear.vars, linear.coeffs, strict=True):
                if ref < 0:
                    return None  # Not produced by this package's models.
                column = columns[ref]
                row.SetCoefficient(column, row.GetCoefficient(column) + coefficient)
    objective = solver.Objective()
    for ref, coefficient in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        if ref < 0:
            return None
        objective.SetCoefficient(columns[ref], objective.GetCoefficient(columns[ref]) + coefficient)
    objective.SetMinimization()
    status = solver.Solve()
    if status == pywraplp.Solver.INFEASIBLE:
        return math.inf, None
    if status != pywraplp.Solver.OPTIMAL:
        return None
    return objective.Value() + proto.objective.offset - _SLACK, [c.solution_value() for c in columns]


def _in_domain(value: int, domain: list[int]) -> bool:
    """Return whether value lies in a flattened CP-SAT domain."""
    return any(lo <= value <= hi for lo, hi in zip(domain[::2], domain[1::2], strict=True))


def satisfies(model: cp_model.CpModel, values: list[int]) -> bool:
    """Return whether integer values (one per variable) satisfy every constraint of model."""
    proto = model.proto

    def truth(literal: int) -> int:
        return values[literal] if literal >= 0 else 1 - values[-literal - 1]

    for i, variable in enumerate(proto.variables):
        if not _in_domain(values[i], list(variable.domain)):
            return False
    for constraint in proto.constraints:
        if any(not truth(e) for e in constraint.enforcement_literal):
            continue
        if constraint.has_at_most_one():
            ok = sum(truth(lit) for lit in constraint.at_most_one.literals) <= 1
        elif constraint.has_exactly_one():
            ok = sum(truth(lit) for lit in constraint.exactly_one.literals) == 1
        elif constraint.has_bool_or():
            ok = any(truth(lit) for lit in constraint.bool_or.literals)
        elif constraint.has_bool_and():
            ok = all(truth(lit) for lit in constraint.bool_and.literals)
        elif constraint.has_linear():
            linear = constraint.linear
            total = sum(
                c * (values[v] if v >= 0 else -values[-v - 1])
                for v, c in zip(linear.vars, linear.coeffs, strict=True)
            )
            ok = _in_domain(total, list(linear.domain))
        else:
            return False  # A constraint this checker does not know: trust nothing.
        if not ok:
            return False
    return True
