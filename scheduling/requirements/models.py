"""Requirements for going on duty, and people's completions of them."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from accounts.models import Team
from rota.text import validate_single_line
from scheduling.requirements.automatic import get_check


class Kind(models.TextChoices):
    ATTESTATION = "attestation", "Attestation (the engineer confirms it)"
    APPROVAL = "approval", "Approval (a manager or approver grants it)"
    EVIDENCE = "evidence", "Evidence (a file or link a manager verifies)"
    AUTOMATIC = "automatic", "Automatic (Rota checks it)"


class AppliesTo(models.TextChoices):
    BOTH = "both", "Primary and secondary"
    PRIMARY = "primary", "Primary only"
    SECONDARY = "secondary", "Secondary only"


class RequirementQuerySet(models.QuerySet):
    def active(self) -> RequirementQuerySet:
        return self.filter(archived_at__isnull=True)

    def for_team(self, team: Team) -> RequirementQuerySet:
        return self.filter(team=team).active().select_related("approver")


class Requirement(models.Model):
    """Something a person must have to hold a role in a team."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="requirements")
    title = models.CharField(max_length=120, validators=[validate_single_line])
    description = models.TextField(blank=True)
    instructions = models.TextField("how to obtain it", blank=True)
    link = models.URLField("link", blank=True, help_text="Where to read or obtain it.")
    applies_to = models.CharField(max_length=16, choices=AppliesTo.choices, default=AppliesTo.BOTH)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ATTESTATION)
    validity_days = models.PositiveIntegerField(
        "valid for (days)", null=True, blank=True, help_text="Leave empty if it never expires."
    )
    check_key = models.CharField("automatic check", max_length=64, blank=True)
    params = models.JSONField(default=dict, blank=True)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who approves or verifies, besides the managers.",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = RequirementQuerySet.as_manager()

    class Meta:
        ordering = ["team", "title", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def roles(self) -> frozenset[str]:
        """Return the roles this requirement applies to."""
        if self.applies_to == AppliesTo.BOTH:
            return frozenset({"primary", "secondary"})
        return frozenset({self.applies_to})

    @property
    def automatic(self):
        """Return the registered automatic check, or None when it is not available."""
        return get_check(self.check_key) if self.kind == Kind.AUTOMATIC else None

    @property
    def check_label(self) -> str:
        """Describe the automatic check with its parameters filled in."""
        check = self.automatic
        if check is None:
            return f"{self.check_key or 'Automatic check'} (not available)"
        count = (self.params or {}).get("count")
        return check.label.replace(" N ", f" {count} ") if count else check.label

    @property
    def check_url(self) -> str:
        """Return where the engineer can fix an unmet automatic check, if anywhere."""
        check = self.automatic
        if check is None or not check.url_name:
            return ""
        try:
            return reverse(check.url_name)
        except NoReverseMatch:
            return ""

    def valid_until_for(self, valid_from: date) -> date | None:
        """Return the first day a completion made on valid_from no longer counts."""
        return (
            None if self.validity_days is None else valid_from + timedelta(days=self.validity_days)
        )


class Status(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


def counts_on(status: str, valid_from: date | None, valid_until: date | None, day: date) -> bool:
    """Tell whether an accepted completion with this validity makes its requirement met that day."""
    return (
        status == Status.ACCEPTED
        and valid_from is not None
        and valid_from <= day
        and (valid_until is None or day < valid_until)
    )


class CompletionQuerySet(models.QuerySet):
    def accepted(self) -> CompletionQuerySet:
        return self.filter(status=Status.ACCEPTED)

    def pending(self) -> CompletionQuerySet:
        return self.filter(status=Status.PENDING)

    def current(self) -> CompletionQuerySet:
        """Keep completions of each requirement's current version only."""
        return self.filter(version=models.F("requirement__version"))


def evidence_path(completion: Completion, filename: str) -> str:
    """Store evidence under a per-team folder with a random name (MEDIA_ROOT is private)."""
    suffix = PurePath(filename).suffix.lower()
    return f"evidence/{completion.requirement.team_id}/{secrets.token_hex(16)}{suffix}"


class Completion(models.Model):
    """A person's attestation, request or evidence for one version of a requirement."""

    requirement = models.ForeignKey(
        Requirement, on_delete=models.CASCADE, related_name="completions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="requirement_completions"
    )
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)
    evidence_file = models.FileField(upload_to=evidence_path, blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_link = models.URLField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(blank=True)
    # Dates in the team's zone: the completion counts on days valid_from <= day < valid_until.
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    expiry_warned_at = models.DateTimeField(null=True, blank=True)
    lapse_reported_at = models.DateTimeField(null=True, blank=True)

    objects = CompletionQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # A double submit must not open two requests for the same thing.
            models.UniqueConstraint(
                fields=["requirement", "user"],
                condition=Q(status="pending"),
                name="one_open_request_per_user_requirement",
            ),
        ]
        indexes = [models.Index(fields=["status", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.requirement} v{self.version} ({self.status})"

    def counts_on(self, day: date) -> bool:
        """Tell whether this accepted completion makes the requirement met on that day."""
        return counts_on(self.status, self.valid_from, self.valid_until, day)
