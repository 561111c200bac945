"""Demo data: history, a published current month and next month collecting; idempotent."""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.utils import timezone

from accounts import demo as accounts_demo
from scheduling.availability import demo as availability_demo
from scheduling.cover import demo as cover_demo
from scheduling.cover.models import AskState, CoverRequest
from scheduling.requirements import demo as requirements_demo
from scheduling.rotas import demo
from scheduling.rotas.models import PeriodState, RotaPeriod, Seat, Shift

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_demo_fills_a_living_rota_without_double_booking_cover_has_candidates_idempotent(
    settings,
):
    # One seeding for every check of the demo's rota: a seeding is several seconds.
    settings.ROTA_SOLVE_SECONDS = 3
    accounts_demo.seed(lambda _: None)
    requirements_demo.seed(lambda _: None)
    availability_demo.seed(lambda _: None)
    demo.seed(lambda _: None)
    cover_demo.seed(lambda _: None)
    counts = (RotaPeriod.objects.count(), Shift.objects.count(), Seat.objects.count())
    demo.seed(lambda _: None)
    assert (RotaPeriod.objects.count(), Shift.objects.count(), Seat.objects.count()) == counts
    for slug in ("payments", "platform"):
        periods = list(RotaPeriod.objects.filter(team__slug=slug).order_by("starts_on"))
        assert len(periods) == 8
        assert [p.state for p in periods[:7]] == [PeriodState.PUBLISHED] * 7
        assert periods[-1].state == PeriodState.RECOMMENDED
        today = timezone.localdate()
        assert periods[-2].starts_on <= today <= periods[-2].ends_on  # this month, published
        seats = Seat.objects.filter(shift__period=periods[-1])
        assert seats.filter(proposed_holder__isnull=False).count() >= 0.95 * seats.count()
    completed = Seat.objects.filter(shift__ends_at__lte=timezone.now(), holder__isnull=False)
    assert completed.filter(shift__team__slug="payments").count() > 300
    platform_labels = set(
        Shift.objects.filter(team__slug="platform").values_list("label", flat=True)
    )
    assert platform_labels == {"Singapore", "London", "New York"}
    held = defaultdict(list)
    for seat in Seat.objects.select_related("shift"):
        for user_id in {seat.holder_id, seat.proposed_holder_id} - {None}:
            held[user_id].append(seat.shift)
    overlaps = 0
    for shifts in held.values():
        shifts.sort(key=lambda s: s.starts_at)
        for i, a in enumerate(shifts):
            for b in shifts[i + 1 :]:
                if b.starts_at >= a.ends_at:
                    break
                overlaps += a.team_id != b.team_id
    assert overlaps == 0
    request = CoverRequest.objects.get()
    assert request.asks.count() >= 3
    assert request.asks.filter(state=AskState.PENDING).exists()
