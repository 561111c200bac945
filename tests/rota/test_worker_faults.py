"""Worker faults: the worker is stopped while a publish is queued and started again; every
calendar change reaches CalDAV (Radicale) and email (SMTP sink) exactly once, and a later sweep
or a duplicate task message sends nothing more."""

from __future__ import annotations

import http.client
import json
import threading
import time
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import icalendar
import pytest
import redis

from calendars import services as calendars
from calendars import tasks
from calendars.models import CalendarEntry, CalendarPreferences, Delivery, ProcessedChange
from scheduling.rotas.models import SeatChange
from scheduling.rotas.services.publishing import publish
from tests.calendars.conftest import daily_shifts
from tests.calendars.factories import PeriodFactory, SeatFactory
from tests.factories import MembershipFactory, TeamFactory
from tests.journeys.conftest import caldav_events

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# 26–29 March 2027 in London: the Saturday shift is 23 hours long (clocks go forward).
FIRST, DAYS = date(2027, 3, 26), 4


@pytest.fixture
def celery_worker_env(smtp_sink) -> dict[str, str]:
    """Send the worker's mail to the test's SMTP sink."""
    return {"EMAIL_URL": f"smtp://127.0.0.1:{smtp_sink[1]}"}


class CountingProxy:
    """Forward HTTP to Radicale, counting each PUT and DELETE by path."""

    def __init__(self, upstream_port: int) -> None:
        self.writes: Counter[tuple[str, str]] = Counter()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.command in ("PUT", "DELETE"):
                    proxy.writes[(self.command, self.path)] += 1
                upstream = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                upstream.request(self.command, self.path, body=body, headers=headers)
                response = upstream.getresponse()
                data = response.read()
                self.send_response(response.status, response.reason)
                for name, value in response.getheaders():
                    if name.lower() not in ("transfer-encoding", "content-length", "connection"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                upstream.close()

            do_GET = do_PUT = do_DELETE = do_PROPFIND = do_REPORT = _forward  # noqa: N815
            do_MKCALENDAR = do_OPTIONS = do_PROPPATCH = do_HEAD = _forward  # noqa: N815

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/"


@pytest.fixture
def proxy(radicale) -> Iterator[CountingProxy]:
    server = CountingProxy(radicale.port)
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


def wait_for(what: str, check: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}")


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
    team = TeamFactory(timezone="Europe/London")
    manager = MembershipFactory(team=team, role="manager").user
    people = {"alice": MembershipFactory(team=team).user, "bob": MembershipFactory(team=team).user}
    for account, user in people.items():
        CalendarPreferences.objects.create(user=user, email_invites=True)
        calendars.connect_push(
            user=user,
            server_url=proxy.url,
            username=account,
            password=radicale.users[account],
            calendar_name="On call",
        )
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
    time.sleep(2)
    queue = redis.Redis.from_url(redis_url)
    waiting = Counter(
        json.loads(m)["headers"]["task"] for m in queue.lrange(celery_worker.queue, 0, -1)
    )
    assert waiting["calendars.tasks.process_change"] == changes, waiting
    assert ProcessedChange.objects.count() == 0 and not proxy.writes and not invitations(sink)

    restart_celery_worker()
    wait_for(
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
    time.sleep(2)
    assert queue.llen(celery_worker.queue) == 0
    assert sum(proxy.writes.values()) == changes
    assert invitations(sink) == Counter({(e.uid, 0, "REQUEST"): 1 for e in entries})
    assert ProcessedChange.objects.count() == changes
