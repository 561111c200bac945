"""Worker faults: the worker is stopped while a publish is queued and started again; every
calendar change reaches CalDAV (Radicale) and email (SMTP sink) exactly once, and a later sweep
or a duplicate task message sends nothing more."""

from __future__ import annotations

import json
import zoneinfo
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, timedelta

import icalendar
import pytest
import redis

from calendars import tasks
from calendars.models import CalendarEntry, Delivery, ProcessedChange
from scheduling.rotas.models import SeatChange
from scheduling.rotas.services.publishing import publish
from tests.calendars.conftest import daily_shifts
from tests.calendars.factories import PeriodFactory, SeatFactory
from tests.faults.helpers import HookedProxy, pushing_team
from tests.journeys.conftest import caldav_events
from tests.services import wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# 26–29 March 2027 in London: the Saturday shift is 23 hours long (clocks go forward).
FIRST, DAYS = date(2027, 3, 26), 4


@pytest.fixture
def celery_worker_env(smtp_sink) -> dict[str, str]:
    """Send the worker's mail to the test's SMTP sink."""
    return {"EMAIL_URL": f"smtp://127.0.0.1:{smtp_sink[1]}"}


@pytest.fixture
def proxy(radicale) -> Iterator[HookedProxy]:
    # Counts every write; this module never holds or drops one.
    server = HookedProxy(radicale.port)
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


def invitations(sink) -> Counter[tuple[str, int, str]]:
    """Count the emailed iTIP events by (UID, SEQUENCE, METHOD)."""
    sent: Counter[tuple[str, int, str]] = Counter()
    for message in sink.messages:
        for part in message.walk():
            if part.get_content_type() == "text/calendar":
                calendar = icalendar.Calendar.from_ical(part.get_content())
                for event in calendar.walk("VEVENT"):
                    sent[(str(event["UID"]), int(event["SEQUENCE"]), str(calendar["METHOD"]))] += 1
    return sent


def test_a_publish_queued_while_the_worker_is_down_is_delivered_exactly_once(
    celery_worker, restart_celery_worker, radicale, proxy, smtp_sink, redis_url
):
    sink, _port = smtp_sink
    team, manager, people = pushing_team(proxy, radicale)
    period = PeriodFactory(team=team)
    shifts = daily_shifts(team, period, FIRST, DAYS)
    saturday = shifts[1]
    assert saturday.ends_at.astimezone(UTC) - saturday.starts_at.astimezone(UTC) == timedelta(
        hours=23
    )
    assert saturday.starts_at.astimezone(zoneinfo.ZoneInfo("Europe/London")).hour == 9
    for shift in shifts:
        SeatFactory(shift=shift, role="primary", proposed_holder=people["alice"])
        SeatFactory(shift=shift, role="secondary", proposed_holder=people["bob"])

    celery_worker.stop()
    publish(period=period, by=manager, confirm_unfilled=True)  # its tasks wait in Redis
    changes = SeatChange.objects.filter(seat__shift__period=period).count()
    assert changes == 2 * DAYS
    queue = redis.Redis.from_url(redis_url)

    def waiting() -> Counter[str]:
        messages = queue.lrange(celery_worker.queue, 0, -1)
        return Counter(json.loads(m)["headers"]["task"] for m in messages)

    wait_until(
        "the publish's tasks waiting in Redis",
        lambda: waiting()["calendars.tasks.process_change"] == changes,
    )
    assert ProcessedChange.objects.count() == 0 and not proxy.writes and not invitations(sink)

    worker = restart_celery_worker()
    wait_until(
        "every change delivered on both channels",
        lambda: (
            ProcessedChange.objects.count() == changes
            and Delivery.objects.count() == 2 * changes
            and not Delivery.objects.filter(pending=True).exists()
            and sum(invitations(sink).values()) >= changes
        ),
    )

    entries = list(CalendarEntry.objects.all())
    assert len(entries) == changes and {e.sequence for e in entries} == {0}
    account_of = {user.pk: account for account, user in people.items()}
    puts = {path: n for (method, path), n in proxy.writes.items() if method == "PUT"}
    assert sorted((p.split("/")[1], p.rsplit("/", 1)[1]) for p in puts) == sorted(
        (account_of[e.user_id], e.resource_name) for e in entries
    )
    assert set(puts.values()) == {1}
    for account, user in people.items():
        stored = caldav_events(radicale, account)
        assert {uid: int(event["SEQUENCE"]) for uid, event in stored.items()} == {
            e.uid: 0 for e in entries if e.user_id == user.pk
        }
    assert not [key for key in proxy.writes if key[0] == "DELETE"]
    assert invitations(sink) == Counter({(e.uid, 0, "REQUEST"): 1 for e in entries})

    # A minute's sweep (as beat runs it) and duplicate task messages (as a redelivery after a
    # crash would bring) find everything done: nothing is sent again.
    tasks.sweep.apply_async(ignore_result=False).get(timeout=30)
    for change_id in SeatChange.objects.values_list("pk", flat=True):
        tasks.process_change.apply_async((change_id,), ignore_result=False).get(timeout=30)
    for user in people.values():
        tasks.push_user.apply_async((user.pk,), ignore_result=False).get(timeout=30)
        tasks.send_invitations.apply_async((user.pk,), ignore_result=False).get(timeout=30)
    wait_until("the worker to finish what those tasks sent", lambda: worker.idle(redis_url))
    assert queue.llen(celery_worker.queue) == 0
    assert sum(proxy.writes.values()) == changes
    assert invitations(sink) == Counter({(e.uid, 0, "REQUEST"): 1 for e in entries})
    assert ProcessedChange.objects.count() == changes
