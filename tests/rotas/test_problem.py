"""Building rota-problem/1 from a period: roles, availability, experience, fixed, queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scheduling.availability.models import AvailabilityEntry
from scheduling.engine import rank_candidates, solve
from scheduling.rotas import problem as problem_builder
from scheduling.rotas import services
from scheduling.rotas.models import Seat
from scheduling.rotas.problem import person_id
from tests.factories import MembershipFactory
from tests.rotas.conftest import FIRST, LAST
from tests.rotas.factories import RotationTemplateFactory

pytestmark = pytest.mark.django_db


def _person(pp, user):
    return next(p for p in pp.data["people"] if p["id"] == person_id(user.pk))


def test_slots_are_the_seats_with_weights_and_the_dst_shift_is_23_hours(period):
    pp = problem_builder.build(period)
    assert len(pp.data["slots"]) == 7 * 2
    seat_ids = set(Seat.objects.filter(shift__period=period).values_list("pk", flat=True))
    assert {int(s["id"]) for s in pp.data["slots"]} == seat_ids
    by_start = {s["start"]: s for s in pp.data["slots"] if s["role"] == "primary"}
    saturday = by_start[datetime(2027, 3, 27, 9, tzinfo=UTC).isoformat()]
    assert saturday["end"] == datetime(2027, 3, 28, 8, tzinfo=UTC).isoformat()  # 09:00 BST
    assert saturday["weight"] == 1.5
    assert by_start[datetime(2027, 3, 24, 9, tzinfo=UTC).isoformat()]["weight"] == 1.0
    assert (
        pp.problem.slot_by_id[saturday["id"]].end_ts
        - pp.problem.slot_by_id[saturday["id"]].start_ts
        == 23 * 3600
    )


def test_availability_becomes_unavailable_and_preferred_windows(period, engineer, manager):
    AvailabilityEntry.objects.create(user=engineer, day=date(2027, 3, 28), kind="unavailable")
    AvailabilityEntry.objects.create(user=manager, day=date(2027, 3, 25), kind="preferred")
    pp = problem_builder.build(period)
    unavailable = _person(pp, engineer)["unavailable"]
    # Sunday 28 March in London starts at 00:00 GMT and ends at 00:00 BST (23:00 UTC).
    assert [
        datetime(2027, 3, 28, 0, tzinfo=UTC).isoformat(),
        datetime(2027, 3, 28, 23, tzinfo=UTC).isoformat(),
    ] in unavailable
    assert _person(pp, manager)["preferred"]
    sunday_primary = next(
        s for s in pp.seats if s.role == "primary" and pp.seat_dates[s.pk] == date(2027, 3, 28)
    )
    ranked = rank_candidates(pp.problem, str(sunday_primary.pk), pp.draft())
    assert person_id(engineer.pk) not in [c.person for c in ranked]
    assert person_id(manager.pk) in [c.person for c in ranked]


def _eligibility(monkeypatch, table):
    """Stand in for the requirements app with a fixed user -> date -> roles table."""
    from scheduling.rotas import inputs

    def eligible_roles(*, team, dates, standing=None):
        return {uid: {d: frozenset(roles(d)) for d in dates} for uid, roles in table.items()}

    monkeypatch.setattr(inputs, "eligible_roles", eligible_roles)


def test_a_role_lost_for_a_few_days_blocks_those_shifts(period, engineer, monkeypatch):
    # Primary-qualified all week except Thursday 25th, the only day they lack it.
    _eligibility(
        monkeypatch,
        {
            engineer.pk: lambda d: (
                {"shadow", "secondary"} | ({"primary"} if d != date(2027, 3, 25) else set())
            )
        },
    )
    pp = problem_builder.build(period)
    person = _person(pp, engineer)
    assert person["roles"] == ["primary", "secondary"]
    thursday = next(s.shift for s in pp.seats if pp.seat_dates[s.pk] == date(2027, 3, 25))
    assert [thursday.starts_at.isoformat(), thursday.ends_at.isoformat()] in person["unavailable"]
    assert len(person["unavailable"]) == 1


def test_a_role_gained_late_is_left_out_rather_than_blocking_most_shifts(
    period, engineer, monkeypatch
):
    # Primary only from Tuesday 30th (one day of seven): listing it would block six shifts.
    _eligibility(
        monkeypatch,
        {
            engineer.pk: lambda d: (
                {"shadow", "secondary"} | ({"primary"} if d >= date(2027, 3, 30) else set())
            )
        },
    )
    pp = problem_builder.build(period)
    person = _person(pp, engineer)
    assert person["roles"] == ["secondary"]
    assert person["unavailable"] == []


def test_the_encoding_never_lets_the_engine_seat_an_ineligible_person(period, crew, monkeypatch):
    # Each person is eligible for primary on alternate days; secondary always.
    table = {
        u.pk: (lambda i: lambda d: {"secondary"} | ({"primary"} if (d.day + i) % 2 else set()))(i)  # noqa: B023
        for i, u in enumerate(crew)
    }
    _eligibility(monkeypatch, table)
    pp = problem_builder.build(period)
    solution = solve(pp.problem, time_limit=5)
    for seat in pp.seats:
        holder = problem_builder.user_id_of(solution.assignments[str(seat.pk)])
        if holder is not None:
            assert seat.role in table[holder](pp.seat_dates[seat.pk])


def test_past_shifts_count_completed_seats_of_earlier_periods(
    team, template, manager, engineer, rota_settings, period
):
    earlier = services.create_period(
        team=team,
        template=template,
        starts_on=date(2027, 2, 1),
        ends_on=date(2027, 2, 3),
        by=manager,
    )
    seats = list(Seat.objects.filter(shift__period=earlier).order_by("shift__starts_at"))
    Seat.objects.filter(pk__in=[s.pk for s in seats[:3]]).update(holder=engineer)
    # On 2 February only the first shift (1–2 Feb) has ended.
    pp = problem_builder.build(period, now=datetime(2027, 2, 2, 12, tzinfo=UTC))
    assert _person(pp, engineer)["past_shifts"] == 2  # both seats of 1 Feb: primary and secondary
    pp = problem_builder.build(period, now=datetime(2027, 3, 1, tzinfo=UTC))
    assert _person(pp, engineer)["past_shifts"] == 3
    assert _person(pp, manager)["past_shifts"] == 0


def test_locked_seats_are_fixed_and_published_holders_are_previous(period, engineer, manager):
    seat = (
        Seat.objects.filter(shift__period=period, role="primary")
        .order_by("shift__starts_at")
        .first()
    )
    services.assign_seat(seat=seat, user=engineer, by=manager)
    pp = problem_builder.build(period)
    assert pp.data["fixed"] == [{"slot": str(seat.pk), "person": person_id(engineer.pk)}]
    assert "previous" not in pp.data
    services.publish(period=period, by=manager, confirm_unfilled=True)
    period.refresh_from_db()
    pp = problem_builder.build(period)
    assert pp.data["previous"][str(seat.pk)] == person_id(engineer.pk)


def test_a_locked_seat_that_breaks_a_rule_is_left_out_of_fixed(period, engineer, manager):
    first, second = Seat.objects.filter(shift__period=period, role="primary").order_by(
        "shift__starts_at"
    )[:2]
    services.assign_seat(seat=first, user=engineer, by=manager)
    # Back to back 24-hour shifts break the 12-hour rest rule; the manager confirms anyway.
    services.assign_seat(seat=second, user=engineer, by=manager, confirm=True)
    pp = problem_builder.build(period)
    assert pp.dropped_fixed == [str(second.pk)]
    assert [f["slot"] for f in pp.data["fixed"]] == [str(first.pk)]


def _queries_for(team_size: int, django_user_model) -> int:
    from tests.factories import TeamFactory

    team = TeamFactory()
    users = [MembershipFactory(team=team).user for _ in range(team_size)]
    template = RotationTemplateFactory(team=team)
    period = services.create_period(
        team=team, template=template, starts_on=FIRST, ends_on=LAST, by=users[0]
    )
    for i, seat in enumerate(Seat.objects.filter(shift__period=period)):
        Seat.objects.filter(pk=seat.pk).update(
            proposed_holder=users[i % team_size], locked=i % 3 == 0
        )
    for user in users[:5]:
        AvailabilityEntry.objects.create(
            user=user, day=FIRST + timedelta(days=1), kind="unavailable"
        )
    with CaptureQueriesContext(connection) as ctx:
        problem_builder.build(period)
    return len(ctx.captured_queries)


def test_building_the_problem_takes_the_same_queries_for_10_and_60_people(django_user_model):
    assert _queries_for(10, django_user_model) == _queries_for(60, django_user_model)
