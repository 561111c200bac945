"""Availability entries, calendar connections and their busy blocks, deadlines and confirmations."""

from __future__ import annotations

from datetime import date, datetime, time

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Team
from rota.crypto import EncryptedTextField
from rota.text import validate_single_line


class Kind(models.TextChoices):
    PREFERRED = "preferred", "Preferred"
    AVAILABLE = "available", "Available"
    UNAVAILABLE = "unavailable", "Unavailable"


class UnmarkedMeans(models.TextChoices):
    AVAILABLE = "available", "Available unless marked"
    UNKNOWN = "unknown", "Unknown until marked"


class AvailabilitySettings(models.Model):
    """A team's availability rules; created on demand."""

    team = models.OneToOneField(
        Team, on_delete=models.CASCADE, related_name="availability_settings"
    )
    unmarked_means = models.CharField(
        "an unmarked day means",
        max_length=16,
        choices=UnmarkedMeans.choices,
        default=UnmarkedMeans.AVAILABLE,
    )

    class Meta:
        verbose_name_plural = "availability settings"

    def __str__(self) -> str:
        return f"Availability settings of {self.team}"


class EntryQuerySet(models.QuerySet):
    def whole_days(self) -> EntryQuerySet:
        return self.filter(start_time__isnull=True)

    def time_ranges(self) -> EntryQuerySet:
        return self.filter(start_time__isnull=False)

    def between(self, first: date, last: date) -> EntryQuerySet:
        return self.filter(day__gte=first, day__lte=last)


class AvailabilityEntry(models.Model):
    """One person's mark on one local day: the whole day, or from start_time to end_time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability_entries"
    )
    day = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    # An end of 00:00 means midnight at the end of the day.
    end_time = models.TimeField(null=True, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    note = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["user", "day", "start_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "day"],
                condition=Q(start_time__isnull=True),
                name="one_whole_day_entry_per_day",
            ),
            models.CheckConstraint(
                condition=(Q(start_time__isnull=True) & Q(end_time__isnull=True))
                | (Q(start_time__isnull=False) & Q(end_time__isnull=False)),
                name="entry_times_both_or_neither",
            ),
        ]
        indexes = [models.Index(fields=["user", "day"])]
        verbose_name_plural = "availability entries"

    def __str__(self) -> str:
        return f"{self.user} {self.kind} on {self.day}{self.range_label}"

    @property
    def is_whole_day(self) -> bool:
        return self.start_time is None

    @property
    def range_label(self) -> str:
        if self.start_time is None or self.end_time is None:
            return ""
        end = "24:00" if self.end_time == time(0) else f"{self.end_time:%H:%M}"
        return f" {self.start_time:%H:%M}–{end}"


class ConnectionKind(models.TextChoices):
    ICS = "ics", "ICS address"
    CALDAV = "caldav", "CalDAV account"


class ConnectionQuerySet(models.QuerySet):
    def syncable(self) -> ConnectionQuerySet:
        """Connections ready to import (a CalDAV account needs its calendar picked)."""
        return self.exclude(kind=ConnectionKind.CALDAV, calendar_url="")

    def working(self) -> ConnectionQuerySet:
        return self.filter(last_success_at__isnull=False)


class CalendarConnection(models.Model):
    """A person's calendar Rota reads busy times from; secrets are encrypted at rest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_connections"
    )
    kind = models.CharField(max_length=8, choices=ConnectionKind.choices)
    name = models.CharField(max_length=120, validators=[validate_single_line])
    # ICS: the secret address itself is a credential (Google's "secret address in iCal format").
    ics_url = EncryptedTextField(blank=True)
    # What we may show of the address or server: scheme and host only.
    display_host = models.CharField(max_length=255, blank=True)
    server_url = models.URLField(max_length=500, blank=True)
    username = models.CharField(max_length=200, blank=True)
    password = EncryptedTextField(blank=True)
    calendar_url = models.URLField(max_length=1000, blank=True)
    calendar_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    blocks_imported = models.PositiveIntegerField(default=0)

    objects = ConnectionQuerySet.as_manager()

    class Meta:
        ordering = ["user", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()}) of {self.user}"

    @property
    def needs_calendar(self) -> bool:
        return self.kind == ConnectionKind.CALDAV and not self.calendar_url

    @property
    def is_failing(self) -> bool:
        return self.consecutive_failures > 0


class BusyBlockQuerySet(models.QuerySet):
    def overlapping(self, start: datetime, end: datetime) -> BusyBlockQuerySet:
        return self.filter(start__lt=end, end__gt=start)

    def counted(self) -> BusyBlockQuerySet:
        """Blocks that make the person unavailable (not overridden by them)."""
        return self.filter(overridden=False)


class BusyBlock(models.Model):
    """A busy time read from a person's calendar, in UTC; the title is shown to its owner only."""

    connection = models.ForeignKey(
        CalendarConnection, on_delete=models.CASCADE, related_name="blocks"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="busy_blocks"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    all_day = models.BooleanField(default=False)
    summary = models.CharField(max_length=200, blank=True)
    # UID and occurrence start: keeps the owner's override across re-imports.
    event_key = models.CharField(max_length=400)
    overridden = models.BooleanField(default=False)

    objects = BusyBlockQuerySet.as_manager()

    class Meta:
        ordering = ["start", "end", "id"]
        indexes = [models.Index(fields=["user", "start"])]

    def __str__(self) -> str:
        return f"busy {self.start:%Y-%m-%d %H:%M}–{self.end:%Y-%m-%d %H:%M} ({self.user})"


class AvailabilityDeadline(models.Model):
    """ "Availability for <month> due by <date>", set by a manager."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="availability_deadlines")
    month = models.DateField(help_text="The first day of the month.")
    due_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    last_reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["team", "month"]
        constraints = [
            models.UniqueConstraint(fields=["team", "month"], name="one_deadline_per_team_month")
        ]

    def __str__(self) -> str:
        return f"{self.team}: availability for {self.month:%B %Y} due by {self.due_on}"


class MonthConfirmation(models.Model):
    """A person's "I'm done for <month>"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="availability_confirmations",
    )
    month = models.DateField(help_text="The first day of the month.")
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "month"]
        constraints = [
            models.UniqueConstraint(fields=["user", "month"], name="one_confirmation_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.user} done for {self.month:%B %Y}"
