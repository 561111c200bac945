"""Connect a team role to a paging tool's schedule, make paging feeds, import history."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import audit
from accounts.models import Team, User
from integrations.paging import feed, history, pagerduty, tasks
from integrations.paging.errors import PagingError
from integrations.paging.models import PagingFeed, Provider, ScheduleLink
from rota import http

MAX_HISTORY_DAYS = 730


def connect(
    *, team: Team, provider: str, role: str, schedule_id: str, api_key: str, by: User
) -> ScheduleLink:
    """Map the team role to the schedule; its published seats start following as overrides."""
    if provider not in Provider.values:
        raise PagingError("Choose PagerDuty or Opsgenie.")
    schedule_id, api_key = schedule_id.strip(), api_key.strip()
    if not schedule_id or not api_key:
        raise PagingError("Give the schedule's id and an API key.")
    try:
        with transaction.atomic():
            link = ScheduleLink.objects.create(
                team=team,
                provider=provider,
                role=role,
                schedule_id=schedule_id,
                api_key=api_key,
                created_by=by,
            )
            audit.record(
                action="paging.connected",
                summary=f"{by.name} connected the {role} rota to {link.get_provider_display()} "
                f"schedule {schedule_id}",
                actor=by,
                team=team,
                target=link,
            )
            transaction.on_commit(lambda: tasks.sync_link.delay(link.pk))
    except IntegrityError:
        raise PagingError(
            f"The {role} rota is already connected to {Provider(provider).label}; "
            "disconnect it first."
        ) from None
    return link


def disconnect(*, link: ScheduleLink, by: User) -> None:
    """Stop following; overrides already in the tool stay there."""
    audit.record(
        action="paging.disconnected",
        summary=f"{by.name} disconnected {link.get_provider_display()} schedule {link.schedule_id}",
        actor=by,
        team=link.team,
        target=link,
    )
    link.delete()


def sync_now(*, link: ScheduleLink) -> None:
    """Queue a sync of the link (the page's "Sync now")."""
    transaction.on_commit(lambda: tasks.sync_link.delay(link.pk))


def create_feed(*, team: Team, role: str, by: User) -> tuple[PagingFeed, str]:
    """Make (or renew, invalidating the old address) the role's paging feed; return its token."""
    token = feed.new_token()
    with transaction.atomic():
        row, _ = PagingFeed.objects.update_or_create(
            team=team,
            role=role,
            defaults={
                "token": token,
                "token_hash": feed.hash_token(token),
                "created_at": timezone.now(),
            },
        )
        audit.record(
            action="paging.feed_created",
            summary=f"{by.name} made a new paging feed address for the {role} rota",
            actor=by,
            team=team,
            target=row,
        )
    return row, token


def import_pagerduty_history(
    *,
    team: Team,
    role: str,
    schedule_id: str,
    api_key: str,
    days: int,
    by: User,
    now: datetime | None = None,
) -> history.ImportResult:
    """Import the schedule's past on-call periods as the role's completed shifts."""
    now = now or timezone.now()
    days = max(1, min(days, MAX_HISTORY_DAYS))
    api = pagerduty.client(api_key.strip())
    entries = list(
        pagerduty.oncalls(
            api, schedule_id=schedule_id.strip(), since=now - timedelta(days=days), until=now
        )
    )
    return history.import_entries(
        team=team, role=role, entries=entries, by=by, source="PagerDuty", now=now
    )


def import_ics_history(
    *, team: Team, role: str, url: str, by: User, now: datetime | None = None
) -> history.ImportResult:
    """Import the past events of an ICS URL (summary or attendee names the email)."""
    try:
        data = http.get_body(
            url, max_bytes=settings.CALENDAR_IMPORT_MAX_BYTES, timeout=settings.URL_FETCH_TIMEOUT
        )
    except http.FetchError as error:
        raise PagingError(str(error)) from None
    try:
        entries = history.entries_from_ics(data)
    except ValueError:
        raise PagingError("That address did not return an iCalendar file.") from None
    return history.import_entries(
        team=team, role=role, entries=entries, by=by, source="ICS", now=now
    )
