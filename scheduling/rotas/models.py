"""Rotation templates, periods, shifts, seats, versions, recommendations and the seat outbox."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Team, User
from accounts.validators import validate_timezone
from rota.text import validate_single_line

ROLES = ("primary", "secondary", "shadow")
ROLE_CHOICES = [(r, r.capitalize()) for r in ROLES]


class RotaSettings(models.Model):
    """A team's rota rules and slot weights, created on demand."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="rota_settings")
    weekend_weight = models.FloatField(default=1.5, help_text="How much a weekend shift counts.")
    holiday_weight = models.FloatField(
        default=2.0, help_text="How much a public-holiday shift counts."
    )
    holiday_country = models.CharField(
        max_length=8,
        blank=True,
        help_text="Country code for public holidays, e.g. GB; blank for none.",
    )
    min_rest_hours = models.FloatField(
        default=12, help_text="Hours off between two of a person's shifts."
    )
    experienced_threshold = models.PositiveIntegerField(
        default=10, help_text="Past shifts after which a person counts as experienced."
    )
    require_experienced = models.BooleanField(
        default=True, help_text="Every fully staffed shift has at least one experienced person."
    )
    max_oncall_percent = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The most of a period's time one person is on call, e.g. 25; blank: no limit.",
    )

    class Meta:
        verbose_name_plural = "rota settings"

    def __str__(self) -> str:
        return f"Rota settings of {self.team}"

    @classmethod
    def for_team(cls, team: Team) -> RotaSettings:
        """Return the team's settings, creating the defaults on first use."""
        return cls.objects.get_or_create(team=team)[0]


