"""Rota's recommendation engine: rota-problem/1 in, rota-solution/1 out, no database behind it.

Public API::

    parse_problem(data: dict) -> Problem
        Validate a rota-problem/1 document. Raises ProblemError(field, message) naming the
        field, e.g. ``slots[3].end: must be after start``. Fixed seats that themselves break a
        hard rule are errors too (``fixed[2]: person 'p4' is unavailable during slot ...``).

    solve(problem, *, time_limit=10.0, workers=2, candidates=True) -> Solution
        Fill the rota with CP-SAT, optimising lexicographically, each stage's optimum pinned as a
        constraint for the next: (1) most seats filled; (2) most seats kept from ``previous``;
        (3) smallest largest weighted load; (4) smallest sum of squared loads; (5) preferred
        time used and avoided time spared; (6) experienced people on primary seats, minus
        newcomers without an experienced partner in their window. ``status`` is "optimal" only
        when every stage was proven optimal within the time limit, else "feasible" (the rota
        is still valid and as good as the time allowed). ``Solution.stages`` tells how each
        stage went (with its CP-SAT deterministic ``work``). See solver.py for how the stages
        are proven quickly; each search runs one CP-SAT worker, ``workers`` caps the threads.

    solution_to_dict(solution) -> dict
        The rota-solution/1 document (assignments, load, seconds, status, top-10 candidates).

    rank_candidates(problem, slot_id, assignments, *, limit=None) -> list[Candidate]
        The people who could legally take one seat given the other draft assignments, best
        first, each with a score in [0, 1] and human-readable reasons.

    greedy_solve(problem, *, candidates=True) -> Solution
        A least-loaded, least-recently-on-call greedy baseline, for comparison only.

    violations(problem, assignments) -> list[str]
        Every hard rule a draft breaks, one readable line each (empty when valid).

Extension of rota-problem/1: an optional top-level ``"previous": {"slot_id": "person_id" or
null}`` gives the published rota being re-solved; the engine then changes as few of its seats as
the rules allow (stage 2). Every other object stays strict: an unknown field is an error.

Semantics worth knowing: windows are half-open and compared in real UTC time, so a slot across a
daylight-saving change is exactly as long as it really is. ``preferred`` and ``avoid`` count in
proportion to how much of the slot they cover (a whole day of a 24h shift starting at 09:00
covers 15/24 of it), in hundredths; weights count in hundredths too. The experienced rule reads
literally: a window (slots sharing start and end) that is completely filled has at least one
person with ``past_shifts >= experienced_threshold``, so a one-seat window needs an experienced
holder. "Primary" seats are those whose role is ``"primary"``. Candidates for a fixed seat still
list the alternatives, since a cover request may replace its holder.
"""

from .candidates import rank_candidates
from .greedy import greedy_solve
from .parse import parse_problem
from .problem import Person, Problem, ProblemError, Rules, Slot
from .rules import violations
from .solution import Candidate, Solution, Stage, solution_to_dict
from .solver import solve

__all__ = [
    "Candidate",
    "Person",
    "Problem",
    "ProblemError",
    "Rules",
    "Slot",
    "Solution",
    "Stage",
    "greedy_solve",
    "parse_problem",
    "rank_candidates",
    "solution_to_dict",
    "solve",
    "violations",
]
