"""The LP relaxation of a CP-SAT model, solved with GLOP, as a fast proof of lower bounds.

CP-SAT's own LP bound often arrives only after its first dives; when the bound alone settles a
question (a load cap is impossible, a rota is already optimal), solving the relaxation directly
answers it in milliseconds. Models travel as protocol buffers both ways: walking the CP-SAT
model through its Python wrapper, or building the LP call by call, costs more than the solve.
"""

from __future__ import annotations

import math
import os
import tempfile

from ortools.linear_solver import linear_solver_pb2, pywraplp
from ortools.sat import cp_model_pb2
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


def _in_domain(value: int, domain: list[int]) -> bool:
    """Return whether value lies in a flattened CP-SAT domain."""
    return any(lo <= value <= hi for lo, hi in zip(domain[::2], domain[1::2], strict=True))


def snapshot(model: cp_model.CpModel) -> cp_model_pb2.CpModelProto:
    """Return the model as a plain protocol buffer message."""
    # The wrapper offers no serialiser, but writes the binary form to a file quickly.
    handle, path = tempfile.mkstemp(suffix=".pb")
    try:
        os.close(handle)
        model.export_to_file(path)
        with open(path, "rb") as stream:
            return cp_model_pb2.CpModelProto.FromString(stream.read())
    finally:
        os.unlink(path)


def _row(mp: linear_solver_pb2.MPModelProto, terms: dict[int, float], lo: float, hi: float):
    """Append the row lo <= sum(terms) <= hi to mp."""
    row = mp.constraint.add()
    row.var_index.extend(terms.keys())
    row.coefficient.extend(terms.values())
    row.lower_bound = lo
    row.upper_bound = hi


def _literals(mp: linear_solver_pb2.MPModelProto, literals: list[int], lo: float, hi: float):
    """Append lo <= sum(literals) <= hi, a negative reference -r-1 standing for 1 - x_r."""
    terms: dict[int, float] = {}
    shift = 0.0
    for literal in literals:
        if literal >= 0:
            terms[literal] = terms.get(literal, 0.0) + 1
        else:
            terms[-literal - 1] = terms.get(-literal - 1, 0.0) - 1
            shift += 1
    _row(mp, terms, lo - shift, hi - shift)


def relax(
    model: cp_model.CpModel, seconds: float = 60.0
) -> tuple[float, list[float] | None] | None:
    """Return a lower bound on the (minimised) objective and the LP optimum, or None.

    Constraints the relaxation does not model are dropped, which only weakens the bound. A
    maximised objective is negated by CP-SAT; the bound is for the stored, minimised form. An
    infeasible relaxation gives an infinite bound and no values.
    """
    if seconds <= 0:
        return None
    proto = snapshot(model)
    if not proto.HasField("objective"):
        return None
    mp = linear_solver_pb2.MPModelProto()
    for variable in proto.variables:
        lo, hi = _bounds(list(variable.domain))
        mp.variable.add(lower_bound=lo, upper_bound=hi)
    for constraint in proto.constraints:
        if constraint.enforcement_literal:
            continue
        kind = constraint.WhichOneof("constraint")
        if kind == "at_most_one":
            _literals(mp, list(constraint.at_most_one.literals), -math.inf, 1.0)
        elif kind == "exactly_one":
            _literals(mp, list(constraint.exactly_one.literals), 1.0, 1.0)
        elif kind == "bool_or":
            _literals(mp, list(constraint.bool_or.literals), 1.0, math.inf)
        elif kind == "linear":
            linear = constraint.linear
            terms: dict[int, float] = {}
            for ref, coefficient in zip(linear.vars, linear.coeffs, strict=True):
                if ref < 0:
                    return None  # Not produced by this package's models.
                terms[ref] = terms.get(ref, 0.0) + coefficient
            _row(mp, terms, *_bounds(list(linear.domain)))
    for ref, coefficient in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        if ref < 0:
            return None
        mp.variable[ref].objective_coefficient += coefficient
    request = linear_solver_pb2.MPModelRequest(
        model=mp,
        solver_type=linear_solver_pb2.MPModelRequest.GLOP_LINEAR_PROGRAMMING,
        solver_time_limit_seconds=seconds,
    )
    response = linear_solver_pb2.MPSolutionResponse()
    pywraplp.Solver.SolveWithProto(request, response)
    if response.status == linear_solver_pb2.MPSOLVER_INFEASIBLE:
        return math.inf, None
    if response.status != linear_solver_pb2.MPSOLVER_OPTIMAL:
        return None
    bound = response.objective_value + proto.objective.offset - _SLACK
    return bound, list(response.variable_value)


def lower_bound(model: cp_model.CpModel, seconds: float = 60.0) -> float | None:
    """Return a proven lower bound on the model's (minimised) objective, or None."""
    result = relax(model, seconds)
    return None if result is None else result[0]


def satisfies(model: cp_model.CpModel, values: list[int]) -> bool:
    """Return whether integer values (one per variable) satisfy every constraint of model."""
    proto = snapshot(model)

    def truth(literal: int) -> int:
        return values[literal] if literal >= 0 else 1 - values[-literal - 1]

    for i, variable in enumerate(proto.variables):
        if not _in_domain(values[i], list(variable.domain)):
            return False
    for constraint in proto.constraints:
        if not all(truth(e) for e in constraint.enforcement_literal):
            continue
        kind = constraint.WhichOneof("constraint")
        if kind == "at_most_one":
            ok = sum(truth(lit) for lit in constraint.at_most_one.literals) <= 1
        elif kind == "exactly_one":
            ok = sum(truth(lit) for lit in constraint.exactly_one.literals) == 1
        elif kind == "bool_or":
            ok = any(truth(lit) for lit in constraint.bool_or.literals)
        elif kind == "bool_and":
            ok = all(truth(lit) for lit in constraint.bool_and.literals)
        elif kind == "linear":
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
