"""Calendar services: feed secrets, channel choices, CalDAV push targets, "Can't make it?"."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.models import Team, User
from calendars import push, sync
from calendars.errors import (  # noqa: F401 (callers read them from here too)
    CalendarsError,
    CoverRefused,
    NotYourShift,
)
from calendars.models import (
    CalendarEntry,
    CalendarPreferences,
    Channel,
    Delivery,
    EntryStatus,
    PushState,
    PushTarget,
    TeamFeed,
    new_token,
)
from rota.links import Link, consume
from scheduling.cover import services as cover_services
from scheduling.cover.errors import CoverError
from scheduling.rotas.errors import RotaError
from scheduling.rotas.models import Seat


@transaction.atomic
def regenerate_feed_token(*, user: User) -> CalendarPreferences:
    """Give the person a new feed address; the old one stops working at once."""
    prefs = CalendarPreferences.for_user(user)
    prefs.feed_token = new_token()
    prefs.token_created_at = timezone.now()
    prefs.feed_read_at = None
    prefs.save(update_fields=["feed_token", "token_created_at", "feed_read_at"])
    audit.record(
        action="calendars.feed_regenerated",
        summary=f"{user.name} replaced their calendar feed address",
        actor=user,
        target=prefs,
    )
    return prefs


@transaction.atomic
def regenerate_team_token(*, team: Team, by: User) -> TeamFeed:
    """Give the team feed a new address; the old one stops working at once."""
    feed = TeamFeed.for_team(team)
    feed.token = new_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    audit.record(
        action="calendars.team_feed_regenerated",
        summary=f"{by.name} replaced the team calendar feed address",
        actor=by,
        team=team,
        target=feed,
    )
    return feed


@transaction.atomic
def update_preferences(
    *, user: User, email_invites: bool, show_as_busy: bool
) -> CalendarPreferences:
    """Save the channel choices; invitations on sends current shifts, busy re-sends them."""
    prefs = CalendarPreferences.objects.select_for_update().get(
        pk=CalendarPreferences.for_user(user).pk
    )
    invites_on = email_invites and not prefs.email_invites
    busy_changed = show_as_busy != prefs.show_as_busy
    prefs.email_invites = email_invites
    prefs.show_as_busy = show_as_busy
    prefs.save(update_fields=["email_invites", "show_as_busy"])
    if not email_invites:
        # Nothing more goes out by email; what was sent stays in the person's calendar.
        Delivery.objects.filter(entry__user=user, channel=Channel.EMAIL, pending=True).update(
            pending=False
        )
    if busy_changed:
        resync_user(user=user)
    if invites_on:
        sync.queue_all(user_id=user.pk, channel=Channel.EMAIL)
    audit.record(
        action="calendars.preferences_changed",
        summary=f"{user.name} set email invitations {'on' if email_invites else 'off'}, "
        f"shifts shown as {'busy' if show_as_busy else 'free'}",
        actor=user,
        target=prefs,
    )
    return prefs


def resync_user(*, user: User) -> set[int]:
    """Re-check the person's current and future entries (after a change in how they are shown)."""
    shift_ids = set(
        CalendarEntry.objects.filter(
            user=user, seat__shift__ends_at__gt=timezone.now()
        ).values_list("seat__shift_id", flat=True)
    )
    users = sync.sync_shifts(shift_ids=shift_ids, at=timezone.now()) if shift_ids else set()
    transaction.on_commit(lambda: sync.enqueue_deliveries(users))
    return users


