"""Two managers publishing at once produce one version (PostgreSQL row locks)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from scheduling.rotas import services
from scheduling.rotas.models import RotaVersion, Seat, SeatChange

pytestmark = pytest.mark.services


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_publishes_make_one_version(postgres, period, crew, manager):
    for i, seat in enumerate(Seat.objects.filter(shift__period=period).order_by("pk")):
        Seat.objects.filter(pk=seat.pk).update(proposed_holder=crew[i % len(crew)])
    barrier = threading.Barrier(2)
    results: list = []
    errors: list = []

    def publish() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(services.publish(period=period, by=manager))
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(r is None for r in results) == [False, True]
    assert RotaVersion.objects.filter(period=period).count() == 1
    assert SeatChange.objects.filter(seat__shift__period=period).count() == 14
    period.refresh_from_db()
    assert period.version == 1
