"""CalDAV push: connect a person's calendar, then PUT or DELETE only the entries that changed."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import caldav
import requests
from caldav.lib import error as caldav_error
from django.conf import settings
from django.db import DatabaseError, transaction
from django.db import connection as db_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from accounts import audit
from accounts.models import User
from calendars import content
from calendars.errors import (  # noqa: F401 (callers read them from here too)
    CalendarsError,
    PushError,
    Retryable,
    Unauthorized,
)
from calendars.ical import resource
from calendars.models import CalendarEntry, Channel, Delivery, PushState, PushTarget
from rota import http, outbox, urlguard

log = logging.getLogger(__name__)


def claim_for() -> timedelta:
    """Return how long a push claim lasts: a dead worker blocks a person's pushes no longer."""
    return timedelta(seconds=settings.PUSH_CLAIM_SECONDS)


MAX_BACKOFF_MINUTES = 60


def backoff(attempts: int) -> timedelta:
    """Return the wait after the n-th failure: 1, 2, 4 … 60 minutes."""
    return timedelta(minutes=min(MAX_BACKOFF_MINUTES, 2 ** max(0, attempts - 1)))


def client_for(*, url: str, username: str, password: str) -> caldav.DAVClient:
    """Return a CalDAV client whose every request goes through the address guard."""
    client = caldav.DAVClient(
        url=url,
        username=username,
        password=password,
        # Basic auth up front: no extra unauthenticated round trip per request.
        auth=requests.auth.HTTPBasicAuth(username, password),
        timeout=settings.URL_FETCH_TIMEOUT,
    )
    client.session = http.bounded_session(
        max_bytes=settings.CALENDAR_IMPORT_MAX_BYTES, timeout=settings.URL_FETCH_TIMEOUT
    )
    return client


def _call(action):
    """Run one CalDAV call, translating failures into Unauthorized, Retryable or PushError."""
    try:
        response = action()
    except caldav_error.AuthorizationError as error:
        raise Unauthorized(
            f"The server refused the user name or password ({error.reason})."
        ) from None
    except (http.FetchTimeout, http.Unreachable) as error:
        raise Retryable(str(error)) from None
    except urlguard.FetchError as error:
        raise PushError(str(error)) from None
    except etree.LxmlError:
        raise PushError("The calendar server sent a malformed answer.") from None
    except requests.Timeout:
        raise Retryable("The calendar server did not answer in time.") from None
    except requests.ConnectionError:
        raise Retryable("Could not connect to the calendar server.") from None
    except requests.RequestException as error:
        raise Retryable(f"The request failed: {error}.") from None
    status = getattr(response, "status", 200)
    if status >= 500:
        raise Retryable(f"The calendar server answered {status}.")
    return response


def find_or_create_calendar(
    *, server_url: str, username: str, password: str, name: str
) -> tuple[str, str]:
    """Return (url, name) of the named calendar on the account, creating it when missing."""
    try:
        urlguard.check_url(server_url)
    except urlguard.FetchError as error:
        raise PushError(str(error)) from None
    client = client_for(url=server_url, username=username, password=password)
    try:
        principal = _call(client.principal)
        for calendar in _call(principal.calendars):
            if (calendar.name or "").strip().lower() == name.strip().lower():
                return str(calendar.url), calendar.name
        calendar = _call(lambda: principal.make_calendar(name=name))
        return str(calendar.url), name
    except caldav_error.DAVError as error:
        raise PushError(
            f"The server did not accept the request ({error.__class__.__name__})."
        ) from None
    except (LookupError, AttributeError, TypeError, ValueError, AssertionError):
        # A broken or hostile server trips the library: say so on the form, never a 500.
        raise PushError("The calendar server sent an answer Rota could not understand.") from None


def _event_url(target: PushTarget, entry: CalendarEntry) -> str:
    return target.calendar_url.rstrip("/") + "/" + entry.resource_name


def _claim(target: PushTarget, now: datetime) -> bool:
    """Take the target's push claim race-free; False when another push holds it."""
    return bool(
        PushTarget.objects.filter(pk=target.pk)
        .filter(Q(pushing_until__isnull=True) | Q(pushing_until__lt=now))
        .update(pushing_until=now + claim_for())
    )


def _release(target: PushTarget) -> None:
    """Give the claim back, on a fresh connection if the push broke the one it had."""
    for attempt in range(2):
        try:
            PushTarget.objects.filter(pk=target.pk).update(pushing_until=None)
            return
        except DatabaseError:
            if attempt or db_connection.in_atomic_block:
                log.warning("Could not release the push claim of %s; it expires", target.pk)
                return
            db_connection.close()  # the next query opens a new connection


# A push that finds the claim taken leaves its changes to the holder, which looks again after
# each round (a change queued meanwhile is seen then); a few rounds cover changes that keep
# arriving while a slow server answers.
MAX_ROUNDS = 5


