"""Dashboard panels contributed by the apps, listed in settings.DASHBOARD_PANELS."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string


@dataclass
class Panel:
    """One box on the dashboard: a template and its context."""

    template: str
    context: dict = field(default_factory=dict)
    order: int = 50


def panels_for(request: HttpRequest, memberships: list) -> list[Panel]:
    """Collect the panels each app offers for this person."""
    panels: list[Panel] = []
    for path in getattr(settings, "DASHBOARD_PANELS", []):
        panel = import_string(path)(request, memberships)
        if panel is not None:
            panels.append(panel)
    return sorted(panels, key=lambda panel: panel.order)
