"""Command line: solve a rota-problem/1 file and print the rota-solution/1 JSON."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, NoReturn, Protocol

from .greedy import greedy_solve
from .parse import parse_problem
from .problem import ProblemError
from .solution import solution_to_dict
from .solver import solve

EXIT_INVALID = 2


class Stream(Protocol):
    """Where output goes: a text file, or Django's OutputWrapper."""

    def write(self, text: str, /) -> object:
        """Write text."""

    def flush(self) -> object:
        """Flush buffered output."""


class _UsageError(Exception):
    """A bad command line, reported as one line."""


class _Parser(argparse.ArgumentParser):
    """An argument parser that raises instead of printing usage and exiting."""

    def error(self, message: str) -> NoReturn:
        """Raise the message so main can print it as one line."""
        raise _UsageError(message)


def _reject_constant(name: str) -> Any:
    """Refuse NaN and Infinity, which are not JSON."""
    raise ValueError(f"{name} is not valid JSON")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser."""
    parser = _Parser(prog="rota_solve", description=__doc__)
    parser.add_argument("problem", help="rota-problem/1 JSON file, or - for standard input")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds (default 10)")
    parser.add_argument("--workers", type=int, default=2, help="most CP-SAT workers (default 2)")
    parser.add_argument("--greedy", action="store_true", help="use the greedy baseline instead")
    return parser


def main(
    argv: Sequence[str] | None = None, stdout: Stream | None = None, stderr: Stream | None = None
) -> int:
    """Run the command; return 0, or 2 after one line on stderr for an invalid problem."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        args = build_parser().parse_args(argv)
        if args.time_limit <= 0:
            raise _UsageError("--time-limit must be positive")
        if args.workers < 1:
            raise _UsageError("--workers must be at least 1")
    except _UsageError as error:
        stderr.write(f"rota_solve: {error}\n")
        return EXIT_INVALID
    name = "<stdin>" if args.problem == "-" else args.problem
    try:
        if args.problem == "-":
            text = sys.stdin.read()
        else:
            with open(args.problem, encoding="utf-8") as handle:
                text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        stderr.write(f"{name}: cannot read: {getattr(error, 'strerror', None) or error}\n")
        return EXIT_INVALID
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except ValueError as error:
        stderr.write(f"{name}: not valid JSON: {error}\n")
        return EXIT_INVALID
    try:
        problem = parse_problem(data)
    except ProblemError as error:
        stderr.write(f"{name}: {error}\n")
        return EXIT_INVALID
    if args.greedy:
        solution = greedy_solve(problem)
    else:
        solution = solve(problem, time_limit=args.time_limit, workers=args.workers)
    stdout.write(json.dumps(solution_to_dict(solution), indent=2) + "\n")
    stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
