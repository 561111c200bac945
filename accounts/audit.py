"""Write audit entries from services."""

from __future__ import annotations

from typing import Any

from django.db import models

from accounts import stamps
from accounts.models import AuditEntry, Team, User


def record(
    *,
    action: str,
    summary: str,
    actor: User | None = None,
    team: Team | None = None,
    target: models.Model | None = None,
    **data: Any,
) -> AuditEntry:
    """Record that actor did action to target, and renew the team's stamp (its pages changed)."""
    if team is not None:
        stamps.touch(teams=[team.pk])
    return AuditEntry.objects.create(
        team=team,
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:300],
        data=data,
    )
