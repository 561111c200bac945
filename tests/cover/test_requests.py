"""Cover requests: can't make it, candidates, asking, agree, decline, withdraw, undo."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

import pytest
from django.core import mail

from accounts.models import AuditEntry
from scheduling.availability.models import AvailabilityEntry
from scheduling.cover import services
from scheduling.cover.models import Ask, AskState, CoverRequest, State
from scheduling.rotas.models import Seat, SeatChange
from tests.cover.factories import CoverSettingsFactory

pytestmark = pytest.mark.django_db


def _links(message) -> dict[str, str]:
    found = dict(re.findall(r"^(Agree|Decline):\s+(\S+)$", message.body, re.M))
    return {k.lower(): v.replace("http://127.0.0.1:8000", "") for k, v in found.items()}


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Return a context manager that runs on-commit callbacks (task enqueues) at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _open(week, on_commit=None, **kwargs) -> CoverRequest:
    mail.outbox.clear()
    if on_commit is None:
        return services.open_request(
            seat=week.seat, user=week.requester, reason="family emergency", **kwargs
        )
    with on_commit():
        return services.open_request(
            seat=week.seat, user=week.requester, reason="family emergency", **kwargs
        )


def test_cant_make_it_records_unavailability_in_the_persons_zone_across_dst(week):
    request = _open(week)
    assert request.state == State.OPEN and request.starts_at == week.shift.starts_at
    entries = AvailabilityEntry.objects.filter(user=week.requester).order_by("day")
    # Saturday 09:00 GMT to Sunday 09:00 BST, as London wall-clock ranges.
    assert [(e.day, e.start_time, e.end_time, e.kind) for e in entries] == [
        (date(2027, 3, 27), time(9), time(0), "unavailable"),
        (date(2027, 3, 28), time(0), time(9), "unavailable"),
    ]
    assert sorted(request.unavailable_entries) == sorted(e.pk for e in entries)
    assert AuditEntry.objects.filter(action="cover.opened", target_id=str(request.pk)).exists()


def test_candidates_are_ranked_by_the_engine_without_the_requester_partner_or_rested_neighbour(
    week,
):
    request = _open(week)
    ranked = [a.candidate for a in request.asks.order_by("rank")]
    # Fred holds Friday (no rest), Pat is on call in the same shift, Eddie asked;
    # Carol already has a shift, so she ranks last.
    assert week.requester not in ranked and week.partner not in ranked and week.fred not in ranked
    assert ranked == [week.alice, week.bob, week.manager, week.carol]
    assert all(a.reasons for a in request.asks.all())


def test_ranked_mode_asks_the_top_candidate_by_email_with_agree_and_decline_links(week, on_commit):
    request = _open(week, on_commit)
    asks = list(request.asks.order_by("rank"))
    assert [a.state for a in asks] == [AskState.ASKED] + [AskState.PENDING] * 3
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [week.alice.email]
    body = mail.outbox[0].body
    assert (
        "Pat Partner" in body
        and "Primary" in body
        and "Sat 27 Mar 2027 09:00" in body
        and "Sun 28 Mar 2027 09:00" in body
    )
    assert set(_links(mail.outbox[0])) == {"agree", "decline"}


def test_a_decline_asks_the_next_candidate_at_once_and_an_agree_moves_the_seat(
    week, django_capture_on_commit_callbacks
):
    request = _open(week)
    first, second = request.asks.order_by("rank")[:2]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decline(ask=first)
    second.refresh_from_db()
    assert second.state == AskState.ASKED and [m.to for m in mail.outbox] == [[week.bob.email]]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.agree(ask=second)
    request.refresh_from_db()
    week.seat.refresh_from_db()
    assert (request.state, request.covered_by, request.covered_seat) == (
        State.COVERED,
        week.bob,
        week.seat,
    )
    assert week.seat.holder == week.bob
    change = SeatChange.objects.get(version=2)
    assert (change.old_holder, change.new_holder, change.reason) == (
        week.requester,
        week.bob,
        "cover",
    )
    assert set(request.asks.values_list("state", flat=True)) == {
        AskState.DECLINED,
        AskState.AGREED,
        AskState.SUPERSEDED,
    }
    covered_to = {m.to[0] for m in mail.outbox if m.subject.startswith("[Rota] Covered")}
    assert covered_to == {
        week.requester.email,
        week.bob.email,
        week.partner.email,
        week.manager.email,
    }
    actions = list(
        AuditEntry.objects.filter(target_id=str(request.pk), target_type="cover.coverrequest")
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "cover.opened",
        "cover.asked",
        "cover.declined",
        "cover.asked",
        "cover.covered",
    ]


def test_a_late_agree_is_refused_and_changes_nothing(week):
    request = _open(week)
    first = request.asks.get(rank=1)
    services.agree(ask=first)
    late = request.asks.get(rank=2)
    Ask.objects.filter(pk=late.pk).update(state=AskState.ASKED)
    late.refresh_from_db()
    with pytest.raises(services.AlreadyCovered):
        services.agree(ask=late)
    week.seat.refresh_from_db()
    assert week.seat.holder == week.alice and SeatChange.objects.filter(version=3).count() == 0


def test_partial_cover_splits_the_shift_and_gives_the_window_to_the_cover(week):
    a, b = datetime(2027, 3, 27, 20, 0, tzinfo=UTC), datetime(2027, 3, 28, 5, 0, tzinfo=UTC)
    request = _open(week, starts_at=a, ends_at=b)
    assert request.is_partial
    entries = AvailabilityEntry.objects.filter(user=week.requester).order_by("day")
    assert [(e.day, e.start_time, e.end_time) for e in entries] == [
        (date(2027, 3, 27), time(20), time(0)),
        (date(2027, 3, 28), time(0), time(6)),  # 05:00 UTC is 06:00 BST
    ]
    services.agree(ask=request.asks.get(rank=1))
    request.refresh_from_db()
    covered = request.covered_seat
    assert (covered.shift.starts_at, covered.shift.ends_at, covered.holder) == (a, b, week.alice)
    assert Seat.objects.get(pk=week.seat.pk).holder == week.requester


def test_broadcast_mode_asks_the_top_k_and_the_first_agree_wins(week, on_commit):
    CoverSettingsFactory(team=week.period.team, mode="broadcast", broadcast_k=2)
    request = _open(week, on_commit)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([week.alice.email, week.bob.email])
    bob = request.asks.get(candidate=week.bob)
    services.agree(ask=bob)
    alice = request.asks.get(candidate=week.alice)
    assert alice.state == AskState.SUPERSEDED
    with pytest.raises(services.AlreadyCovered):
        services.agree(ask=alice)


def test_all_declined_escalates_to_the_managers_by_email(week, django_capture_on_commit_callbacks):
    request = _open(week)
    for _ in range(request.asks.count()):
        ask = request.asks.get(state=AskState.ASKED)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.decline(ask=ask)
    request.refresh_from_db()
    assert request.state == State.ESCALATED and request.escalated_at is not None
    escalation = [m for m in mail.outbox if "Cover needed" in m.subject]
    assert [m.to for m in escalation] == [[week.manager.email]]
    assert f"/teams/payments/cover/{request.pk}/" in escalation[0].body
    assert CoverRequest.objects.urgent().get() == request


def test_the_manager_assigns_someone_to_an_escalated_request(week):
    request = _open(week)
    CoverRequest.objects.filter(pk=request.pk).update(state=State.ESCALATED)
    services.assign(request=request, user=week.bob, by=week.manager)
    week.seat.refresh_from_db()
    assert week.seat.holder == week.bob
    with pytest.raises(services.CoverError):
        services.assign(request=request, user=week.bob, by=week.requester)


def test_the_requester_withdraws_an_open_request_and_gets_their_availability_back(week):
    request = _open(week)
    services.withdraw(request=request, by=week.requester)
    request.refresh_from_db()
    assert request.state == State.WITHDRAWN
    assert not AvailabilityEntry.objects.filter(user=week.requester).exists()
    assert set(request.asks.values_list("state", flat=True)) == {AskState.SUPERSEDED}
    with pytest.raises(services.CoverError):
        services.withdraw(request=request, by=week.requester)
    with pytest.raises(services.AskClosed):
        services.decline(ask=request.asks.get(rank=1))


def test_the_manager_undoes_a_cover_before_the_shift(week, django_capture_on_commit_callbacks):
    request = _open(week)
    services.agree(ask=request.asks.get(rank=1))
    with pytest.raises(services.CoverError):
        services.undo(request=request, by=week.requester)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.undo(request=request, by=week.manager)
    week.seat.refresh_from_db()
    request.refresh_from_db()
    assert week.seat.holder == week.requester and request.state == State.UNDONE
    change = SeatChange.objects.filter(seat=week.seat).latest("id")
    assert (change.old_holder, change.new_holder) == (week.alice, week.requester)
    assert {m.to[0] for m in mail.outbox if "Cover undone" in m.subject} == {
        week.requester.email,
        week.alice.email,
    }


def test_a_manager_opens_a_request_on_behalf_and_engineers_cannot(week):
    request = services.open_request(seat=week.seat, user=week.requester, opened_by=week.manager)
    assert request.opened_by == week.manager
    services.withdraw(request=request, by=week.manager)
    with pytest.raises(services.CoverError):
        services.open_request(seat=week.seat, user=week.requester, opened_by=week.alice)


def test_refuses_a_seat_someone_else_holds_and_a_second_request(week):
    with pytest.raises(services.CoverError):
        services.open_request(seat=week.seat, user=week.alice)
    _open(week)
    with pytest.raises(services.CoverError, match="already"):
        _open(week)


def test_cant_make_it_opens_a_request_with_the_reason(week):
    request = services.cant_make_it(seat=week.seat, user=week.requester, reason="ill")
    assert isinstance(request, CoverRequest) and request.reason == "ill"


def test_the_same_cant_make_it_twice_through_the_entry_point_reuses_the_request(week):
    first = services.cant_make_it(seat=week.seat, user=week.requester, reason="ill")
    again = services.cant_make_it(seat=week.seat, user=week.requester, reason="ill")
    assert again.pk == first.pk and CoverRequest.objects.count() == 1


def test_a_partial_request_stays_partial_after_the_split_at_the_start(week):
    b = datetime(2027, 3, 27, 15, 0, tzinfo=UTC)
    request = services.open_request(
        seat=week.seat, user=week.requester, starts_at=week.shift.starts_at, ends_at=b
    )
    services.agree(ask=request.asks.get(rank=1))
    request.refresh_from_db()
    assert request.is_partial and request.covered_seat.pk == week.seat.pk
    assert (request.covered_seat.shift.starts_at, request.covered_seat.shift.ends_at) == (
        week.shift.starts_at,
        b,
    )
