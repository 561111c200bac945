"""Cover requests ("I can't make it"), the questions asked to candidates, and direct swaps."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Team
from scheduling.rotas.models import Seat


class Mode(models.TextChoices):
    RANKED = "ranked", "Ranked: one at a time, best first"
    BROADCAST = "broadcast", "Broadcast: the top few at once"


class CoverSettings(models.Model):
    """How a team looks for cover; created on demand."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="cover_settings")
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.RANKED)
    wait_hours = models.FloatField(
        "wait for an answer (hours)",
        default=4,
        help_text="Ranked: hours to wait for an answer before asking the next person.",
    )
    broadcast_k = models.PositiveSmallIntegerField(
        "people asked at once", default=3, help_text="Broadcast: how many people are asked at once."
    )
    escalate_hours_before = models.FloatField(
        "tell the manager (hours before the shift)",
        default=24,
        help_text="Tell the manager when nobody agreed this many hours before the shift.",
    )
    urgent_within_hours = models.FloatField(
        "urgent within (hours)",
        default=12,
        help_text="A request for a shift starting this soon goes to the manager at once.",
    )

    class Meta:
        verbose_name_plural = "cover settings"

    def __str__(self) -> str:
        return f"Cover settings of {self.team}"

    @classmethod
    def for_team(cls, team: Team) -> CoverSettings:
        """Return the team's settings, creating the defaults on first use."""
        return cls.objects.get_or_create(team=team)[0]


class State(models.TextChoices):
    OPEN = "open", "Looking for cover"
    COVERED = "covered", "Covered"
    ESCALATED = "escalated", "Needs the manager"
    WITHDRAWN = "withdrawn", "Withdrawn"
    UNDONE = "undone", "Undone"


# An escalated request still takes an agree: escalation only tells the manager.
ACTIVE = (State.OPEN, State.ESCALATED)


class CoverRequestQuerySet(models.QuerySet):
    def active(self) -> CoverRequestQuerySet:
        """Requests still looking for cover."""
        return self.filter(state__in=ACTIVE)

    def for_team(self, team: Team) -> CoverRequestQuerySet:
        return self.filter(team=team)

    def takeable_by(self, user, now: datetime | None = None) -> CoverRequestQuerySet:
        """Active requests the person was ranked for and that have not ended: they may take them."""
        return (
            self.active()
            .filter(asks__candidate=user, ends_at__gt=now or timezone.now())
            .exclude(requested_by=user)
            .distinct()
        )

    def urgent(self, now: datetime | None = None) -> CoverRequestQuerySet:
        """Escalated requests whose window has not ended: the manager must act."""
        return self.filter(state=State.ESCALATED, ends_at__gt=now or timezone.now())


class CoverRequest(models.Model):
    """Someone cannot make (part of) a seat; Rota looks for a colleague to take it."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="cover_requests")
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="cover_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cover_requests"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The manager who opened it on the person's behalf.",
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # Stored: after a split the seat's shift may be exactly the window, yet it was only a part.
    partial = models.BooleanField(default=False)
    reason = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    covered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The seat that moved to covered_by: the request's seat, or the middle part after a split.
    covered_seat = models.ForeignKey(
        Seat, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    escalate_at = models.DateTimeField(help_text="When the manager is told if nobody agreed.")
    escalated_at = models.DateTimeField(null=True, blank=True)
    unavailable_entries = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = CoverRequestQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["team", "state"]),
            models.Index(fields=["state", "escalate_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="cover_window_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Cover for {self.seat} ({self.state})"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE

    @property
    def is_partial(self) -> bool:
        return self.partial

    @property
    def is_urgent(self) -> bool:
        """Tell whether the manager must act (the sweep escalates close or stuck requests)."""
        return self.state == State.ESCALATED and self.ends_at > timezone.now()


class AskState(models.TextChoices):
    PENDING = "pending", "Not asked yet"
    ASKED = "asked", "Asked"
    AGREED = "agreed", "Agreed"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "No answer"
    SUPERSEDED = "superseded", "No longer needed"


class AskQuerySet(models.QuerySet):
    def waiting(self) -> AskQuerySet:
        """Questions sent and not answered, on requests still looking for cover."""
        return self.filter(state=AskState.ASKED, request__state__in=ACTIVE)


class Ask(models.Model):
    """One candidate for one cover request: their rank, and the question and answer."""

    request = models.ForeignKey(CoverRequest, on_delete=models.CASCADE, related_name="asks")
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cover_asks"
    )
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=10, choices=AskState.choices, default=AskState.PENDING)
    asked_at = models.DateTimeField(null=True, blank=True)
    wait_until = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = AskQuerySet.as_manager()

    class Meta:
        ordering = ["request", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["request", "candidate"], name="one_ask_per_candidate"),
        ]

    def __str__(self) -> str:
        return f"Ask {self.candidate_id} #{self.rank} for request {self.request_id} ({self.state})"

    @property
    def decision(self) -> str:
        """Return the signed-link decision key shared by this ask's agree and decline links."""
        return f"ask:{self.pk}"


class SwapState(models.TextChoices):
    OPEN = "open", "Waiting for an answer"
    ACCEPTED = "accepted", "Swapped"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class SwapOffer(models.Model):
    """My seat in exchange for one of a colleague's; they agree or decline."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="swap_offers")
    from_seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="+")
    to_seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="+")
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    offered_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=10, choices=SwapState.choices, default=SwapState.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Swap {self.from_seat_id} ↔ {self.to_seat_id} ({self.state})"

    @property
    def decision(self) -> str:
        return f"swap:{self.pk}"
