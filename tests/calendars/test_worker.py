"""The calendar tasks in a real Celery worker process, and the beat entries that drive them."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta
from importlib import import_module

import pytest
from django.conf import settings

from calendars.models import CalendarEntry, ProcessedChange
from scheduling.rotas.services.publishing import publish
from tests.calendars.conftest import daily_shifts
from tests.calendars.factories import PeriodFactory, SeatFactory
from tests.factories import MembershipFactory, TeamFactory
from tests.services import wait_until


def test_beat_entries_name_real_tasks():
    for name in ("calendars-sweep", "calendars-refresh"):
        module, _, task = settings.CELERY_BEAT_SCHEDULE[name]["task"].rpartition(".")
        assert callable(getattr(import_module(module), task))


@pytest.mark.django_db(transaction=True)
def test_a_published_rota_reaches_the_calendars_through_a_real_worker(celery_worker):
    team = TeamFactory()
    manager = MembershipFactory(team=team, role="manager").user
    engineer = MembershipFactory(team=team).user
    period = PeriodFactory(team=team)
    first = datetime.now(zoneinfo.ZoneInfo(team.timezone)).date() + timedelta(days=1)
    for shift in daily_shifts(team, period, first, 2):
        SeatFactory(shift=shift, proposed_holder=engineer)

    publish(period=period, by=manager, confirm_unfilled=True)  # commits; the signal sends the tasks

    wait_until("two changes processed", lambda: ProcessedChange.objects.count() >= 2, timeout=30)
    assert ProcessedChange.objects.count() == 2
    assert CalendarEntry.objects.filter(user=engineer, status="confirmed").count() == 2
