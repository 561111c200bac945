"""The "completed_shifts" automatic requirement check counts shadow and secondary seats."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from scheduling.requirements.automatic import get_check
from scheduling.rotas.models import Seat

pytestmark = pytest.mark.django_db


def test_completed_shifts_counts_ended_shadow_and_secondary_seats(period, engineer, manager, team):
    seats = list(
        Seat.objects.filter(shift__period=period)
        .select_related("shift")
        .order_by("shift__starts_at", "role")
    )
    secondaries = [s for s in seats if s.role == "secondary"]
    Seat.objects.filter(pk__in=[s.pk for s in secondaries[:3]]).update(holder=engineer)
    Seat.objects.filter(pk__in=[s.pk for s in seats if s.role == "primary"][:3]).update(
        holder=manager
    )
    check = get_check("completed_shifts")
    assert check is not None
    # On 28 March (the day clocks change) the shifts of 24, 25 and 26 March have ended.
    with time_machine.travel(datetime(2027, 4, 1, tzinfo=UTC)):
        result = check.run(
            team=team, users=[engineer, manager], on=date(2027, 3, 28), params={"count": 3}
        )
        assert result == {engineer.pk: True, manager.pk: False}
        result = check.run(team=team, users=[engineer], on=date(2027, 3, 26), params={"count": 3})
        assert result == {engineer.pk: False}
    # Shifts that have not happened yet do not count, whatever day is asked about.
    with time_machine.travel(datetime(2027, 3, 25, 12, tzinfo=UTC)):
        assert check.run(team=team, users=[engineer], on=date(2027, 4, 1), params={"count": 2}) == {
            engineer.pk: False
        }
