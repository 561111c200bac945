"""Demo on-call data: handover notes on the latest finished shifts.

No API tokens are created: seed_demo prints its output, and secrets must never be printed.
"""

from __future__ import annotations

from django.utils import timezone

from scheduling.oncall.lookup import published_seats
from scheduling.oncall.models import HandoverNote

NOTES = {
    "payments": [
        "Card-auth latency alert fired twice overnight; both cleared on their own. "
        "Watch the 3DS provider dashboard.",
        "Deployed the retry fix for the refunds queue at 16:40. If the backlog climbs above 500, "
        "roll back (runbook: refunds/rollback).",
        "Quiet shift. The settlement batch runs late tonight; it pages only if it fails twice.",
    ],
    "platform": [
        "eu-west-2 node pool is draining for the kernel upgrade; 3 of 12 nodes left. "
        "Do not restart the drain job.",
        "Disk alert on metrics-db-2 silenced until 18:00 UTC while the compaction runs.",
        "Nothing burning. DNS provider maintenance window tonight 01:00–02:00 UTC.",
    ],
}


def seed(log) -> None:
    """Write a handover note on each demo team's last few finished shifts (idempotent)."""
    now = timezone.now()
    created = 0
    for slug, bodies in NOTES.items():
        seats = list(
            published_seats()
            .filter(shift__team__slug=slug, shift__ends_at__lte=now, holder__isnull=False)
            .filter(role="primary")
            .select_related("shift", "holder")
            .order_by("-shift__ends_at")[: len(bodies)]
        )
        for seat, body in zip(seats, bodies, strict=False):
            _, made = HandoverNote.objects.get_or_create(
                shift=seat.shift, author=seat.holder, defaults={"body": body}
            )
            created += made
    if created:
        log(f"On call: {created} handover notes.")