class RotationTemplate(models.Model):
    """How a team's shifts are cut: handoff, length, roles and follow-the-sun regions."""

    class Kind(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"
        CUSTOM = "custom", "Custom length"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="rotation_templates")
    name = models.CharField(max_length=120, validators=[validate_single_line])
    active = models.BooleanField(default=True)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.DAILY)
    length_days = models.PositiveSmallIntegerField(
        default=1, help_text="Shift length for custom rotations."
    )
    handoff_time = models.TimeField(
        default="09:00", help_text="Local time (team zone) of the handoff."
    )
    handoff_weekday = models.PositiveSmallIntegerField(
        default=0, help_text="Handoff day of weekly rotations (0 = Monday)."
    )
    roles = models.JSONField(default=list, help_text="Roles per shift: primary, secondary, shadow.")

    class Meta:
        ordering = ["team", "-active", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.roles:
            self.roles = ["primary", "secondary"]
        super().save(*args, **kwargs)


class ShiftPattern(models.Model):
    """One regional shift of a follow-the-sun template, in that region's working hours."""

    template = models.ForeignKey(
        RotationTemplate, on_delete=models.CASCADE, related_name="patterns"
    )
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(
        max_length=60, help_text='Region, e.g. "London".', validators=[validate_single_line]
    )
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    start_time = models.TimeField()
    end_time = models.TimeField(help_text="At or before the start means the next day.")

    class Meta:
        ordering = ["template", "position", "id"]

    def __str__(self) -> str:
        return f"{self.label} {self.start_time:%H:%M}–{self.end_time:%H:%M} ({self.timezone})"

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class PeriodState(models.TextChoices):
    DRAFT = "draft", "Draft"
    COLLECTING = "collecting", "Collecting availability"
    RECOMMENDED = "recommended", "Recommended"
    PUBLISHED = "published", "Published"


class RotaPeriodQuerySet(models.QuerySet):
    def for_team(self, team: Team) -> RotaPeriodQuerySet:
        return self.filter(team=team)


def day_span(first: date, last: date) -> str:
    """Return days as every page writes them: "1 Dec – 31 Dec 2026"."""
    head = f"{first.day} {first:%b}" + (f" {first.year}" if first.year != last.year else "")
    return f"{head} – {last.day} {last:%b %Y}"


class RotaPeriod(models.Model):
    """A team's date range being planned; dates are inclusive, in the team's zone."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="rota_periods")
    template = models.ForeignKey(
        RotationTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="periods"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    state = models.CharField(max_length=12, choices=PeriodState.choices, default=PeriodState.DRAFT)
    version = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RotaPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["team", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="period_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {day_span(self.starts_on, self.ends_on)}"

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def span(self) -> tuple[datetime, datetime]:
        """Return the team-local midnight opening the first day and the one closing the last."""
        tz = self.team.tz
        start = datetime.combine(self.starts_on, time(0), tzinfo=tz)
        return start, datetime.combine(self.ends_on + timedelta(days=1), time(0), tzinfo=tz)


class ShiftQuerySet(models.QuerySet):
    def upcoming(self) -> ShiftQuerySet:
        """Shifts that have not ended yet."""
        return self.filter(ends_at__gt=timezone.now())

    def between(self, start: datetime, end: datetime) -> ShiftQuerySet:
        """Shifts overlapping the half-open window [start, end)."""
        return self.filter(starts_at__lt=end, ends_at__gt=start)

    def for_user(self, user: User) -> ShiftQuerySet:
        """Shifts in which the user holds a published seat."""
        return self.filter(seats__holder=user).distinct()

    def published(self) -> ShiftQuerySet:
        """Shifts of periods published at least once: only those put anyone on call."""
        return self.filter(period__version__gt=0)

    def covering(self, moment: datetime) -> ShiftQuerySet:
        """Shifts running at the moment."""
        return self.filter(starts_at__lte=moment, ends_at__gt=moment)


class Shift(models.Model):
    """One time window of a period, stored in UTC."""

    period = models.ForeignKey(RotaPeriod, on_delete=models.CASCADE, related_name="shifts")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    label = models.CharField(max_length=60, blank=True, validators=[validate_single_line])
    weight = models.FloatField(default=1.0)
    share = models.FloatField(
        default=1.0, help_text="The part of its original shift this is (a partial cover splits it)."
    )

    objects = ShiftQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "label"]
        indexes = [models.Index(fields=["team", "starts_at"]), models.Index(fields=["ends_at"])]

    def __str__(self) -> str:
        start = self.starts_at.astimezone(self.team.tz)
        where = f" {self.label}" if self.label else ""
        return f"{self.team} {start:%a} {start.day} {start:%b %Y %H:%M}{where}"

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class SeatQuerySet(models.QuerySet):
    def published(self) -> SeatQuerySet:
        """Seats of periods published at least once (holders, never draft proposals)."""
        return self.filter(shift__period__version__gt=0)

    def completed(self) -> SeatQuerySet:
        """Seats whose shift has ended (the holder's experience)."""
        return self.filter(shift__ends_at__lte=timezone.now(), holder__isnull=False)


class Seat(models.Model):
    """One role in one shift; the thing a person holds (a slot in rota-problem/1)."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="seats")
    role = models.CharField(max_length=10, choices=ROLE_CHOICES)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="held_seats",
    )
    proposed_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_seats",
    )
    locked = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped by every manager edit: an edit made from an older page is told it changed meanwhile.
    version = models.PositiveIntegerField(default=0)
    # Not a column: the period calendar (rotas/calendar.py) sets the proposed holder it already
    # loaded with the team's members, so its templates name people without a query per seat.
    draft_user: User | None

    objects = SeatQuerySet.as_manager()

    class Meta:
        ordering = ["shift__starts_at", "shift__label", "role"]
        constraints = [models.UniqueConstraint(fields=["shift", "role"], name="one_seat_per_role")]

    def __str__(self) -> str:
        return f"{self.shift} {self.role}"


class RotaVersion(models.Model):
    """A frozen, published state of a period: who held each seat."""

    period = models.ForeignKey(RotaPeriod, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)
    snapshot = models.JSONField(default=dict, help_text="Seat id → holder id (or null).")

    class Meta:
        ordering = ["period", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="one_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.period} v{self.number}"


class Recommendation(models.Model):
    """One run of the engine for a period, and its result."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    period = models.ForeignKey(RotaPeriod, on_delete=models.CASCADE, related_name="recommendations")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    solution = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Recommendation {self.pk} for {self.period} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class SeatChange(models.Model):
    """Outbox: a seat's published holder changed; calendars and emails follow from it."""

    class Reason(models.TextChoices):
        PUBLISH = "publish", "Published"
        EDIT = "edit", "Edited after publishing"
        COVER = "cover", "Cover agreed"

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="changes")
    old_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    new_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=8, choices=Reason.choices)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        change = f"{self.old_holder_id} → {self.new_holder_id}"
        return f"{self.seat}: {change} (v{self.version}, {self.reason})"
