"""Rota services: periods, seats with warnings, recommendations, publishing and versions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail

from accounts.models import AuditEntry
from scheduling.availability.models import AvailabilityEntry
from scheduling.rotas import services
from scheduling.rotas.models import (
    PeriodState,
    Recommendation,
    RotaPeriod,
    RotaVersion,
    Seat,
    SeatChange,
    Shift,
)
from scheduling.rotas.signals import seat_changed
from tests.factories import EscalationContactFactory
from tests.rotas.conftest import FIRST, LAST

pytestmark = pytest.mark.django_db


def _seats(period, role=None):
    seats = (
        Seat.objects.filter(shift__period=period)
        .select_related("shift")
        .order_by("shift__starts_at", "role")
    )
    return list(seats.filter(role=role) if role else seats)


def _fill(period, people):
    """Give every seat a proposed holder, round robin, without the warnings check."""
    for i, seat in enumerate(_seats(period)):
        Seat.objects.filter(pk=seat.pk).update(proposed_holder=people[i % len(people)])


def test_create_period_generates_shifts_and_seats_and_rejects_overlaps(
    team, template, manager, period
):
    assert period.state == PeriodState.COLLECTING
    assert Shift.objects.filter(period=period).count() == 7
    assert Seat.objects.filter(shift__period=period).count() == 14
    assert AuditEntry.objects.filter(
        action="rota.period_created", target_id=str(period.pk)
    ).exists()
    with pytest.raises(services.PeriodOverlap, match="overlaps"):
        services.create_period(
            team=team, template=template, starts_on=LAST, ends_on=date(2027, 4, 5), by=manager
        )


def test_first_publish_copies_proposed_holders_writes_outbox_and_emails(
    period, crew, manager, django_capture_on_commit_callbacks
):
    EscalationContactFactory(team=period.team, name="Priya Raman", phone="+442079460101")
    crew[1].timezone = "America/New_York"
    crew[1].save()
    _fill(period, crew)
    received = []
    seat_changed.connect(
        lambda sender, change, **kw: received.append(change), weak=False, dispatch_uid="t1"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            version = services.publish(period=period, by=manager)
    finally:
        seat_changed.disconnect(dispatch_uid="t1")
    period.refresh_from_db()
    assert (period.state, period.version, period.published_by) == (
        PeriodState.PUBLISHED,
        1,
        manager,
    )
    assert version.number == 1 and len(version.snapshot) == 14
    assert all(s.holder_id == s.proposed_holder_id for s in _seats(period))
    changes = list(SeatChange.objects.all())
    assert len(changes) == 14 and {c.reason for c in changes} == {"publish"}
    assert all(c.old_holder_id is None and c.version == 1 for c in changes)
    assert len(received) == 14
    assert len(mail.outbox) == len(crew)
    body = mail.outbox[0].body
    assert "Priya Raman" in body and "Partner:" in body
    # Times are in the reader's zone: 09:00 in London is 05:00 in New York until London's
    # clocks change on 28 March, then 04:00.
    engineer = crew[1]
    ny = next(m.body for m in mail.outbox if m.to == [engineer.email])
    assert "times in America/New_York" in ny
    own = [s for s in _seats(period) if s.holder_id == engineer.pk]
    for seat in own:
        expected = "05:00" if seat.shift.starts_at.day < 28 else "04:00"
        assert f"{seat.shift.starts_at:%a} {seat.shift.starts_at.day} Mar {expected}" in ny
    assert AuditEntry.objects.filter(action="rota.published").count() == 1


def test_republishing_unchanged_writes_nothing(period, crew, manager):
    _fill(period, crew)
    services.publish(period=period, by=manager)
    assert services.publish(period=period, by=manager) is None
    assert RotaVersion.objects.filter(period=period).count() == 1
    assert SeatChange.objects.count() == 14


def test_edit_after_publish_is_a_new_version_with_one_seat_change(
    period, crew, manager, django_capture_on_commit_callbacks
):
    _fill(period, crew)
    services.publish(period=period, by=manager)
    seat = _seats(period, "primary")[3]
    old = seat.holder
    other = next(u for u in crew if u != old)
    received = []
    seat_changed.connect(
        lambda sender, change, **kw: received.append(change), weak=False, dispatch_uid="t2"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.assign_seat(seat=seat, user=other, by=manager, confirm=True)
    finally:
        seat_changed.disconnect(dispatch_uid="t2")
    period.refresh_from_db()
    seat.refresh_from_db()
    assert period.version == 2 and seat.holder == other
    change = SeatChange.objects.get(version=2)
    assert (change.seat, change.old_holder, change.new_holder, change.reason) == (
        seat,
        old,
        other,
        "edit",
    )
    assert RotaVersion.objects.get(period=period, number=2).snapshot[str(seat.pk)] == other.pk
    assert [c.pk for c in received] == [change.pk]


def test_publishing_with_empty_seats_needs_confirmation_naming_them(period, crew, manager):
    _fill(period, crew)
    saturday = next(s for s in _seats(period, "secondary") if s.shift.starts_at.day == 27)
    Seat.objects.filter(pk=saturday.pk).update(proposed_holder=None)
    with pytest.raises(services.UnfilledSeats) as error:
        services.publish(period=period, by=manager)
    assert error.value.seats == ["Sat 27 Mar 09:00 secondary"]
    assert "Sat 27 Mar 09:00 secondary" in str(error.value)
    assert RotaVersion.objects.count() == 0 and SeatChange.objects.count() == 0
    version = services.publish(period=period, by=manager, confirm_unfilled=True)
    assert version.number == 1 and SeatChange.objects.count() == 13


def test_a_draft_period_cannot_be_published(team, template, manager, crew, rota_settings):
    period = services.create_period(
        team=team, template=template, starts_on=FIRST, ends_on=LAST, by=manager
    )
    with pytest.raises(services.WrongState):
        services.publish(period=period, by=manager, confirm_unfilled=True)


def test_assign_warns_about_unavailability_ineligibility_and_rest(
    period, engineer, manager, monkeypatch
):
    from scheduling.rotas import inputs

    monday, tuesday = _seats(period, "primary")[-2:]  # 29 and 30 March
    AvailabilityEntry.objects.create(user=engineer, day=date(2027, 3, 29), kind="unavailable")
    with pytest.raises(services.NeedsConfirmation) as error:
        services.assign_seat(seat=monday, user=engineer, by=manager)
    assert error.value.warnings == ["Eddie Engineer is unavailable during this shift."]
    assert Seat.objects.get(pk=monday.pk).proposed_holder is None
    services.assign_seat(seat=monday, user=engineer, by=manager, confirm=True)
    monkeypatch.setattr(
        inputs,
        "eligible_roles",
        lambda *, team, dates, standing=None: {
            engineer.pk: {d: frozenset({"shadow", "secondary"}) for d in dates}
        },
    )
    with pytest.raises(services.NeedsConfirmation) as error:
        services.assign_seat(seat=tuesday, user=engineer, by=manager)
    assert (
        error.value.warnings[0]
        == "Eddie Engineer is not eligible for the primary role on Tue 30 Mar."
    )
    assert "rest rule" in error.value.warnings[1]


def test_assign_refuses_someone_outside_the_team(period, manager, outsider):
    with pytest.raises(services.NotAMember):
        services.assign_seat(seat=_seats(period)[0], user=outsider, by=manager, confirm=True)


def test_clear_and_lock_a_seat(period, engineer, manager):
    seat = _seats(period)[0]
    with pytest.raises(services.WrongState):
        services.set_locked(seat=seat, locked=True, by=manager)
    services.assign_seat(seat=seat, user=engineer, by=manager)
    assert Seat.objects.get(pk=seat.pk).locked
    services.set_locked(seat=seat, locked=False, by=manager)
    assert not Seat.objects.get(pk=seat.pk).locked
    services.clear_seat(seat=seat, by=manager)
    seat.refresh_from_db()
    assert seat.proposed_holder is None and not seat.locked


def test_recommend_fills_unlocked_seats_fairly_and_keeps_locked_ones(
    period, crew, engineer, manager, settings, django_capture_on_commit_callbacks
):
    settings.ROTA_SOLVE_SECONDS = 5
    locked = _seats(period, "primary")[0]
    services.assign_seat(seat=locked, user=engineer, by=manager)
    with django_capture_on_commit_callbacks(execute=True):
        recommendation = services.request_recommendation(period=period, by=manager)
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.DONE, recommendation.error
    period.refresh_from_db()
    assert period.state == PeriodState.RECOMMENDED
    seats = _seats(period)
    assert all(s.proposed_holder_id for s in seats)
    assert next(s for s in seats if s.pk == locked.pk).proposed_holder == engineer
    loads = [sum(1 for s in seats if s.proposed_holder_id == u.pk) for u in crew]
    assert max(loads) - min(loads) <= 1  # 14 seats over 5 people
    assert recommendation.solution["format"] == "rota-solution/1"


def test_accept_locks_recommended_seats(period, crew, manager):
    _fill(period, crew[:3])
    Seat.objects.filter(pk=_seats(period)[0].pk).update(proposed_holder=None)
    assert services.accept_recommendation(period=period, by=manager) == 13
    assert Seat.objects.filter(shift__period=period, locked=True).count() == 13


def test_recommending_several_teams_queues_one_task_running_them_in_turn(
    period, manager, monkeypatch, django_capture_on_commit_callbacks
):
    from scheduling.rotas import tasks
    from tests.factories import MembershipFactory, TeamFactory
    from tests.rotas.factories import RotationTemplateFactory

    other = TeamFactory()
    MembershipFactory(team=other, user=manager, role="manager")
    second = services.create_period(
        team=other,
        template=RotationTemplateFactory(team=other),
        starts_on=FIRST,
        ends_on=LAST,
        by=manager,
    )
    services.open_collecting(period=second, by=manager)
    sent = []
    monkeypatch.setattr(tasks.recommend_many, "delay", lambda pks: sent.append(pks))
    monkeypatch.setattr(tasks.recommend, "delay", lambda pk: sent.append(pk))
    with django_capture_on_commit_callbacks(execute=True):
        recommendations = services.recommend_periods(periods=[period, second], by=manager)
    # One task, in order: each team's run sees the drafts of the teams before it.
    assert sent == [[r.pk for r in recommendations]]
    assert {r.period.team_id for r in recommendations} == {period.team_id, other.pk}


def test_a_second_request_while_one_runs_returns_it(period, manager, monkeypatch):
    from scheduling.rotas import tasks

    monkeypatch.setattr(tasks.recommend, "delay", lambda pk: None)
    first = services.request_recommendation(period=period, by=manager)
    assert services.request_recommendation(period=period, by=manager) == first
    assert Recommendation.objects.count() == 1
    # Running it twice claims it once.
    assert services.run_recommendation(recommendation_id=first.pk) is not None
    assert services.run_recommendation(recommendation_id=first.pk) is None
    assert RotaPeriod.objects.get(pk=period.pk).state == PeriodState.RECOMMENDED


def test_re_recommending_a_published_rota_changes_nothing_needlessly(
    period, crew, manager, settings, django_capture_on_commit_callbacks
):
    settings.ROTA_SOLVE_SECONDS = 5
    with django_capture_on_commit_callbacks(execute=True):
        services.request_recommendation(period=period, by=manager)
    services.publish(period=period, by=manager)
    before = {s.pk: s.holder_id for s in _seats(period)}
    with django_capture_on_commit_callbacks(execute=True):
        again = services.request_recommendation(period=period, by=manager)
    again.refresh_from_db()
    assert again.status == Recommendation.Status.DONE
    assert {s.pk: s.proposed_holder_id for s in _seats(period)} == before
    assert services.publish(period=period, by=manager) is None
    assert RotaPeriod.objects.get(pk=period.pk).state == PeriodState.PUBLISHED


def test_rota_recommend_command_queues_the_teams_with_a_collecting_period(
    period, manager, monkeypatch
):
    from django.core.management import CommandError, call_command

    from scheduling.rotas import tasks
    from tests.factories import MembershipFactory, TeamFactory
    from tests.rotas.factories import RotationTemplateFactory

    other = TeamFactory(slug="other")
    MembershipFactory(team=other, user=manager, role="manager")
    services.create_period(
        team=other,
        template=RotationTemplateFactory(team=other),
        starts_on=FIRST,
        ends_on=LAST,
        by=manager,
    )  # still a draft: not recommended
    sent = []
    monkeypatch.setattr(tasks.recommend, "delay", lambda pk: sent.append(pk))
    monkeypatch.setattr(tasks.recommend_many, "delay", lambda pks: sent.append(pks))
    call_command("rota_recommend", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert [r.period_id for r in Recommendation.objects.all()] == [period.pk]
    with pytest.raises(CommandError, match="No such team: nope"):
        call_command("rota_recommend", team=["nope"])


def test_a_lost_run_does_not_block_new_recommendations(period, manager, monkeypatch):
    import time_machine

    from scheduling.rotas import tasks

    monkeypatch.setattr(tasks.recommend, "delay", lambda pk: None)
    lost = services.request_recommendation(period=period, by=manager)
    with time_machine.travel(lost.created_at + timedelta(minutes=20)):
        fresh = services.request_recommendation(period=period, by=manager)
    lost.refresh_from_db()
    assert fresh != lost
    assert lost.status == Recommendation.Status.FAILED and "did not answer" in lost.error