def push_pending(*, user: User) -> int:
    """PUT or DELETE each due CalDAV delivery of the person; return how many were delivered."""
    delivered = 0
    for _ in range(MAX_ROUNDS):
        target = PushTarget.objects.filter(user=user).first()
        now = timezone.now()
        if target is None or target.is_broken:
            break  # a broken connection keeps its pending changes until it is fixed
        due = list(
            Delivery.objects.due(now)
            .filter(channel=Channel.CALDAV, entry__user=user)
            .select_related("entry__seat__shift__team", "entry__user")
        )
        if not due or not _claim(target, now):
            break
        try:
            if target.is_removing:
                delivered += _remove(target, due, now)
            else:
                delivered += _deliver(target, due, now)
        finally:
            _release(target)
    return delivered


def _remove(target: PushTarget, due: list[Delivery], now: datetime) -> int:
    """DELETE the events Rota put in the calendar; forget the connection once none is left."""
    client = client_for(url=target.server_url, username=target.username, password=target.password)
    removed = 0
    for index, delivery in enumerate(due):
        url = _event_url(target, delivery.entry)
        try:
            response = _call(lambda url=url: client.delete(url))
            if response.status >= 400 and response.status not in (404, 410):
                raise PushError(f"The server refused to delete the event ({response.status}).")
        except Retryable as error:
            _postpone(due[index:], str(error), now)
            _note_error(target, str(error), now)
            return removed
        except PushError as error:
            # Refused (a changed password, a read-only calendar): what is left stays there.
            log.warning("Stopped removing %s's pushed events: %s", target.user_id, error)
            Delivery.objects.filter(entry__user_id=target.user_id, channel=Channel.CALDAV).delete()
            break
        delivery.delete()
        removed += 1
    if not Delivery.objects.filter(entry__user_id=target.user_id, channel=Channel.CALDAV).exists():
        PushTarget.objects.filter(pk=target.pk, state=PushState.REMOVING).delete()
    return removed


def _deliver(target: PushTarget, due: list[Delivery], now: datetime) -> int:
    client = client_for(url=target.server_url, username=target.username, password=target.password)
    context = content.load_context(
        {d.entry.seat.shift_id for d in due},
        {d.entry.seat.shift.team_id for d in due},
        {target.user_id},
    )
    delivered = 0
    for index, delivery in enumerate(due):
        entry = delivery.entry
        url = _event_url(target, entry)
        try:
            if entry.is_cancelled:
                response = _call(lambda url=url: client.delete(url))
                if response.status >= 400 and response.status not in (404, 410):
                    raise PushError(f"The server refused to delete the event ({response.status}).")
            else:
                body = resource(content.entry_event(entry, context=context, now=now)).decode()
                response = _call(
                    lambda url=url, body=body: client.put(
                        url, body, headers={"Content-Type": "text/calendar; charset=utf-8"}
                    )
                )
                if response.status >= 400:
                    raise PushError(f"The server refused the event ({response.status}).")
        except Unauthorized as error:
            _mark_broken(target, str(error))
            return delivered
        except Retryable as error:
            # The server is down or slow: every remaining delivery waits for the same back-off.
            _postpone(due[index:], str(error), now)
            _note_error(target, str(error), now)
            return delivered
        except PushError as error:
            _postpone([delivery], str(error), now)
            _note_error(target, str(error), now)
            continue
        # Only clear "pending" if no newer version was queued while this one travelled.
        Delivery.objects.filter(pk=delivery.pk, wanted_sequence=entry.sequence).update(
            pending=False,
            delivered_sequence=entry.sequence,
            delivered_at=now,
            attempts=0,
            last_error="",
        )
        delivered += 1
    if delivered:
        PushTarget.objects.filter(pk=target.pk).update(last_push_at=now)
        if delivered == len(due):
            PushTarget.objects.filter(pk=target.pk).update(last_error="", last_error_at=None)
    return delivered


def _postpone(deliveries: list[Delivery], message: str, now: datetime) -> None:
    for delivery in deliveries:
        attempts = delivery.attempts + 1
        Delivery.objects.filter(pk=delivery.pk).update(
            attempts=attempts, next_attempt_at=now + backoff(attempts), last_error=message[:500]
        )


def _note_error(target: PushTarget, message: str, now: datetime) -> None:
    PushTarget.objects.filter(pk=target.pk).update(last_error=message[:500], last_error_at=now)


def _mark_broken(target: PushTarget, message: str) -> None:
    """Stop pushing until the owner fixes the credentials; tell them once."""
    now = timezone.now()
    with transaction.atomic():
        flipped = PushTarget.objects.filter(pk=target.pk, state=PushState.OK).update(
            state=PushState.BROKEN,
            last_error=message[:500],
            last_error_at=now,
            broken_notified_at=now,
        )
        if not flipped:
            return
        audit.record(
            action="calendars.push_broken",
            summary=f"Push to {target.calendar_name} of {target.user.name} stopped: {message}",
            actor=None,
            target=target,
        )
        user = target.user
        context = {
            "user": user,
            "target": target,
            "error": message,
            "link": settings.SITE_URL + reverse("calendars:home"),
        }
        outbox.mail(
            key=f"push-broken:{target.pk}:{now.timestamp():.0f}",
            kind="push-broken",
            subject="[Rota] Your on-call calendar stopped updating",
            body=render_to_string("calendars/email/push_broken.txt", context),
            to=[user.contact_email],
        )
