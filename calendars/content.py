"""What a calendar entry says, built from the shift data: summary, description, links, fingerprint.

Everything works on plain rows (`SeatRow`, `Context`) fetched with `values_list`, so a feed of a
year of shifts renders in a few milliseconds with a constant number of queries.
"""

from __future__ import annotations

import hashlib
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from accounts.models import EscalationContact
from calendars.ical import EventData
from calendars.models import CalendarPreferences
from rota.links import make_token
from scheduling.rotas.models import Seat

CANT_MAKE_IT = "cant_make_it"
ROLE_LABELS = {"primary": "Primary", "secondary": "Secondary", "shadow": "Shadow"}


@dataclass(frozen=True)
class SeatRow:
    """One seat with its shift and team, as an entry needs it."""

    seat_id: int
    role: str
    shift_id: int
    starts_at: datetime
    ends_at: datetime
    label: str
    team_id: int
    team_name: str
    tzid: str

    @classmethod
    def of(cls, seat) -> SeatRow:
        """Return the row of a Seat loaded with its shift and team."""
        shift = seat.shift
        return cls(
            seat.pk,
            seat.role,
            shift.pk,
            shift.starts_at,
            shift.ends_at,
            shift.label,
            shift.team_id,
            shift.team.name,
            shift.team.timezone,
        )


SEAT_FIELDS = (
    "seat_id",
    "seat__role",
    "seat__shift_id",
    "seat__shift__starts_at",
    "seat__shift__ends_at",
    "seat__shift__label",
    "seat__shift__team_id",
    "seat__shift__team__name",
    "seat__shift__team__timezone",
)


@dataclass
class Context:
    """The partners, escalation contacts and busy choices a batch of entries needs."""

    # shift id → [(seat id, holder id, role, holder name, on-call phone)]
    partners: dict[int, list[tuple[int, int, str, str, str]]] = field(default_factory=dict)
    # team id → numbered lines, in escalation order
    contacts: dict[int, list[str]] = field(default_factory=dict)
    busy_users: set[int] = field(default_factory=set)


def load_context(shift_ids, team_ids: Iterable[int], user_ids: Iterable[int]) -> Context:
    """Load the context with three queries, whatever the number of shifts.

    shift_ids may be ids or a values_list subquery (a feed passes its own query: no huge IN list).
    """
    context = Context()
    team_ids, user_ids = set(team_ids), set(user_ids)
    if not isinstance(shift_ids, QuerySet):
        shift_ids = set(shift_ids)
    partners: dict[int, list[tuple[int, int, str, str, str]]] = defaultdict(list)
    if team_ids:
        rows = (
            Seat.objects.filter(shift_id__in=shift_ids, holder__isnull=False)
            .order_by("shift_id", "id")
            .values_list(
                "shift_id",
                "id",
                "holder_id",
                "role",
                "holder__display_name",
                "holder__email",
                "holder__oncall_phone",
            )
        )
        for shift_id, seat_id, holder_id, role, name, email, phone in rows:
            partners[shift_id].append((seat_id, holder_id, role, name or email, phone))
    context.partners = dict(partners)
    contacts: dict[int, list[str]] = defaultdict(list)
    if team_ids:
        contact_rows = (
            EscalationContact.objects.filter(team_id__in=team_ids)
            .order_by("team_id", "position", "id")
            .values_list("team_id", "name", "role", "phone", "email")
        )
        for team_id, name, role, phone, email in contact_rows:
            details = ", ".join(part for part in (role, phone, email) if part)
            number = len(contacts[team_id]) + 1
            contacts[team_id].append(f"{number}. {name}" + (f", {details}" if details else ""))
    context.contacts = dict(contacts)
    if user_ids:
        context.busy_users = set(
            CalendarPreferences.objects.filter(user_id__in=user_ids, show_as_busy=True).values_list(
                "user_id", flat=True
            )
        )
    return context


def summary(seat: SeatRow, person: str = "") -> str:
    """Return e.g. "On call: Payments — Primary", with the region and (team feeds) the person."""
    text = f"On call: {seat.team_name} — {ROLE_LABELS.get(seat.role, seat.role)}"
    if seat.label:
        text += f" ({seat.label})"
    if person:
        text += f": {person}"
    return text


@lru_cache(maxsize=4096)
def _local_texts(moment: datetime, tzid: str) -> tuple[str, str]:
    """Return ("Mon 2 Mar 2026 09:00", "09:00 on Mon 2 Mar"); cached: shifts share edges."""
    local = moment.astimezone(zoneinfo.ZoneInfo(tzid))
    day, month, clock = (
        DAYS[local.weekday()],
        MONTHS[local.month - 1],
        f"{local.hour:02d}:{local.minute:02d}",
    )
    return (
        f"{day} {local.day} {month} {local.year} {clock}",
        f"{clock} on {day} {local.day} {month}",
    )


DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def describe(seat: SeatRow, context: Context, *, cancelled: bool) -> str:
    """Return the description without the per-render links (so it can be fingerprinted)."""
    return _describe(
        seat,
        tuple(p for p in context.partners.get(seat.shift_id, ()) if p[0] != seat.seat_id),
        tuple(context.contacts.get(seat.team_id, ())),
        cancelled,
    )


@lru_cache(maxsize=20_000)
def _describe(seat: SeatRow, partners: tuple, contacts: tuple[str, ...], cancelled: bool) -> str:
    # Cached on everything the text depends on, so a stale text cannot come back.
    role = ROLE_LABELS.get(seat.role, seat.role)
    if cancelled:
        return (
            f"This {role.lower()} shift for {seat.team_name} is no longer yours: "
            "it was reassigned or removed from the rota."
        )
    start_when, start_at = _local_texts(seat.starts_at, seat.tzid)
    end_when, end_at = _local_texts(seat.ends_at, seat.tzid)
    lines = [
        f"Role: {role} on call for {seat.team_name}",
        f"When: {start_when} – {end_when} ({seat.tzid})",
        f"Handoff: take over at {start_at}, hand over at {end_at}",
    ]
    for _seat_id, _holder_id, partner_role, name, phone in partners:
        lines.append(
            f"Partner: {name} ({ROLE_LABELS.get(partner_role, partner_role)}), "
            f"{phone or 'no on-call phone set'}"
        )
    if not partners:
        lines.append("Partner: none, you are on your own for this shift")
    if contacts:
        lines.append("Escalate to, in order:")
        lines.extend(contacts)
    else:
        lines.append("Escalation contacts: none set for the team")
    return "\n".join(lines)


def fingerprint(seat: SeatRow, user_id: int, context: Context, *, cancelled: bool) -> str:
    """Return a hash of everything an entry says, so a re-publish without changes is recognised."""
    parts = [
        summary(seat),
        describe(seat, context, cancelled=cancelled),
        seat.starts_at.isoformat(),
        seat.ends_at.isoformat(),
        seat.tzid,
        str(user_id not in context.busy_users),
        str(cancelled),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@lru_cache(maxsize=8)
def _url_pattern(name: str) -> tuple[str, str]:
    """Return a one-argument route's absolute URL split around the argument (reverse is slow)."""
    marker = "0123456789"
    url = settings.SITE_URL + reverse(name, args=[marker])
    head, tail = url.split(marker, 1)
    return head, tail


def shift_url(shift_id: int) -> str:
    head, tail = _url_pattern("rotas:shift")
    return f"{head}{shift_id}{tail}"


@lru_cache(maxsize=50_000)
def _token(user_id: int, seat_id: int, expires: float) -> str:
    # A token stays valid until the shift ends, so feeds polled every hour can reuse it.
    return make_token(
        user_id=user_id,
        action=CANT_MAKE_IT,
        object_id=seat_id,
        expires_at=datetime.fromtimestamp(expires, UTC),
    )


def cant_make_it_url(*, user_id: int, seat_id: int, ends_at: datetime) -> str:
    """Return the signed "Can't make it?" link: this person, this seat, until the shift ends."""
    head, tail = _url_pattern("calendars:link")
    return f"{head}{_token(user_id, seat_id, ends_at.timestamp())}{tail}"


def event(
    *,
    seat: SeatRow,
    user_id: int,
    uid: str,
    sequence: int,
    cancelled: bool,
    changed_at: datetime,
    created_at: datetime,
    context: Context,
    now: datetime,
    person: str = "",
) -> EventData:
    """Return an entry's event; with `person` (team feeds) it names the holder, without link."""
    page = shift_url(seat.shift_id)
    links = f"Shift page: {page}"
    if not cancelled and not person and seat.ends_at > now:
        link = cant_make_it_url(user_id=user_id, seat_id=seat.seat_id, ends_at=seat.ends_at)
        links += f"\nCan't make it? {link}"
    return EventData(
        uid=uid,
        sequence=sequence,
        start=seat.starts_at,
        end=seat.ends_at,
        tzid=seat.tzid,
        summary=summary(seat, person),
        description=describe(seat, context, cancelled=cancelled) + "\n\n" + links,
        changed_at=changed_at,
        created_at=created_at,
        cancelled=cancelled,
        transparent=user_id not in context.busy_users,
        url=page,
    )


def entry_event(entry, *, context: Context, now: datetime) -> EventData:
    """Return the event of a CalendarEntry loaded with its seat, shift and team (push and email)."""
    return event(
        seat=SeatRow.of(entry.seat),
        user_id=entry.user_id,
        uid=entry.uid,
        sequence=entry.sequence,
        cancelled=entry.is_cancelled,
        changed_at=entry.changed_at,
        created_at=entry.created_at,
        context=context,
        now=now,
    )
