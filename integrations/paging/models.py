"""Paging tools that follow the rota: schedule links, their overrides, call log and ICS feeds."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Team
from rota.crypto import EncryptedTextField
from scheduling.rotas.models import ROLE_CHOICES, Seat


class Provider(models.TextChoices):
    PAGERDUTY = "pagerduty", "PagerDuty"
    OPSGENIE = "opsgenie", "Opsgenie"


class ScheduleLink(models.Model):
    """A team role mapped to a schedule in a paging tool; published seats become overrides."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="schedule_links")
    provider = models.CharField(max_length=10, choices=Provider.choices)
    role = models.CharField(max_length=10, choices=ROLE_CHOICES, default="primary")
    schedule_id = models.CharField(max_length=100, help_text="The schedule's id in the tool.")
    api_key = EncryptedTextField(help_text="REST API key (PagerDuty) or API key (Opsgenie).")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    # Not a column: the Integrations page's latest calls, set by presenters.paging_section.
    recent_calls: list[CallLog]

    class Meta:
        ordering = ["team", "provider", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "provider", "role"], name="one_schedule_link_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} {self.schedule_id} ← {self.team} {self.role}"


class OverrideState(models.TextChoices):
    PENDING = "pending", "Pending"
    SYNCED = "synced", "In the paging tool"


class OverrideQuerySet(models.QuerySet):
    def due(self, now: datetime) -> OverrideQuerySet:
        return self.filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
            state=OverrideState.PENDING,
            next_attempt_at__lte=now,
        )


class Override(models.Model):
    """One seat as an override in the tool: what is wanted, and what the tool holds."""

    link = models.ForeignKey(ScheduleLink, on_delete=models.CASCADE, related_name="overrides")
    seat = models.ForeignKey(Seat, on_delete=models.SET_NULL, null=True, related_name="+")
    seat_key = models.BigIntegerField(help_text="The seat's id, kept when the seat is deleted.")
    email = models.EmailField(blank=True, help_text="Wanted holder; blank: no override wanted.")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    remote_id = models.CharField(max_length=100, blank=True)
    synced_email = models.EmailField(blank=True)
    synced_starts_at = models.DateTimeField(null=True, blank=True)
    synced_ends_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(
        max_length=8, choices=OverrideState.choices, default=OverrideState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = OverrideQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["link", "seat_key"], name="one_override_per_seat")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.link} seat {self.seat_key}: {self.email or '(none)'} ({self.state})"

    @property
    def in_sync(self) -> bool:
        """Tell whether the tool holds exactly what is wanted."""
        if not self.email:
            return not self.remote_id
        return bool(self.remote_id) and (
            self.synced_email,
            self.synced_starts_at,
            self.synced_ends_at,
        ) == (
            self.email,
            self.starts_at,
            self.ends_at,
        )


class CallLog(models.Model):
    """One call to a paging tool, for the Integrations page."""

    link = models.ForeignKey(ScheduleLink, on_delete=models.CASCADE, related_name="calls")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=60)
    ok = models.BooleanField(default=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {'ok' if self.ok else 'failed'}"


class PagingFeed(models.Model):
    """A secret ICS address per team role whose events name the on-call person's email."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="paging_feeds")
    role = models.CharField(max_length=10, choices=ROLE_CHOICES)
    token = EncryptedTextField(help_text="Kept so managers can copy the address again.")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["team", "role"]
        constraints = [
            models.UniqueConstraint(fields=["team", "role"], name="one_paging_feed_per_role")
        ]

    def __str__(self) -> str:
        return f"Paging feed {self.team} {self.role}"
