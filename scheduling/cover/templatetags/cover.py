"""Template tags other pages use to show cover requests: the shift page and the team page."""

from __future__ import annotations

from django import template
from django.utils import timezone

from scheduling.cover.models import CoverRequest

register = template.Library()


@register.inclusion_tag("cover/_shift_panel.html", takes_context=True)
def cover_panel(context, shift) -> dict:
    """Show a shift's cover requests and, for a holder, the "Can't make it" and swap buttons."""
    user = context["user"]
    requests = list(
        CoverRequest.objects.filter(seat__shift=shift)
        .select_related("requested_by", "covered_by")
        .order_by("-created_at")
    )
    mine = [s for s in shift.seats.all() if s.holder_id == user.pk] if shift.period.version else []
    takeable = set(
        CoverRequest.objects.takeable_by(user)
        .filter(seat__shift=shift)
        .values_list("pk", flat=True)
    )
    for request in requests:
        request.team = shift.team
    return {
        "shift": shift,
        "team": shift.team,
        "requests": requests,
        "takeable": takeable,
        "my_seats": mine,
        "user": user,
        "next": context["request"].get_full_path() if "request" in context else "",
    }


@register.inclusion_tag("cover/_team_urgent.html", takes_context=True)
def urgent_cover(context, team) -> dict:
    """List a team's escalated cover requests (for its managers)."""
    return {
        "team": team,
        "urgent": list(
            CoverRequest.objects.for_team(team)
            .urgent()
            .select_related("seat__shift", "requested_by")
        ),
    }


@register.inclusion_tag("cover/_open_requests.html", takes_context=True)
def open_cover(context, team) -> dict:
    """List a team's requests still looking for cover; "Take this shift" where the viewer may."""
    user = context["user"]
    now = timezone.now()
    requests = list(
        CoverRequest.objects.for_team(team)
        .active()
        .filter(ends_at__gt=now)
        .select_related("seat__shift", "requested_by")
        .order_by("starts_at")[:20]
    )
    takeable = set(
        CoverRequest.objects.takeable_by(user, now).filter(team=team).values_list("pk", flat=True)
    )
    for request in requests:
        request.team = team
    return {
        "team": team,
        "requests": requests,
        "takeable": takeable,
        "next": context["request"].get_full_path() if "request" in context else "",
    }
