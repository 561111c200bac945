"""Dashboard panels: apps add a panel function to `PANELS` from their AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from accounts import fragments
from accounts.models import Membership
from accounts.requests import AuthedRequest
from rota.parts import Parts


@dataclass
class Panel:
    """One box on the dashboard: a template, its context, and until when it holds."""

    template: str
    context: dict = field(default_factory=dict)
    order: int = 50
    # The moment the panel may read differently with no data changed (a shift starts, a day ends).
    until: datetime | None = None


PanelFunction = Callable[[AuthedRequest, list[Membership]], "Panel | None"]
PANELS: Parts[PanelFunction] = Parts("dashboard panels")


def panels_for(request: AuthedRequest, memberships: list[Membership]) -> list[Panel]:
    """Collect the panels each app offers for this person."""
    panels: list[Panel] = []
    for function in PANELS:
        panel = function(request, memberships)
        if panel is not None:
            panels.append(panel)
    return sorted(panels, key=lambda panel: panel.order)


def rendered_panels(request: AuthedRequest, memberships: list[Membership]) -> dict[str, Any]:
    """Return the panels' HTML and their POST forms' ids, kept until their teams change.

    The cached HTML holds no CSRF token (it belongs to the request): the page writes one token
    input per form outside it, tied to its form by the ``form`` attribute.
    """
    zone = timezone.get_current_timezone_name()
    return fragments.cached(
        f"dashboard:2:{request.user.pk}:{zone}",
        teams=[m.team_id for m in memberships],
        build=lambda: _render(request, memberships),
    )


def _render(request: AuthedRequest, memberships: list[Membership]) -> fragments.Part:
    panels = panels_for(request, memberships)
    html = "".join(
        # No token: {% csrf_token %} writes nothing here, on purpose (see rendered_panels).
        render_to_string(
            panel.template, {"panel": panel.context, "csrf_token": ""}, request=request
        )
        for panel in panels
    )
    return fragments.Part(
        {"html": html, "forms": fragments.post_form_ids(html)},
        until=fragments.earliest(*(p.until for p in panels)),
    )
