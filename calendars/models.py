"""Calendar entries (one per person per seat), their delivery state, feeds and push targets."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Team, User
from rota.crypto import EncryptedTextField

KEEP_CANCELLED = timedelta(days=30)


def new_token() -> str:
    """Return a fresh secret for a feed URL."""
    return secrets.token_urlsafe(24)


class CalendarPreferences(models.Model):
    """A person's feed secret and channel choices, created on demand."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_preferences")
    feed_token = models.CharField(max_length=64, unique=True, default=new_token)
    token_created_at = models.DateTimeField(default=timezone.now)
    feed_read_at = models.DateTimeField(null=True, blank=True)
    email_invites = models.BooleanField(
        "email invitations",
        default=False,
        help_text="Send each shift as a calendar invitation to your notification address.",
    )
    show_as_busy = models.BooleanField(
        default=False, help_text="Mark shifts as busy instead of free, so they block your day."
    )

    class Meta:
        verbose_name_plural = "calendar preferences"

    def __str__(self) -> str:
        return f"Calendar preferences of {self.user}"

    @classmethod
    def for_user(cls, user: User) -> CalendarPreferences:
        """Return the person's preferences, creating them on first use."""
        return cls.objects.get_or_create(user=user)[0]

    def reads_feed(self, now: datetime | None = None) -> bool:
        """Tell whether a calendar app fetched the personal feed in the last two weeks."""
        now = now or timezone.now()
        return self.feed_read_at is not None and self.feed_read_at > now - timedelta(days=14)


class TeamFeed(models.Model):
    """The secret of a team's feed of everyone's shifts, created on demand."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Feed of {self.team}"

    @classmethod
    def for_team(cls, team: Team) -> TeamFeed:
        """Return the team's feed, creating it on first use."""
        return cls.objects.get_or_create(team=team)[0]


class EntryStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED = "cancelled", "Cancelled"


class CalendarEntryQuerySet(models.QuerySet):
    def visible(self, now: datetime | None = None) -> CalendarEntryQuerySet:
        """Entries a feed shows: confirmed ones, and cancelled ones for 30 days."""
        now = now or timezone.now()
        return self.filter(
            Q(status=EntryStatus.CONFIRMED) | Q(cancelled_at__gte=now - KEEP_CANCELLED)
        )

    def in_window(self, start: datetime, end: datetime) -> CalendarEntryQuerySet:
        """Entries whose shift overlaps [start, end)."""
        return self.filter(seat__shift__starts_at__lt=end, seat__shift__ends_at__gt=start)


class CalendarEntry(models.Model):
    """One person's calendar event for one seat; its UID never changes, its SEQUENCE only rises."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="calendar_entries")
    seat = models.ForeignKey(
        "rotas.Seat", on_delete=models.CASCADE, related_name="calendar_entries"
    )
    uid = models.CharField(max_length=255, unique=True)
    sequence = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=EntryStatus.choices, default=EntryStatus.CONFIRMED
    )
    fingerprint = models.CharField(
        max_length=64,
        help_text="Hash of what the event says, to tell a real change from a re-publish.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(
        help_text="When the rota change behind the current version happened."
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarEntryQuerySet.as_manager()

    class Meta:
        ordering = ["seat__shift__starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "seat"], name="one_entry_per_person_seat")
        ]
        indexes = [models.Index(fields=["user", "status"])]
        verbose_name_plural = "calendar entries"

    def __str__(self) -> str:
        return f"{self.uid} #{self.sequence} ({self.status})"

    @property
    def is_cancelled(self) -> bool:
        return self.status == EntryStatus.CANCELLED

    @property
    def resource_name(self) -> str:
        """Return the file name of the event on a CalDAV server."""
        return f"rota-{self.uid.split('@', 1)[0]}.ics"


class Channel(models.TextChoices):
    CALDAV = "caldav", "CalDAV"
    EMAIL = "email", "Email invitation"


class DeliveryQuerySet(models.QuerySet):
    def due(self, now: datetime | None = None) -> DeliveryQuerySet:
        """Pending deliveries whose next attempt time has come."""
        return self.filter(pending=True, next_attempt_at__lte=now or timezone.now())


class Delivery(models.Model):
    """Where one entry stands on one channel: what was sent, and whether a change waits."""

    entry = models.ForeignKey(CalendarEntry, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    wanted_sequence = models.PositiveIntegerField(default=0)
    delivered_sequence = models.PositiveIntegerField(null=True, blank=True)
    pending = models.BooleanField(default=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "channel"], name="one_delivery_per_channel")
        ]
        indexes = [models.Index(fields=["channel", "pending", "next_attempt_at"])]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.entry.uid} via {self.channel}: {'pending' if self.pending else 'delivered'}"


class ProcessedChange(models.Model):
    """The claim that a SeatChange was applied; its uniqueness makes it happen once only."""

    change = models.OneToOneField(
        "rotas.SeatChange", on_delete=models.CASCADE, related_name="calendar_processed"
    )
    processed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"SeatChange {self.change_id} processed"


class PushState(models.TextChoices):
    OK = "ok", "Working"
    BROKEN = "broken", "Needs new credentials"
    REMOVING = "removing", "Removing Rota's events"


class PushTarget(models.Model):
    """The CalDAV calendar a person's shifts are pushed to (one per person)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="push_target")
    server_url = models.URLField(max_length=500)
    username = models.CharField(max_length=200)
    password = EncryptedTextField()
    calendar_url = models.URLField(max_length=1000)
    calendar_name = models.CharField(max_length=200)
    state = models.CharField(max_length=8, choices=PushState.choices, default=PushState.OK)
    created_at = models.DateTimeField(auto_now_add=True)
    last_push_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    broken_notified_at = models.DateTimeField(null=True, blank=True)
    pushing_until = models.DateTimeField(
        null=True, blank=True, help_text="A push holds this claim so two never run at once."
    )

    def __str__(self) -> str:
        return f"{self.user} → {self.calendar_name}"

    @property
    def is_broken(self) -> bool:
        return self.state == PushState.BROKEN

    @property
    def is_removing(self) -> bool:
        return self.state == PushState.REMOVING
