"""Cover-request figures, read from scheduling.cover when it is installed and empty otherwise.

The cover app (issue 7) owns CoverRequest(team, seat, requested_by, covered_by, starts_at,
ends_at, state) and Ask(request, candidate, state). Every read of it goes through this
module so the on-call pages work without it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps

COVER_APP = "scheduling.cover"
IN_FLIGHT = ("open", "escalated")


def _model(name: str):
    """Return a model of the cover app, or None when the app is not installed."""
    if not apps.is_installed(COVER_APP):
        return None
    config = next(c for c in apps.get_app_configs() if c.name == COVER_APP)
    try:
        return config.get_model(name)
    except LookupError:
        return None


def requests_in_flight_for_seats(seat_ids: Iterable[int]) -> dict[int, list]:
    """Return the open or escalated cover requests of each seat."""
    model = _model("CoverRequest")
    seat_ids = list(seat_ids)
    if model is None or not seat_ids:
        return {}
    result: dict[int, list] = defaultdict(list)
    requests = model.objects.filter(seat_id__in=seat_ids, state__in=IN_FLIGHT).select_related(
        "requested_by"
    )
    for request in requests:
        result[request.seat_id].append(request)
    return dict(result)


def open_requests_for_teams(team_ids: Iterable[int], now: datetime) -> dict[int, list]:
    """Return each team's cover requests still in flight for shifts that have not ended."""
    model = _model("CoverRequest")
    team_ids = list(team_ids)
    if model is None or not team_ids:
        return {}
    result: dict[int, list] = defaultdict(list)
    rows = (
        model.objects.filter(team_id__in=team_ids, state__in=IN_FLIGHT, ends_at__gt=now)
        .select_related("requested_by", "seat__shift")
        .order_by("seat__shift__starts_at")
    )
    for request in rows:
        result[request.seat.shift.team_id].append(request)
    return dict(result)


@dataclass
class CoverFigures:
    given: int = 0
    received: int = 0
    declines: int = 0


def figures_by_person(team_id: int, start: datetime, end: datetime) -> dict[int, CoverFigures]:
    """Return covers given, covers received and declines per person for requests in [start, end)."""
    request_model = _model("CoverRequest")
    ask_model = _model("Ask")
    if request_model is None or ask_model is None:
        return {}
    result: dict[int, CoverFigures] = defaultdict(CoverFigures)
    covered = request_model.objects.filter(
        team_id=team_id, state="covered", starts_at__gte=start, starts_at__lt=end
    ).values_list("requested_by_id", "covered_by_id")
    for asker, giver in covered:
        result[asker].received += 1
        if giver:
            result[giver].given += 1
    declined = ask_model.objects.filter(
        request__team_id=team_id,
        request__starts_at__gte=start,
        request__starts_at__lt=end,
        state="declined",
    ).values_list("candidate_id", flat=True)
    for user_id in declined:
        result[user_id].declines += 1
    return dict(result)
