"""What the Integrations page shows of a team's webhooks, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from accounts.models import Team
from integrations.webhooks.models import EVENT_TYPES, Delivery, DeliveryState, Endpoint

RECENT = 10


@dataclass
class EndpointRow:
    endpoint: Endpoint
    pending: int
    recent: list[Delivery] = field(default_factory=list)


def webhook_section(team: Team) -> dict:
    """Return the endpoints with their pending counts and recent deliveries."""
    endpoints = list(
        Endpoint.objects.filter(team=team).annotate(
            pending=Count("deliveries", filter=Q(deliveries__state=DeliveryState.PENDING))
        )
    )
    recent = list(
        Delivery.objects.filter(endpoint__team=team)
        .select_related("event")
        .order_by("-created_at", "-id")[: RECENT * max(1, len(endpoints))]
    )
    rows = []
    for endpoint in endpoints:
        mine = [d for d in recent if d.endpoint_id == endpoint.pk][:RECENT]
        rows.append(EndpointRow(endpoint=endpoint, pending=endpoint.pending, recent=mine))
    return {
        "rows": rows,
        "event_types": EVENT_TYPES,
        "pending": sum(r.pending for r in rows),
        "disabled": sum(1 for r in rows if not r.endpoint.is_active),
    }
