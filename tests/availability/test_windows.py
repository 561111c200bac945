"""windows_for_team and day_states_for_team: local days in each person's zone, DST included."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scheduling.availability.models import AvailabilitySettings, UnmarkedMeans
from scheduling.availability.services import day_states_for_team, windows_for_team
from tests.availability.factories import BusyBlockFactory, EntryFactory
from tests.factories import MembershipFactory


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


START, END = utc(2026, 10, 20), utc(2026, 11, 1)


def test_whole_day_across_the_clock_change_is_25_hours(team, engineer):
    EntryFactory(user=engineer, day=date(2026, 10, 25), kind="unavailable")
    windows = windows_for_team(team=team, start=START, end=END)[engineer.pk]
    # Sunday 25 Oct 2026 in London: 00:00 BST (23:00 UTC the day before) to 00:00 GMT.
    assert windows.unavailable == [(utc(2026, 10, 24, 23), utc(2026, 10, 26, 0))]


def test_spring_day_is_23_hours_and_other_zones_use_their_own_day(team):
    sofia = MembershipFactory(team=team, user__timezone="Europe/Rome").user
    EntryFactory(user=sofia, day=date(2026, 3, 29), kind="preferred")
    windows = windows_for_team(team=team, start=utc(2026, 3, 1), end=utc(2026, 4, 30))[sofia.pk]
    assert windows.preferred == [(utc(2026, 3, 28, 23), utc(2026, 3, 29, 22))]


def test_time_ranges_are_local_times(team, engineer):
    EntryFactory(
        user=engineer,
        day=date(2026, 10, 26),
        start_time=time(18),
        end_time=time(0),
        kind="unavailable",
    )
    EntryFactory(
        user=engineer,
        day=date(2026, 10, 23),
        start_time=time(9),
        end_time=time(12),
        kind="preferred",
    )
    windows = windows_for_team(team=team, start=START, end=END)[engineer.pk]
    assert windows.unavailable == [(utc(2026, 10, 26, 18), utc(2026, 10, 27, 0))]
    assert windows.preferred == [(utc(2026, 10, 23, 8), utc(2026, 10, 23, 11))]


def test_busy_blocks_count_unless_overridden_and_windows_merge_and_clip(team, engineer):
    EntryFactory(user=engineer, day=date(2026, 10, 21), kind="unavailable")
    BusyBlockFactory(
        connection__user=engineer, start=utc(2026, 10, 21, 22), end=utc(2026, 10, 22, 2)
    )
    BusyBlockFactory(
        connection__user=engineer,
        start=utc(2026, 10, 28, 9),
        end=utc(2026, 10, 28, 10),
        overridden=True,
    )
    BusyBlockFactory(connection__user=engineer, start=utc(2026, 10, 31, 20), end=utc(2026, 11, 2))
    windows = windows_for_team(team=team, start=START, end=END)[engineer.pk]
    assert windows.unavailable == [
        (utc(2026, 10, 20, 23), utc(2026, 10, 22, 2)),
        (utc(2026, 10, 31, 20), END),
    ]


def test_unmarked_days_are_avoided_only_when_the_team_says_unknown(team, engineer):
    start, end = utc(2026, 10, 24, 12), utc(2026, 10, 27)
    EntryFactory(user=engineer, day=date(2026, 10, 25), kind="available")
    assert windows_for_team(team=team, start=start, end=end)[engineer.pk].avoid == []

    AvailabilitySettings.objects.create(team=team, unmarked_means=UnmarkedMeans.UNKNOWN)
    avoid = windows_for_team(team=team, start=start, end=end)[engineer.pk].avoid
    # Saturday 24 (clipped to the start) and Monday 26 are unmarked; Sunday 25 is marked.
    assert avoid == [(start, utc(2026, 10, 24, 23)), (utc(2026, 10, 26, 0), utc(2026, 10, 27, 0))]


def test_every_member_is_present(team, manager, engineer):
    result = windows_for_team(team=team, start=START, end=END)
    assert set(result) == {manager.pk, engineer.pk}
    assert result[manager.pk].unavailable == []


def _queries(callable_) -> int:
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured)


@pytest.mark.parametrize("reader", ["windows", "states"])
def test_constant_number_of_queries(team, reader):
    def populate(count: int) -> None:
        for _ in range(count):
            user = MembershipFactory(team=team).user
            EntryFactory(user=user, day=date(2026, 10, 22), kind="unavailable")
            EntryFactory(
                user=user,
                day=date(2026, 10, 23),
                start_time=time(9),
                end_time=time(10),
                kind="preferred",
            )
            BusyBlockFactory(
                connection__user=user, start=utc(2026, 10, 24, 9), end=utc(2026, 10, 24, 10)
            )

    def read() -> None:
        if reader == "windows":
            windows_for_team(team=team, start=START, end=END)
        else:
            day_states_for_team(team=team, first=date(2026, 10, 20), last=date(2026, 10, 31))

    populate(2)
    small = _queries(read)
    populate(6)
    assert _queries(read) == small


def test_day_states(team, engineer):
    EntryFactory(user=engineer, day=date(2026, 10, 24), kind="preferred")
    EntryFactory(user=engineer, day=date(2026, 10, 25), kind="unavailable")
    EntryFactory(user=engineer, day=date(2026, 10, 26), kind="preferred")
    # 23:30 UTC on the 26th is still the 26th in London (GMT since the 25th).
    BusyBlockFactory(
        connection__user=engineer, start=utc(2026, 10, 26, 23, 30), end=utc(2026, 10, 27, 0)
    )
    BusyBlockFactory(
        connection__user=engineer, start=utc(2026, 10, 25, 9), end=utc(2026, 10, 25, 10)
    )
    BusyBlockFactory(
        connection__user=engineer,
        start=utc(2026, 10, 28, 9),
        end=utc(2026, 10, 28, 10),
        overridden=True,
    )

    states = day_states_for_team(team=team, first=date(2026, 10, 24), last=date(2026, 10, 28))[
        engineer.pk
    ]

    assert states == {
        date(2026, 10, 24): "preferred",
        date(2026, 10, 25): "unavailable",
        date(2026, 10, 26): "busy",
        date(2026, 10, 27): "available",
        date(2026, 10, 28): "available",
    }
    AvailabilitySettings.objects.create(team=team, unmarked_means=UnmarkedMeans.UNKNOWN)
    states = day_states_for_team(team=team, first=date(2026, 10, 27), last=date(2026, 10, 27))
    assert states[engineer.pk] == {date(2026, 10, 27): "unknown"}


def test_day_states_use_each_person_zone_across_dst(team):
    emma = MembershipFactory(team=team, user__timezone="America/New_York").user
    # 1 Nov 2026: New York falls back. 03:30 UTC on the 2nd is still the 1st in New York.
    BusyBlockFactory(
        connection__user=emma, start=utc(2026, 11, 2, 3, 30), end=utc(2026, 11, 2, 4, 30)
    )
    with time_machine.travel(utc(2026, 10, 1)):
        states = day_states_for_team(team=team, first=date(2026, 11, 1), last=date(2026, 11, 2))
    assert states[emma.pk] == {date(2026, 11, 1): "busy", date(2026, 11, 2): "available"}