def connect_push(
    *, user: User, server_url: str, username: str, password: str, calendar_name: str
) -> PushTarget:
    """Find or create the named calendar on the account, then push every current shift to it."""
    calendar_url, name = push.find_or_create_calendar(
        server_url=server_url, username=username, password=password, name=calendar_name
    )
    with transaction.atomic():
        previous = (
            PushTarget.objects.filter(user=user).values_list("calendar_url", flat=True).first()
        )
        if previous and previous != calendar_url:
            # Another calendar has none of the events yet: send every current shift again.
            Delivery.objects.filter(entry__user=user, channel=Channel.CALDAV).delete()
        target, _created = PushTarget.objects.update_or_create(
            user=user,
            defaults={
                "server_url": server_url,
                "username": username,
                "password": password,
                "calendar_url": calendar_url,
                "calendar_name": name,
                "state": PushState.OK,
                "last_error": "",
                "last_error_at": None,
                "broken_notified_at": None,
            },
        )
        audit.record(
            action="calendars.push_connected",
            summary=f"{user.name} pushes shifts to the CalDAV calendar {name}",
            actor=user,
            target=target,
        )
        # Everything the calendar does not have yet, and whatever waited while it was broken.
        sync.queue_all(user_id=user.pk, channel=Channel.CALDAV)
        Delivery.objects.filter(entry__user=user, channel=Channel.CALDAV, pending=True).update(
            next_attempt_at=timezone.now(), attempts=0
        )
    return target


@transaction.atomic
def disconnect_push(*, user: User, remove_events: bool = False) -> None:
    """Stop pushing to the person's CalDAV calendar; optionally delete Rota's events from it.

    Removal runs in the background like any push (retried with back-off while the server is
    down); the connection is forgotten once the last event is gone.
    """
    target = PushTarget.objects.select_for_update().filter(user=user).first()
    if target is None:
        return
    deliveries = Delivery.objects.filter(entry__user=user, channel=Channel.CALDAV)
    audit.record(
        action="calendars.push_disconnected",
        summary=f"{user.name} stopped pushing shifts to {target.calendar_name}"
        + (" and asked Rota to remove them" if remove_events else ""),
        actor=user,
        target=target,
    )
    if not remove_events:
        deliveries.delete()
        target.delete()
        return
    # Every event the calendar holds (delivered at least once) is to be deleted; nothing else.
    deliveries.filter(delivered_sequence__isnull=True).delete()
    deliveries.update(pending=True, attempts=0, next_attempt_at=timezone.now(), last_error="")
    target.state = PushState.REMOVING
    target.save(update_fields=["state"])
    if not deliveries.exists():
        target.delete()
        return
    transaction.on_commit(lambda: sync.enqueue_deliveries({user.pk}))


def held_seat(link: Link) -> Seat:
    """Return the link's seat if its person still holds it; raise NotYourShift otherwise."""
    seat = Seat.objects.select_related("shift__team", "holder").filter(pk=link.object_id).first()
    if seat is None or seat.holder_id != link.user_id:
        raise NotYourShift(
            "This shift is no longer yours: it was reassigned or removed from the rota."
        )
    return seat


@transaction.atomic
def cant_make_it(*, link: Link, reason: str) -> None:
    """Record the person's "can't make it" once and open a cover request for the seat."""
    seat = held_seat(link)
    consume(link)  # raises LinkInvalid("used") for a second use of the same decision
    user = seat.holder
    assert user is not None
    audit.record(
        action="calendars.cant_make_it",
        summary=f"{user.name} can't make the {seat.role} shift of {seat.shift}",
        actor=user,
        team=seat.shift.team,
        target=seat,
        reason=reason,
    )
    try:
        cover_services.cant_make_it(seat=seat, user=user, reason=reason)
    except (RotaError, CoverError) as error:
        # e.g. a cover request is already open: undo the whole decision and say why.
        raise CoverRefused(str(error)) from error


def status_counts(*, user: User) -> dict[str, int]:
    """Return the person's pending deliveries per channel."""
    counts: dict[str, int] = {Channel.CALDAV: 0, Channel.EMAIL: 0}
    for channel in Delivery.objects.filter(entry__user=user, pending=True).values_list(
        "channel", flat=True
    ):
        counts[channel] = counts.get(channel, 0) + 1
    return counts


def upcoming_entries(*, user: User, limit: int = 5) -> list[CalendarEntry]:
    """Return the person's next confirmed entries, for the My calendar page."""
    return list(
        CalendarEntry.objects.filter(
            user=user, status=EntryStatus.CONFIRMED, seat__shift__ends_at__gt=timezone.now()
        )
        .select_related("seat__shift__team")
        .order_by("seat__shift__starts_at")[:limit]
    )
