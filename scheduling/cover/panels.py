"""The dashboard panel "You are asked to cover …", with the signed Agree and Decline links."""

from __future__ import annotations

from accounts.dashboard import Panel
from accounts.fragments import earliest
from accounts.models import Membership
from accounts.requests import AuthedRequest
from scheduling.cover.ask_links import ask_url
from scheduling.cover.models import Ask, CoverRequest


def asked_panel(request: AuthedRequest, memberships: list[Membership]) -> Panel | None:
    """List questions waiting for my answer, open shifts I could take and my own requests."""
    if not memberships:
        return None
    asks = list(
        Ask.objects.waiting()
        .filter(candidate=request.user)
        .select_related("request__team", "request__seat__shift", "request__requested_by")
        .order_by("request__starts_at")[:20]
    )
    mine = list(
        CoverRequest.objects.active()
        .filter(requested_by=request.user)
        .select_related("team", "seat__shift")[:20]
    )
    asked = {a.request_id for a in asks}
    open_shifts = [
        c
        for c in CoverRequest.objects.takeable_by(request.user)
        .select_related("team", "seat__shift", "requested_by")
        .order_by("starts_at")[:20]
        if c.pk not in asked
    ]
    if not asks and not mine and not open_shifts:
        return None
    rows = [
        {
            "ask": a,
            "agree": ask_url(a, "cover_agree", absolute=False),
            "decline": ask_url(a, "cover_decline", absolute=False),
        }
        for a in asks
    ]
    return Panel(
        template="cover/_asked_panel.html",
        context={"rows": rows, "mine": mine, "open_shifts": open_shifts},
        order=15,
        # An open shift drops off the list when it ends, with no data changed.
        until=earliest(*(c.ends_at for c in open_shifts)),
    )
