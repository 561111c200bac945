"""Cover-request figures the on-call pages and reports show, read from scheduling.cover."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from scheduling.cover.models import ACTIVE, Ask, CoverRequest


def requests_in_flight_for_seats(seat_ids: Iterable[int]) -> dict[int, list]:
    """Return the open or escalated cover requests of each seat."""
    seat_ids = list(seat_ids)
    if not seat_ids:
        return {}
    result: dict[int, list] = defaultdict(list)
    requests = CoverRequest.objects.filter(seat_id__in=seat_ids, state__in=ACTIVE).select_related(
        "requested_by"
    )
    for request in requests:
        result[request.seat_id].append(request)
    return dict(result)


def open_requests_for_teams(team_ids: Iterable[int], now: datetime) -> dict[int, list]:
    """Return each team's cover requests still in flight for shifts that have not ended."""
    team_ids = list(team_ids)
    if not team_ids:
        return {}
    result: dict[int, list] = defaultdict(list)
    rows = (
        CoverRequest.objects.filter(team_id__in=team_ids, state__in=ACTIVE, ends_at__gt=now)
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
    result: dict[int, CoverFigures] = defaultdict(CoverFigures)
    covered = CoverRequest.objects.filter(
        team_id=team_id, state="covered", starts_at__gte=start, starts_at__lt=end
    ).values_list("requested_by_id", "covered_by_id")
    for asker, giver in covered:
        result[asker].received += 1
        if giver:
            result[giver].given += 1
    declined = Ask.objects.filter(
        request__team_id=team_id,
        request__starts_at__gte=start,
        request__starts_at__lt=end,
        state="declined",
    ).values_list("candidate_id", flat=True)
    for user_id in declined:
        result[user_id].declines += 1
    return dict(result)
