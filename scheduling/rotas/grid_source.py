"""Show a person's published shifts on their availability month grid."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from accounts.models import User
from scheduling.rotas.models import Seat


def shifts_by_day(user: User, first: date, last: date) -> dict[date, list[str]]:
    """Return labels like "Primary · Payments 09:00" for each local day a published seat starts."""
    tz = user.tz
    start = datetime.combine(first, time(0), tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz)
    seats = (
        Seat.objects.published()
        .filter(
            holder=user,
            shift__starts_at__lt=end,
            shift__ends_at__gt=start,
        )
        .select_related("shift__team")
        .order_by("shift__starts_at")
    )
    labels: dict[date, list[str]] = {}
    for seat in seats:
        local = seat.shift.starts_at.astimezone(tz)
        text = f"{seat.get_role_display()} · {seat.shift.team.name} {local:%H:%M}"
        labels.setdefault(max(local.date(), first), []).append(text)
    return labels
