"""Print a team's payroll CSV for a month: python manage.py payroll --team SLUG --month YYYY-MM."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Team
from scheduling.pay import services


class Command(BaseCommand):
    help = "Print the team's payroll CSV for the month (the same file the pay page offers)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--team", required=True, help="The team's slug")
        parser.add_argument("--month", required=True, help="The month, YYYY-MM")

    def handle(self, *args, **options) -> None:
        team = Team.objects.filter(slug=options["team"]).first()
        if team is None:
            raise CommandError(f"No team with the slug {options['team']!r}.")
        try:
            year, month = (int(part) for part in options["month"].split("-"))
            first = date(year, month, 1)
        except ValueError as error:
            raise CommandError(f"--month must be YYYY-MM, not {options['month']!r}.") from error
        report = services.month_pay(team=team, month=first)
        self.stdout.write(services.payroll_csv(report), ending="")
