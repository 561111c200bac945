"""Recommend the next open period of several teams at once, in turn, in one Celery task."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Team
from scheduling.rotas import services
from scheduling.rotas.models import PeriodState, RotaPeriod


class Command(BaseCommand):
    help = "Queue a recommendation for each team's next period that is collecting or recommended."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--team", action="append", default=[], help="Team slug (repeat; all by default)."
        )

    def handle(self, *args, team: list[str], **options) -> None:
        teams = Team.objects.filter(slug__in=team) if team else Team.objects.all()
        missing = set(team) - set(teams.values_list("slug", flat=True))
        if missing:
            raise CommandError(f"No such team: {', '.join(sorted(missing))}")
        periods = []
        for each in teams:
            period = (
                RotaPeriod.objects.filter(
                    team=each, state__in=[PeriodState.COLLECTING, PeriodState.RECOMMENDED]
                )
                .order_by("starts_on")
                .first()
            )
            if period is not None:
                periods.append(period)
        recommendations = services.recommend_periods(periods=periods, by=None)
        for recommendation in recommendations:
            self.stdout.write(
                f"Queued recommendation {recommendation.pk} for {recommendation.period}"
            )
        if not recommendations:
            self.stdout.write("No team has a period collecting availability.")
