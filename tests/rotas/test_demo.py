"""Demo data: history, a published current month and next month collecting; idempotent."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts import demo as accounts_demo
from scheduling.requirements import demo as requirements_demo
from scheduling.rotas import demo
from scheduling.rotas.models import PeriodState, RotaPeriod, Seat, Shift

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_makes_a_living_rota():
    accounts_demo.seed(lambda _: None)
    requirements_demo.seed(lambda _: None)
    demo.seed(lambda _: None)
    counts = (RotaPeriod.objects.count(), Shift.objects.count(), Seat.objects.count())
    demo.seed(lambda _: None)
    assert (RotaPeriod.objects.count(), Shift.objects.count(), Seat.objects.count()) == counts
    for slug in ("payments", "platform"):
        periods = list(RotaPeriod.objects.filter(team__slug=slug).order_by("starts_on"))
        assert len(periods) == 8
        assert [p.state for p in periods[:7]] == [PeriodState.PUBLISHED] * 7
        assert periods[-1].state == PeriodState.COLLECTING
        today = timezone.localdate()
        assert periods[-2].starts_on <= today <= periods[-2].ends_on
    completed = Seat.objects.filter(shift__ends_at__lte=timezone.now(), holder__isnull=False)
    assert completed.filter(shift__team__slug="payments").count() > 300
    platform_labels = set(
        Shift.objects.filter(team__slug="platform").values_list("label", flat=True)
    )
    assert platform_labels == {"Singapore", "London", "New York"}
