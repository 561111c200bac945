"""Outbound webhook endpoints, the events they are sent, and one delivery per (endpoint, event)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Team
from rota.crypto import EncryptedTextField

EVENT_TYPES = (
    ("oncall.changed", "On-call changed (at every handoff)"),
    ("rota.published", "Rota published"),
    ("seat.changed", "Seat changed"),
    ("cover.requested", "Cover requested"),
    ("cover.resolved", "Cover request resolved"),
)
EVENT_NAMES = tuple(name for name, _ in EVENT_TYPES)


class EndpointQuerySet(models.QuerySet):
    def active(self) -> EndpointQuerySet:
        return self.filter(disabled_at__isnull=True)

    def subscribed(self, team_id: int, event: str) -> list[Endpoint]:
        """Active endpoints of the team that chose this event (a few per team: filtered here)."""
        return [e for e in self.active().filter(team_id=team_id) if event in e.events]


class Endpoint(models.Model):
    """A URL of a team's that receives signed events it chose."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=120, blank=True)
    events = models.JSONField(default=list)
    secret = EncryptedTextField(help_text="whsec_… signing secret (Standard Webhooks).")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)

    objects = EndpointQuerySet.as_manager()

    class Meta:
        ordering = ["team", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.url} ({self.team})"

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None


class Event(models.Model):
    """Outbox of webhook events: one row per (type, source row), created once."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="webhook_events")
    type = models.CharField(max_length=30)
    source_id = models.BigIntegerField(
        null=True,
        blank=True,
        help_text="The row that caused it (change, handoff …); none for a test.",
    )
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["type", "source_id"], name="one_webhook_event")
        ]

    def __str__(self) -> str:
        return f"{self.type} #{self.source_id}"

    @property
    def message_id(self) -> str:
        """The webhook-id header: the same for every attempt, so receivers can drop repeats."""
        return f"msg_rota_{self.pk}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"


class DeliveryQuerySet(models.QuerySet):
    def due(self, now: datetime) -> DeliveryQuerySet:
        """Pending deliveries whose back-off ended, not claimed, to an active endpoint."""
        return self.filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
            state=DeliveryState.PENDING,
            next_attempt_at__lte=now,
            endpoint__disabled_at__isnull=True,
        )


class Delivery(models.Model):
    """One event to one endpoint: pending until a 2xx answer, then delivered (once)."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    test = models.BooleanField(default=False)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="one_delivery_per_event")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.state})"
