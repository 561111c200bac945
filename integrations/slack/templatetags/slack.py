"""{% slack_status team as slack %}: what the Slack section of a team's Integrations page shows."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count

from accounts.models import Team
from integrations.slack import install
from integrations.slack.models import Call, CallState, Installation

register = template.Library()
RECENT = 10


@register.simple_tag
def slack_status(team: Team) -> dict[str, Any]:
    """Return the installation, counts of waiting and failed calls, and the recent calls."""
    installation = Installation.objects.filter(team=team).first()
    status: dict[str, Any] = {"configured": install.is_configured(), "installation": installation}
    if installation is None:
        return status
    counts = dict(
        Call.objects.filter(installation=installation)
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    status.update(
        pending=counts.get(CallState.PENDING, 0) + counts.get(CallState.SENDING, 0),
        failed=counts.get(CallState.FAILED, 0),
        recent=list(
            Call.objects.filter(installation=installation).select_related("recipient")[:RECENT]
        ),
        problems=list(
            Call.objects.filter(installation=installation)
            .exclude(last_error="")
            .exclude(state=CallState.SENT)
            .select_related("recipient")[:RECENT]
        ),
        groups=list(installation.groups.order_by("role")),
    )
    return status
