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
