"""Moving and splitting published seats: versions, outbox rows, audit, a split across DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from accounts.models import AuditEntry
from scheduling.rotas.errors import NotAMember, WrongState
from scheduling.rotas.models import RotaVersion, Seat, SeatChange, Shift
from scheduling.rotas.services.changes import reassign_seat, split_for_cover, split_seat_for_cover
from scheduling.rotas.signals import seat_changed

pytestmark = pytest.mark.django_db


def test_the_saturday_shift_crosses_the_dst_change(week):
    # 09:00 GMT on Saturday to 09:00 BST on Sunday: 23 real hours.
    assert week.shift.starts_at == datetime(2027, 3, 27, 9, 0, tzinfo=UTC)
    assert week.shift.ends_at == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)


def test_reassign_seat_records_a_version_one_change_and_an_audit_entry(
    week, django_capture_on_commit_callbacks
):
    received = []
    seat_changed.connect(
        lambda sender, change, **kw: received.append(change), weak=False, dispatch_uid="c1"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            version = reassign_seat(seat=week.seat, new_holder=week.alice, by=week.alice)
    finally:
        seat_changed.disconnect(dispatch_uid="c1")
    week.seat.refresh_from_db()
    assert week.seat.holder == week.alice and week.seat.proposed_holder == week.alice
    assert version.number == 2 and version.snapshot[str(week.seat.pk)] == week.alice.pk
    change = SeatChange.objects.get(version=2)
    assert (change.old_holder, change.new_holder, change.reason) == (
        week.requester,
        week.alice,
        "cover",
    )
    assert [c.pk for c in received] == [change.pk]
    assert AuditEntry.objects.filter(action="rota.reassigned", target_id=str(week.seat.pk)).exists()


def test_reassign_refuses_someone_outside_the_team(week, outsider):
    with pytest.raises(NotAMember):
        reassign_seat(seat=week.seat, new_holder=outsider, by=week.manager)
    assert RotaVersion.objects.filter(period=week.period).count() == 1


def test_split_in_the_middle_across_dst_makes_three_shifts_with_copied_seats(week):
    # Cover 20:00 GMT Saturday to 06:00 BST Sunday (05:00 UTC): the clocks change inside the window.
    a = datetime(2027, 3, 27, 20, 0, tzinfo=UTC)
    b = datetime(2027, 3, 28, 5, 0, tzinfo=UTC)
    version, covered = split_seat_for_cover(
        seat=week.seat, starts_at=a, ends_at=b, new_holder=week.alice, by=week.alice
    )
    parts = list(
        Shift.objects.filter(
            period=week.period,
            starts_at__gte=week.shift.starts_at,
            starts_at__lt=week.shift.ends_at,
        ).order_by("starts_at")
    )
    # The original shift is kept as the first part, so its seats keep their ids.
    assert [(p.starts_at, p.ends_at) for p in parts] == [
        (week.shift.starts_at, a),
        (a, b),
        (b, datetime(2027, 3, 28, 8, 0, tzinfo=UTC)),
    ]
    assert parts[0].pk == week.shift.pk
    assert sum((p.ends_at - p.starts_at for p in parts), timedelta()) == timedelta(hours=23)
    # The parts share the shift's weight by their real hours (11 + 9 + 3 of a 23-hour shift).
    whole = week.shift.weight
    assert [p.weight for p in parts] == pytest.approx(
        [whole * 11 / 23, whole * 9 / 23, whole * 3 / 23], abs=1e-3
    )
    holders = {(s.shift_id, s.role): s.holder for s in Seat.objects.filter(shift__in=parts)}
    assert holders == {
        (parts[0].pk, "primary"): week.requester,
        (parts[0].pk, "secondary"): week.partner,
        (parts[1].pk, "primary"): week.alice,
        (parts[1].pk, "secondary"): week.partner,
        (parts[2].pk, "primary"): week.requester,
        (parts[2].pk, "secondary"): week.partner,
    }
    assert covered.shift_id == parts[1].pk and covered.role == "primary"
    changes = {
        (c.seat_id, c.old_holder_id, c.new_holder_id)
        for c in SeatChange.objects.filter(version=version.number)
    }
    r, p, al = week.requester.pk, week.partner.pk, week.alice.pk
    seat = {(s.shift_id, s.role): s.pk for s in Seat.objects.filter(shift__in=parts)}
    assert changes == {
        (seat[parts[0].pk, "primary"], r, r),
        (seat[parts[0].pk, "secondary"], p, p),  # shorter, same person
        (seat[parts[1].pk, "primary"], None, al),
        (seat[parts[1].pk, "secondary"], None, p),
        (seat[parts[2].pk, "primary"], None, r),
        (seat[parts[2].pk, "secondary"], None, p),
    }
    assert set(version.snapshot) == {
        str(pk)
        for pk in Seat.objects.filter(shift__period=week.period).values_list("pk", flat=True)
    }


def test_split_at_the_start_gives_the_original_seat_to_the_cover(week):
    b = datetime(2027, 3, 27, 15, 0, tzinfo=UTC)
    version = split_for_cover(
        seat=week.seat,
        starts_at=week.shift.starts_at,
        ends_at=b,
        new_holder=week.bob,
        by=week.manager,
    )
    week.seat.refresh_from_db()
    assert week.seat.holder == week.bob and week.seat.shift.ends_at == b
    tail = Seat.objects.get(shift__starts_at=b, role="primary")
    assert tail.holder == week.requester and tail.shift.ends_at == datetime(
        2027, 3, 28, 8, 0, tzinfo=UTC
    )
    change = SeatChange.objects.get(version=version.number, seat=week.seat)
    assert (change.old_holder, change.new_holder) == (week.requester, week.bob)


@pytest.mark.parametrize(
    "window",
    [
        (
            datetime(2027, 3, 27, 8, 0, tzinfo=UTC),
            datetime(2027, 3, 27, 12, 0, tzinfo=UTC),
        ),  # starts before
        (
            datetime(2027, 3, 27, 12, 0, tzinfo=UTC),
            datetime(2027, 3, 27, 12, 0, tzinfo=UTC),
        ),  # empty
        (
            datetime(2027, 3, 27, 9, 0, tzinfo=UTC),
            datetime(2027, 3, 28, 8, 0, tzinfo=UTC),
        ),  # whole shift
    ],
)
def test_split_refuses_windows_that_are_not_a_proper_part(week, window):
    with pytest.raises(WrongState):
        split_for_cover(
            seat=week.seat,
            starts_at=window[0],
            ends_at=window[1],
            new_holder=week.alice,
            by=week.alice,
        )
    assert Shift.objects.filter(period=week.period).count() == 7
    assert RotaVersion.objects.filter(period=week.period).count() == 1


@pytest.mark.parametrize(("reason", "version_emails"), [("cover", 0), ("edit", 2)])
def test_only_non_cover_moves_send_the_rota_version_email(
    week, reason, version_emails, django_capture_on_commit_callbacks
):
    from django.core import mail

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reassign_seat(seat=week.seat, new_holder=week.alice, by=week.alice, reason=reason)
    rota_mails = [m for m in mail.outbox if " rota " in m.subject]
    # The cover app tells the requester, the new holder, the partner and the manager itself.
    assert len(rota_mails) == version_emails
