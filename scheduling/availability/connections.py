"""Calendar connections: add an ICS address or a CalDAV account, import busy blocks, sync state."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit

import caldav
import requests
from caldav.lib import error as caldav_error
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from accounts import audit, stamps
from accounts.models import User
from rota import http, outbox, urlguard
from rota.queue import after_commit
from scheduling.availability import ics_import, tasks
from scheduling.availability.errors import (  # noqa: F401 (callers read them from here too)
    CalendarFetchError,
)
from scheduling.availability.models import BusyBlock, CalendarConnection, ConnectionKind

IMPORT_DAYS = 90
FAILURES_BEFORE_EMAIL = 3


def _host_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}"


def normalise_ics_url(url: str) -> str:
    """Return the http(s) form of a calendar address (webcal:// is https://)."""
    url = url.strip()
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    if urlsplit(url).scheme not in ("http", "https"):
        raise CalendarFetchError("Enter an address starting with https://, http:// or webcal://.")
    return url


def _check(url: str) -> None:
    try:
        urlguard.check_url(url)
    except urlguard.FetchError as error:
        raise CalendarFetchError(str(error)) from None


def add_ics_connection(*, user: User, name: str, url: str) -> CalendarConnection:
    """Connect a calendar published as an .ics address and import it soon."""
    url = normalise_ics_url(url)
    _check(url)
    with transaction.atomic():
        connection = CalendarConnection.objects.create(
            user=user, kind=ConnectionKind.ICS, name=name, ics_url=url, display_host=_host_of(url)
        )
        audit.record(
            action="availability.connection_added",
            summary=f"{user.name} connected the calendar {name} ({connection.display_host})",
            actor=user,
            target=connection,
        )
        request_sync(connection=connection)
    return connection


def _client(*, url: str, username: str, password: str) -> caldav.DAVClient:
    client = caldav.DAVClient(
        url=url, username=username, password=password, timeout=settings.URL_FETCH_TIMEOUT
    )
    # Every request (and redirect hop) goes through the address guard, capped and in time.
    # One listing or import is a few requests: together they end within the timeout.
    client.session = http.bounded_session(
        max_bytes=settings.CALENDAR_IMPORT_MAX_BYTES,
        timeout=settings.URL_FETCH_TIMEOUT,
        total=settings.URL_FETCH_TIMEOUT,
    )
    return client


def _caldav_message(error: Exception) -> str:
    if isinstance(error, urlguard.FetchError):
        return str(error)
    if isinstance(error, etree.LxmlError):
        return "The CalDAV server sent a malformed answer (not valid XML)."
    if isinstance(error, caldav_error.AuthorizationError):
        return "The server refused the user name and app password (401 Unauthorized)."
    if isinstance(error, caldav_error.NotFoundError):
        return "The calendar was not found on the server (404); pick it again."
    if isinstance(error, requests.Timeout):
        return f"The server did not answer within {settings.URL_FETCH_TIMEOUT} seconds."
    if isinstance(error, requests.ConnectionError):
        return "Could not connect to the CalDAV server; check the address."
    if isinstance(error, caldav_error.DAVError):
        return f"The CalDAV server answered with an error: {str(error)[:200]}"
    return "The CalDAV server sent an answer Rota could not understand."


CALDAV_ERRORS = (
    urlguard.FetchError,
    caldav_error.DAVError,
    requests.RequestException,
    etree.LxmlError,
    ValueError,
    NotImplementedError,
    # A hostile or broken server can trip the library in many ways; none may become a 500.
    LookupError,
    AttributeError,
    TypeError,
    AssertionError,
)


def list_calendars(*, server_url: str, username: str, password: str) -> list[tuple[str, str]]:
    """Return (url, name) of the account's calendars, or raise CalendarFetchError saying why."""
    _check(server_url)
    try:
        with _client(url=server_url, username=username, password=password) as client:
            calendars = client.principal().calendars()
            return [(str(cal.url), cal.get_display_name() or str(cal.url)) for cal in calendars]
    except CALDAV_ERRORS as error:
        raise CalendarFetchError(_caldav_message(error)) from None


def add_caldav_connection(
    *, user: User, name: str, server_url: str, username: str, password: str
) -> tuple[CalendarConnection, list[tuple[str, str]]]:
    """Check the account by listing its calendars, then save it (the calendar is picked next)."""
    calendars = list_calendars(server_url=server_url, username=username, password=password)
    if not calendars:
        raise CalendarFetchError("The account has no calendars.")
    connection = CalendarConnection.objects.create(
        user=user,
        kind=ConnectionKind.CALDAV,
        name=name,
        server_url=server_url,
        display_host=_host_of(server_url),
        username=username,
        password=password,
    )
    audit.record(
        action="availability.connection_added",
        summary=f"{user.name} connected the CalDAV account {username} at {connection.display_host}",
        actor=user,
        target=connection,
    )
    return connection, calendars


def calendars_of(connection: CalendarConnection) -> list[tuple[str, str]]:
    """Return the calendars of a CalDAV connection's account."""
    return list_calendars(
        server_url=connection.server_url, username=connection.username, password=connection.password
    )


def pick_calendar(
    *, connection: CalendarConnection, calendar_url: str, by: User
) -> CalendarConnection:
    """Read this calendar of the account from now on, and import it soon."""
    names = dict(calendars_of(connection))
    if calendar_url not in names:
        raise CalendarFetchError(
            "That calendar is not in the account's list; pick one of the list."
        )
    with transaction.atomic():
        connection.calendar_url = calendar_url
        connection.calendar_name = names[calendar_url]
        connection.save(update_fields=["calendar_url", "calendar_name"])
        audit.record(
            action="availability.calendar_picked",
            summary=f"{by.name} picked the calendar {names[calendar_url]} for {connection.name}",
            actor=by,
            target=connection,
        )
        request_sync(connection=connection)
    return connection


def remove_connection(*, connection: CalendarConnection, by: User) -> None:
    """Disconnect a calendar and forget its busy blocks and secrets."""
    audit.record(
        action="availability.connection_removed",
        summary=f"{by.name} disconnected the calendar {connection.name}",
        actor=by,
        target=connection,
    )
    connection.delete()


def request_sync(*, connection: CalendarConnection) -> None:
    """Import the connection in the background once the current transaction commits."""
    pk = connection.pk
    after_commit(tasks.sync_connection, pk)  # broker down: the 30-minute sync reads it


def _read(connection: CalendarConnection, start: datetime, end: datetime):
    max_bytes = settings.CALENDAR_IMPORT_MAX_BYTES
    if connection.kind == ConnectionKind.ICS:
        data = http.get_body(
            connection.ics_url, max_bytes=max_bytes, timeout=settings.URL_FETCH_TIMEOUT
        )
        return ics_import.parse(data)
    client = _client(
        url=connection.server_url, username=connection.username, password=connection.password
    )
    with client:
        calendar = client.calendar(url=connection.calendar_url)
        found = calendar.search(event=True, start=start, end=end, expand=False)
        objects = [str(item.data) for item in found]
    if sum(len(text) for text in objects) > max_bytes:
        raise urlguard.FetchError(
            f"The calendar is larger than the limit of {max_bytes // (1024 * 1024)} MB."
        )
    return ics_import.combine(objects)


def import_connection(*, connection: CalendarConnection) -> int:
    """Re-read the calendar's next 90 days; on failure keep the last good blocks and say why."""
    now = timezone.now()
    start, end = now, now + timedelta(days=IMPORT_DAYS)
    try:
        calendar = _read(connection, start, end)
        blocks = ics_import.busy_blocks(calendar, start=start, end=end, zone=connection.user.tz)
    except ics_import.CalendarDataError as error:
        _record_failure(connection, str(error), now)
        return 0
    except CALDAV_ERRORS as error:
        _record_failure(connection, _caldav_message(error), now)
        return 0
    with transaction.atomic():
        # Lock the row: a "Sync now" and the periodic job must not interleave their writes.
        locked = CalendarConnection.objects.select_for_update().filter(pk=connection.pk).first()
        if locked is None:
            return 0
        kept = set(
            BusyBlock.objects.filter(connection=locked, overridden=True).values_list(
                "event_key", flat=True
            )
        )
        BusyBlock.objects.filter(connection=locked).delete()
        BusyBlock.objects.bulk_create(
            BusyBlock(
                connection=locked,
                user_id=locked.user_id,
                start=block.start,
                end=block.end,
                all_day=block.all_day,
                summary=block.summary,
                event_key=block.key,
                overridden=block.key in kept,
            )
            for block in blocks
        )
        CalendarConnection.objects.filter(pk=locked.pk).update(
            last_attempt_at=now,
            last_success_at=now,
            consecutive_failures=0,
            blocks_imported=len(blocks),
        )
        stamps.touch(users=[locked.user_id])
    return len(blocks)


def _record_failure(connection: CalendarConnection, message: str, now: datetime) -> None:
    with transaction.atomic():
        locked = CalendarConnection.objects.select_for_update().filter(pk=connection.pk).first()
        if locked is None:
            return
        failures = locked.consecutive_failures + 1
        CalendarConnection.objects.filter(pk=locked.pk).update(
            last_attempt_at=now,
            last_error=message[:500],
            last_error_at=now,
            consecutive_failures=failures,
        )
        stamps.touch(users=[locked.user_id])
        if failures == FAILURES_BEFORE_EMAIL:
            _email_failing(connection, message)


def _email_failing(connection: CalendarConnection, message: str) -> None:
    owner = connection.user
    link = settings.SITE_URL + reverse("availability:connections")
    context = {"person": owner, "connection": connection, "message": message, "link": link}
    outbox.mail(
        key=f"sync-failing:{connection.pk}:{timezone.now().timestamp():.0f}",
        kind="sync-failing",
        subject=f"[Rota] Your calendar {connection.name} cannot be read",
        body=render_to_string("availability/email/sync_failing.txt", context),
        to=[owner.contact_email],
    )
