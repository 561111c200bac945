"""Pay rules with effective dates, their rates by role, and months sent to payroll."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import TypedDict

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from accounts.models import Team
from scheduling.rotas.models import ROLE_CHOICES


class _DecimalOptions(TypedDict):
    max_digits: int
    decimal_places: int
    validators: list[MinValueValidator]


MULTIPLIER: _DecimalOptions = {
    "max_digits": 4,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal(0))],
}


class PayPolicyQuerySet(models.QuerySet):
    def for_team(self, team: Team) -> PayPolicyQuerySet:
        return self.filter(team=team).prefetch_related("rates").order_by("effective_from")


class PayPolicy(models.Model):
    """A team's pay rules from a date on (team zone) until the next policy starts."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="pay_policies")
    effective_from = models.DateField(
        help_text="The first day these rules apply, in the team's zone."
    )
    currency = models.CharField(max_length=3, default="GBP", help_text="Three letters, e.g. GBP.")
    weekend_multiplier = models.DecimalField(default=Decimal("1.5"), **MULTIPLIER)
    holiday_multiplier = models.DecimalField(default=Decimal("2.0"), **MULTIPLIER)
    night_multiplier = models.DecimalField(default=Decimal("1.25"), **MULTIPLIER)
    night_starts = models.TimeField(default=time(22, 0), help_text="In each person's own zone.")
    night_ends = models.TimeField(default=time(7, 0), help_text="In each person's own zone.")
    monthly_cap = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="The most one person is paid for a month; blank for no cap.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PayPolicyQuerySet.as_manager()

    class Meta:
        ordering = ["team", "effective_from"]
        verbose_name_plural = "pay policies"
        constraints = [
            models.UniqueConstraint(fields=["team", "effective_from"], name="one_policy_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.team} pay from {self.effective_from:%d %b %Y}"


class PayRate(models.Model):
    """What one role is paid under a policy: per hour on call or per shift."""

    class Unit(models.TextChoices):
        HOUR = "hour", "per hour"
        SHIFT = "shift", "per shift"

    policy = models.ForeignKey(PayPolicy, on_delete=models.CASCADE, related_name="rates")
    role = models.CharField(max_length=10, choices=ROLE_CHOICES)
    unit = models.CharField(max_length=5, choices=Unit.choices, default=Unit.HOUR)
    amount = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        ordering = ["policy", "role"]
        constraints = [models.UniqueConstraint(fields=["policy", "role"], name="one_rate_per_role")]

    def __str__(self) -> str:
        return f"{self.role} {self.amount} {self.get_unit_display()}"


class PayMonth(models.Model):
    """A month sent to payroll: its lines are frozen; later changes become adjustments."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="pay_months")
    month = models.DateField(help_text="The first day of the month.")
    locked_at = models.DateTimeField()
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    lines = models.JSONField(default=list, help_text="The month's own pay lines when locked.")
    adjustments = models.JSONField(
        default=dict, help_text="Month (YYYY-MM) → corrections to it paid with this month."
    )

    class Meta:
        ordering = ["team", "month"]
        constraints = [models.UniqueConstraint(fields=["team", "month"], name="one_lock_per_month")]

    def __str__(self) -> str:
        return f"{self.team} pay {self.month:%Y-%m} (sent to payroll)"
