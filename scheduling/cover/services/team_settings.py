"""How a team looks for cover: its settings, changed by a manager."""

from __future__ import annotations

from accounts import audit
from accounts.models import User
from scheduling.cover.models import CoverSettings


def update_settings(*, settings: CoverSettings, values: dict, by: User) -> CoverSettings:
    """Save a team's cover settings."""
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    audit.record(
        action="cover.settings_changed",
        summary=f"{by.name} changed how {settings.team.name} looks for cover "
        f"({settings.get_mode_display()})",
        actor=by,
        team=settings.team,
        target=settings,
        **values,
    )
    return settings
