"""Slack: a team's installation, people linked by email, role user groups, and the call outbox."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Team
from rota.crypto import EncryptedTextField


class Installation(models.Model):
    """The Slack app installed for one Rota team (several teams may share a workspace)."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="slack")
    workspace_id = models.CharField(max_length=32, db_index=True)
    workspace_name = models.CharField(max_length=200, blank=True)
    bot_user_id = models.CharField(max_length=32, blank=True)
    bot_token = EncryptedTextField(help_text="xoxb-… token, encrypted at rest.")
    scopes = models.CharField(max_length=1000, blank=True)
    installed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    installed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Slack {self.workspace_name or self.workspace_id} for {self.team}"


class SlackUser(models.Model):
    """A Rota person's Slack account in one workspace, found by email (users.lookupByEmail)."""

    workspace_id = models.CharField(max_length=32)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Empty when the lookup found nobody with that email; looked up again after a day.
    slack_user_id = models.CharField(max_length=32, blank=True)
    looked_up_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace_id", "user"], name="one_slack_user_per_person"
            )
        ]
        indexes = [models.Index(fields=["workspace_id", "slack_user_id"])]

    def __str__(self) -> str:
        return f"{self.user_id} = {self.slack_user_id or '?'} in {self.workspace_id}"


class UserGroup(models.Model):
    """The Slack user group that holds whoever is on call now in one team role."""

    installation = models.ForeignKey(Installation, on_delete=models.CASCADE, related_name="groups")
    role = models.CharField(max_length=16)
    usergroup_id = models.CharField(max_length=32, blank=True)
    handle = models.CharField(max_length=80)
    # The Slack user ids last queued for the group: an unchanged set is never sent again.
    members = models.JSONField(default=list, blank=True)
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["installation", "role"], name="one_group_per_role")
        ]

    def __str__(self) -> str:
        return f"@{self.handle}"


class CallState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Delivered"
    FAILED = "failed", "Failed (not retried)"
    SKIPPED = "skipped", "Not needed"


class CallQuerySet(models.QuerySet):
    def due(self, now: datetime | None = None) -> CallQuerySet:
        """Pending calls whose next attempt has come, and sends whose lease ran out."""
        now = now or timezone.now()
        return self.filter(
            models.Q(state=CallState.PENDING) | models.Q(state=CallState.SENDING),
            next_attempt_at__lte=now,
        )

    def open(self) -> CallQuerySet:
        return self.filter(state__in=(CallState.PENDING, CallState.SENDING))


class Call(models.Model):
    """Outbox: one Slack Web API call (or response_url post) Rota owes; sent once, retried."""

    installation = models.ForeignKey(Installation, on_delete=models.CASCADE, related_name="calls")
    # What the call is for, unique per installation, so the same message is never queued twice.
    key = models.CharField(max_length=120)
    method = models.CharField(max_length=40, help_text="e.g. chat.postMessage, or response_url.")
    args = models.JSONField(default=dict)
    # A DM to a Rota person: their Slack id is looked up by email when the call is sent.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    url = models.URLField(max_length=500, blank=True, help_text="response_url calls only.")
    # Another call whose answer (channel, ts) this one needs, e.g. chat.update of a DM.
    after = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True)
    state = models.CharField(max_length=8, choices=CallState.choices, default=CallState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=300, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["installation", "key"], name="one_call_per_key")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.method} {self.key} ({self.state})"

    @property
    def purpose(self) -> str:
        """Return what the call is for, as a manager reads it."""
        kind = self.key.split(":", 1)[0]
        if kind in ("ask", "swap") and self.key.endswith(":closed"):
            return "Answer shown" if self.method == "response_url" else "Question closed"
        return PURPOSES.get(kind, self.method)

    @property
    def short_state(self) -> str:
        return SHORT_STATES[self.state]


PURPOSES = {
    "ask": "Cover ask",
    "swap": "Swap offer",
    "request": "Cover outcome",
    "handoff": "Handoff reminder",
    "group": "On-call group",
    "test": "Test message",
    "inbound": "/oncall answer",
    "press": "Answer shown",
}
SHORT_STATES: dict[str, str] = {
    CallState.PENDING: "waiting",
    CallState.SENDING: "sending",
    CallState.SENT: "sent",
    CallState.FAILED: "failed",
    CallState.SKIPPED: "not needed",
}


class Inbound(models.Model):
    """A verified slash command or button press, kept until a worker has handled it."""

    class Kind(models.TextChoices):
        COMMAND = "command", "Slash command"
        ACTION = "action", "Button"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    workspace_id = models.CharField(max_length=32)
    slack_user_id = models.CharField(max_length=32)
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True, help_text="What came of it.")

    class Meta:
        ordering = ["received_at", "id"]
        indexes = [models.Index(fields=["handled_at", "received_at"])]

    def __str__(self) -> str:
        return f"{self.kind} from {self.slack_user_id} ({self.received_at:%Y-%m-%d %H:%M})"
