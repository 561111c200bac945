"""Solve a rota-problem/1 file with the engine and print the rota-solution/1 JSON."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from scheduling.engine import cli


class Command(BaseCommand):
    help = (
        "Solve a rota-problem/1 JSON file and print the solution as JSON. An invalid file exits "
        "with status 2 and one line on standard error naming the field."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Declare the problem file and the time limit."""
        parser.add_argument("problem", help="rota-problem/1 JSON file, or - for standard input")
        parser.add_argument("--time-limit", type=float, default=10.0, help="seconds (default 10)")
        parser.add_argument("--workers", type=int, default=2, help="CP-SAT workers (default 2)")

    def handle(self, *args: Any, **options: Any) -> None:
        """Run the engine's command line; exit 2 (not CommandError's 1) on an invalid problem."""
        argv = [
            options["problem"],
            "--time-limit",
            str(options["time_limit"]),
            "--workers",
            str(options["workers"]),
        ]
        status = cli.main(argv, self.stdout, self.stderr)
        if status:
            raise SystemExit(status)
