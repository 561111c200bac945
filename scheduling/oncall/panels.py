"""The dashboard panel "On call": now, with whom, or the next shift in N days."""

from __future__ import annotations

from django.utils import timezone

from accounts.dashboard import Panel
from accounts.fragments import earliest, next_midnight
from accounts.models import Membership
from accounts.requests import AuthedRequest
from scheduling.oncall.lookup import published_seats
from scheduling.oncall.presenters import days_until


def oncall_panel(request: AuthedRequest, memberships: list[Membership]) -> Panel | None:
    """Tell the person whether they are on call now, as what and with whom, or when next."""
    if not memberships:
        return None
    user = request.user
    now = timezone.now()
    seat = (
        published_seats()
        .filter(holder=user, shift__ends_at__gt=now)
        .select_related("shift__team")
        .order_by("shift__starts_at", "role")
        .first()
    )
    context: dict = {"seat": seat, "now": False}
    until = None
    if seat is not None:
        # "On call now" flips when the shift starts and ends; "in N days" when the day turns.
        until = earliest(
            seat.shift.starts_at if seat.shift.starts_at > now else seat.shift.ends_at,
            next_midnight(user.tz, now),
        )
        context["now"] = seat.shift.starts_at <= now
        context["days"] = days_until(
            seat.shift.starts_at, timezone.localdate(now, timezone=user.tz), user.tz
        )
        context["partners"] = list(
            published_seats()
            .filter(shift_id=seat.shift_id, holder__isnull=False)
            .exclude(holder=user)
            .select_related("holder")
            .order_by("role")
        )
    return Panel(template="oncall/_panel.html", context=context, order=10, until=until)
