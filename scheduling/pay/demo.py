"""Demo pay rules for Payments: hourly primary, per-shift secondary, a rise from this month."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from django.utils import timezone

from accounts.models import Membership, Team
from scheduling.pay import services
from scheduling.pay.models import PayPolicy

MULTIPLIERS = {
    "weekend_multiplier": Decimal("1.5"),
    "holiday_multiplier": Decimal("2"),
    "night_multiplier": Decimal("1.25"),
    "night_starts": time(22),
    "night_ends": time(7),
    "monthly_cap": Decimal("1500"),
}


def seed(log) -> None:
    team = Team.objects.filter(slug="payments").first()
    if team is None or PayPolicy.objects.filter(team=team).exists():
        return
    manager = Membership.objects.managers().filter(team=team).select_related("user").first()
    if manager is None:
        return
    this_month = services.month_start(timezone.localtime(timezone.now(), team.tz).date())
    first = services.previous_month(services.previous_month(services.previous_month(this_month)))
    for effective_from, primary in ((first, "8.00"), (this_month, "8.50")):
        services.save_policy(
            team=team,
            by=manager.user,
            effective_from=effective_from,
            currency="GBP",
            rates={
                "primary": ("hour", Decimal(primary)),
                "secondary": ("shift", Decimal("40")),
                "shadow": ("hour", Decimal("0")),
            },
            **MULTIPLIERS,
        )
    log(f"  pay rules for {team.name} from {first:%B %Y}, primary rise from {this_month:%B %Y}")
