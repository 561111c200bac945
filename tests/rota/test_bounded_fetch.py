"""Bounded fetches: oversized, dripping and malformed servers cost little memory and no more time.

Every server here runs on loopback (tests/rota/hostile_servers.py). Memory is the tracemalloc
peak during the call; time is the wall clock, which must stay within the timeout plus 2 s.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest

from calendars import push
from rota import http
from scheduling.availability import connections
from scheduling.availability.models import CalendarConnection, ConnectionKind
from tests.rota import hostile_servers as hostile

LIMIT = 1024 * 1024  # 1 MB
TIMEOUT = 2
MEMORY_CEILING = 4 * LIMIT  # the body twice (buffer and bytes) and a chunk, with room to spare


def measured(call: Callable[[], Any]) -> tuple[BaseException | None, float, int]:
    """Run call; return what it raised, how long it took and the peak of new allocations."""
    tracemalloc.start()
    started = time.monotonic()
    raised: BaseException | None = None
    try:
        call()
    except Exception as error:
        raised = error
    elapsed = time.monotonic() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return raised, elapsed, peak


def test_an_oversized_answer_is_refused_with_little_memory():
    with hostile.serve(hostile.oversized(megabytes=200)) as server:
        raised, elapsed, peak = measured(
            lambda: http.fetch("GET", server.url, max_bytes=LIMIT, timeout=TIMEOUT)
        )
    assert isinstance(raised, http.ResponseTooLarge), raised
    assert "larger than the limit of 1 MB" in str(raised)
    assert peak < MEMORY_CEILING, peak
    assert elapsed < TIMEOUT + 2


def test_a_declared_oversized_answer_is_refused_before_reading():
    body = b"x" * 5000
    with hostile.serve(hostile.fixed("200 OK", {}, body)) as server:
        with pytest.raises(http.ResponseTooLarge):
            http.fetch("GET", server.url, max_bytes=4000, timeout=TIMEOUT)
        assert http.fetch("GET", server.url, max_bytes=5000, timeout=TIMEOUT).body == body


@pytest.mark.parametrize("behaviour", [hostile.dripping(), hostile.dripping_headers()])
def test_a_dripping_server_is_cut_off_at_the_total_deadline(behaviour):
    with hostile.serve(behaviour) as server:
        raised, elapsed, peak = measured(
            lambda: http.fetch("GET", server.url, max_bytes=LIMIT, timeout=TIMEOUT)
        )
    assert isinstance(raised, http.FetchTimeout), raised
    assert "within 2 seconds" in str(raised)
    assert TIMEOUT - 0.5 < elapsed < TIMEOUT + 2
    assert peak < MEMORY_CEILING


def test_the_deadline_covers_every_redirect_hop():
    with hostile.serve(hostile.dripping()) as slow:
        hop = hostile.fixed("302 Found", {"Location": slow.url + "/cal.ics"})
        with hostile.serve(hop) as first:
            raised, elapsed, _peak = measured(
                lambda: http.fetch("GET", first.url, max_bytes=LIMIT, timeout=TIMEOUT)
            )
    assert isinstance(raised, http.FetchTimeout)
    assert elapsed < TIMEOUT + 2


def _authorization(request: bytes) -> list[bytes]:
    return [
        line
        for line in request.split(b"\r\n")
        if line.lower().startswith((b"authorization:", b"cookie:"))
    ]


def test_credentials_stay_with_the_origin_they_were_given_for():
    with hostile.serve(hostile.fixed("200 OK", {}, b"ok")) as other_port:
        hop = hostile.fixed("302 Found", {"Location": other_port.url + "/next"})
        with hostile.serve(hop) as first:
            response = http.fetch(
                "GET",
                first.url,
                headers={"Cookie": "session=1"},
                auth=("alice", "secret"),
                max_bytes=LIMIT,
                timeout=TIMEOUT,
            )
    assert response.body == b"ok"
    assert len(_authorization(first.requests[0])) == 2  # sent to the origin itself
    assert _authorization(other_port.requests[0]) == []  # the port changed: dropped


def test_credentials_follow_a_redirect_on_the_same_origin():
    def behave(conn, request):
        if request.startswith(b"GET /next"):
            hostile.fixed("200 OK", {}, b"ok")(conn, request)
        else:
            hostile.fixed("302 Found", {"Location": "/next"})(conn, request)

    with hostile.serve(behave) as server:
        http.fetch("GET", server.url, auth=("alice", "secret"), max_bytes=LIMIT, timeout=TIMEOUT)
    assert [len(_authorization(r)) for r in server.requests] == [1, 1]


def test_the_session_for_libraries_drops_credentials_across_origins_too():
    with hostile.serve(hostile.fixed("200 OK", {}, b"ok")) as other_port:
        hop = hostile.fixed("307 Temporary Redirect", {"Location": other_port.url + "/x"})
        with hostile.serve(hop) as first:
            session = http.bounded_session(max_bytes=LIMIT, timeout=TIMEOUT)
            response = session.request("PROPFIND", first.url, auth=("alice", "secret"), data="<x/>")
    assert response.content == b"ok"
    assert _authorization(other_port.requests[0]) == []
    assert other_port.requests[0].startswith(b"PROPFIND")  # 307 keeps the method


# --- CalDAV and ICS connections ----------------------------------------------------------------

MALFORMED = hostile.fixed(
    "207 Multi-Status", {"Content-Type": "application/xml"}, b"<d:multistatus><d:resp"
)


@pytest.fixture
def bounded(settings):
    settings.URL_FETCH_TIMEOUT = TIMEOUT
    settings.CALENDAR_IMPORT_MAX_BYTES = LIMIT


@pytest.mark.parametrize(
    ("behaviour", "message"),
    [
        (hostile.oversized("application/xml"), "larger than the limit"),
        (hostile.dripping("application/xml"), "did not answer within"),
        (MALFORMED, "malformed"),
        (hostile.fixed("207 Multi-Status", {"Content-Type": "text/xml"}, b"<a/>"), ""),
    ],
    ids=["oversized", "dripping", "malformed", "unexpected"],
)
def test_a_hostile_caldav_server_is_a_clear_error(bounded, behaviour, message):
    with hostile.serve(behaviour) as server:
        raised, elapsed, peak = measured(
            lambda: connections.list_calendars(
                server_url=server.url + "/dav/", username="alice", password="secret"
            )
        )
    assert isinstance(raised, connections.CalendarFetchError), repr(raised)
    assert message in str(raised)
    assert elapsed < TIMEOUT + 2
    assert peak < MEMORY_CEILING


@pytest.mark.parametrize(
    "behaviour",
    [hostile.oversized(), hostile.dripping(), hostile.dripping_headers()],
    ids=["oversized", "dripping", "dripping-headers"],
)
@pytest.mark.django_db
def test_a_hostile_ics_server_fails_the_import_not_the_worker(bounded, behaviour, engineer):
    with hostile.serve(behaviour) as server:
        connection = CalendarConnection.objects.create(
            user=engineer, kind=ConnectionKind.ICS, name="Hostile", ics_url=server.url
        )
        raised, elapsed, peak = measured(
            lambda: connections.import_connection(connection=connection)
        )
    assert raised is None
    connection.refresh_from_db()
    assert connection.consecutive_failures == 1 and connection.last_error
    assert elapsed < TIMEOUT + 2
    assert peak < MEMORY_CEILING


@pytest.mark.django_db
def test_a_malformed_caldav_answer_during_import_is_recorded(bounded, engineer):
    with hostile.serve(MALFORMED) as server:
        connection = CalendarConnection.objects.create(
            user=engineer,
            kind=ConnectionKind.CALDAV,
            name="Broken",
            server_url=server.url + "/dav/",
            calendar_url=server.url + "/dav/cal/",
            username="alice",
            password="secret",
        )
        assert connections.import_connection(connection=connection) == 0
    connection.refresh_from_db()
    assert "malformed" in connection.last_error


@pytest.mark.django_db
def test_a_malformed_caldav_server_on_the_connect_form_is_a_form_error(bounded, engineer_client):
    from django.urls import reverse

    with hostile.serve(MALFORMED) as server:
        response = engineer_client.post(
            reverse("availability:add_caldav"),
            {
                "name": "Broken",
                "server_url": server.url + "/dav/",
                "username": "alice",
                "password": "secret",
            },
        )
    assert response.status_code in (200, 400)
    assert b"malformed" in response.content


@pytest.mark.parametrize(
    ("behaviour", "error"),
    [(MALFORMED, push.PushError), (hostile.dripping("application/xml"), push.Retryable)],
    ids=["malformed", "dripping"],
)
def test_push_connect_to_a_hostile_server_is_a_push_error(bounded, behaviour, error):
    with hostile.serve(behaviour) as server:
        raised, elapsed, _peak = measured(
            lambda: push.find_or_create_calendar(
                server_url=server.url + "/dav/", username="a", password="b", name="Rota"
            )
        )
    assert isinstance(raised, error), repr(raised)
    assert elapsed < TIMEOUT + 2
