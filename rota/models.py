"""Project-wide records that belong to no single domain app."""

from django.db import models


class UsedLink(models.Model):
    """A decision taken through a signed link; its key can be used only once."""

    decision = models.CharField(max_length=200, unique=True)
    user_id = models.BigIntegerField()
    action = models.CharField(max_length=40)
    used_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.action} by {self.user_id} ({self.decision})"


class OutboundEmail(models.Model):
    """One email Rota sends, written before it is sent: delivered once, retried, never dropped.

    The key names the message (e.g. ``rota-published:<version>:<user>``): writing the same key
    again is a no-op, so a retried job never sends twice. A worker claims a row by moving it to
    SENDING with ``claimed_until``; a claim that outlives it (a killed worker) is taken again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Gave up"

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=60, db_index=True)
    to = models.JSONField(default=list)
    subject = models.CharField(max_length=500)
    body = models.TextField()
    from_email = models.CharField(max_length=300, blank=True)
    # [[content, mimetype], …] and extra headers; enough for every message Rota builds.
    alternatives = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)} ({self.status})"
