"""Workers recover in minutes: a worker SIGKILLed mid-publish, database connections terminated
during a push. Everything is delivered (CalDAV via Radicale, email via an SMTP sink) and
nothing twice."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import date

import psycopg
import pytest
from django.db import connection

from calendars.models import (
    CalendarEntry,
    Delivery,
    ProcessedChange,
    PushTarget,
)
from rota.models import OutboundEmail
from scheduling.rotas.models import SeatChange
from scheduling.rotas.services.publishing import publish
from tests.calendars.conftest import daily_shifts
from tests.calendars.factories import PeriodFactory, SeatFactory
from tests.faults.helpers import HookedProxy, pushing_team
from tests.rota.test_worker_faults import invitations
from tests.services import wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

FIRST, DAYS = date(2027, 3, 26), 4  # across the March 2027 change to BST in London
VISIBILITY = 8


@pytest.fixture
def celery_worker_env(smtp_sink) -> dict[str, str]:
    """Short visibility timeout and claims, and the test's SMTP sink."""
    return {
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_sink[1]}",
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
        "OUTBOX_CLAIM_SECONDS": "5",
        "PUSH_CLAIM_SECONDS": "5",
    }


@pytest.fixture
def proxy(radicale) -> Iterator[HookedProxy]:
    server = HookedProxy(radicale.port)
    try:
        yield server
    finally:
        server.close()


def _rota(proxy, radicale):
    team, manager, people = pushing_team(proxy, radicale)
    period = PeriodFactory(team=team)
    for shift in daily_shifts(team, period, FIRST, DAYS):
        SeatFactory(shift=shift, role="primary", proposed_holder=people["alice"])
        SeatFactory(shift=shift, role="secondary", proposed_holder=people["bob"])
    return manager, people, period


def _all_delivered(changes: int, sink) -> bool:
    return (
        ProcessedChange.objects.count() == changes
        and Delivery.objects.count() == 2 * changes
        and not Delivery.objects.filter(pending=True).exists()
        and not OutboundEmail.objects.exclude(status=OutboundEmail.Status.SENT).exists()
        and sum(invitations(sink).values()) >= changes
    )


def _summaries(sink) -> Counter[str]:
    return Counter(
        str(m["To"])
        for m in sink.messages
        if "rota" in str(m["Subject"]) and "version" in str(m["Subject"])
    )


def test_a_worker_killed_mid_publish_leaves_nothing_undelivered_and_nothing_twice(
    celery_worker, restart_celery_worker, radicale, proxy, smtp_sink
):
    sink, _ = smtp_sink
    manager, people, period = _rota(proxy, radicale)
    held = threading.Event()
    release = threading.Event()

    def hold_first(path: str) -> bool:
        if held.is_set():
            return True
        held.set()
        release.wait(timeout=60)
        return False  # the worker that sent it is dead by now: drop it

    proxy.before_put = hold_first
    publish(period=period, by=manager, confirm_unfilled=True)
    changes = SeatChange.objects.filter(seat__shift__period=period).count()
    wait_until("the worker to be in the middle of a push", held.is_set)
    celery_worker.kill()
    release.set()
    restart_celery_worker()

    wait_until(
        "everything delivered by a new worker",
        lambda: _all_delivered(changes, sink),
        timeout=VISIBILITY + 60,
    )
    entries = list(CalendarEntry.objects.all())
    assert len(entries) == changes
    puts = [n for (method, _), n in proxy.writes.items() if method == "PUT"]
    assert len(puts) == changes and set(puts) == {1}, proxy.writes
    assert invitations(sink) == Counter({(e.uid, 0, "REQUEST"): 1 for e in entries})
    assert _summaries(sink) == Counter({u.contact_email: 1 for u in people.values()})


def test_terminated_database_connections_during_a_push_delay_it_by_seconds(
    celery_worker, radicale, proxy, smtp_sink, postgres
):
    sink, _ = smtp_sink
    manager, people, period = _rota(proxy, radicale)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        own_pid = cursor.fetchone()[0]
    settings_dict = connection.settings_dict
    terminated = threading.Event()

    def terminate_once(path: str) -> bool:
        if not terminated.is_set():
            terminated.set()
            # Every backend of the test database but the test's own: the worker's included.
            with psycopg.connect(
                host=settings_dict.get("HOST") or "127.0.0.1",
                port=settings_dict.get("PORT") or 5432,
                user=settings_dict.get("USER") or "postgres",
                dbname=settings_dict["NAME"],
                autocommit=True,
            ) as admin:
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), %s)",
                    [own_pid],
                )
        return True

    proxy.before_put = terminate_once
    publish(period=period, by=manager, confirm_unfilled=True)
    changes = SeatChange.objects.filter(seat__shift__period=period).count()
    wait_until("the connections to be terminated", terminated.is_set)
    wait_until("everything delivered", lambda: _all_delivered(changes, sink), timeout=120)
    assert not PushTarget.objects.filter(pushing_until__isnull=False).exists()
    assert _summaries(sink) == Counter({u.contact_email: 1 for u in people.values()})
