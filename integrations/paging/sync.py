"""Make a paging tool's overrides follow the published rota, one call per real change.

`plan(link)` compares the published seats of the link's role with the Override rows (the
outbox) and marks as pending only those whose wanted person or times changed. `push(link)`
claims pending rows one by one (a conditional update) and makes the calls: PagerDuty cannot
edit an override, so a changed seat deletes the old one and creates the new one; Opsgenie
replaces it with one PUT. A failure keeps the row pending with a back-off; nothing is dropped.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from integrations.paging import opsgenie, pagerduty
from integrations.paging.errors import PagingError, Refused, Retryable
from integrations.paging.models import CallLog, Override, OverrideState, Provider, ScheduleLink
from scheduling.rotas.models import Seat

log = logging.getLogger(__name__)
HORIZON = timedelta(days=180)
CLAIM_FOR = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=1)


def backoff(attempts: int, retry_after: int | None = None) -> timedelta:
    """Return the wait after the n-th failure: 1, 2, 4 … 60 minutes, at least Retry-After."""
    wait = timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))
    if retry_after is not None:
        wait = max(wait, timedelta(seconds=min(retry_after, MAX_BACKOFF.total_seconds())))
    return wait


def _wanted(link: ScheduleLink, now: datetime) -> dict[int, tuple[str, datetime, datetime]]:
    seats = (
        Seat.objects.published()
        .filter(
            shift__team_id=link.team_id,
            role=link.role,
            shift__ends_at__gt=now,
            shift__starts_at__lt=now + HORIZON,
        )
        .values_list("pk", "holder__email", "shift__starts_at", "shift__ends_at")
    )
    return {pk: (email or "", start, end) for pk, email, start, end in seats}


@transaction.atomic
def plan(*, link: ScheduleLink, now: datetime | None = None) -> int:
    """Mark the overrides whose seat changed as pending; return how many."""
    now = now or timezone.now()
    # The link's row lock makes concurrent plans of one link queue instead of racing.
    ScheduleLink.objects.select_for_update().filter(pk=link.pk).first()
    wanted = _wanted(link, now)
    rows = {
        o.seat_key: o
        for o in Override.objects.select_for_update().filter(link=link, ends_at__gt=now)
    }
    changed = 0
    for seat_key, (email, start, end) in wanted.items():
        row = rows.get(seat_key)
        if row is None:
            if email:
                Override.objects.create(
                    link=link,
                    seat_id=seat_key,
                    seat_key=seat_key,
                    email=email,
                    starts_at=start,
                    ends_at=end,
                    next_attempt_at=now,
                )
                changed += 1
            continue
        if (row.email, row.starts_at, row.ends_at) != (email, start, end):
            row.email, row.starts_at, row.ends_at = email, start, end
            _mark_pending(row, now)
            changed += 1
    for seat_key, row in rows.items():
        # The seat is gone, emptied or no longer in this role's rota: its override goes.
        if seat_key not in wanted and row.email:
            row.email = ""
            _mark_pending(row, now)
            changed += 1
    return changed


def _mark_pending(row: Override, now: datetime) -> None:
    row.state = OverrideState.SYNCED if row.in_sync else OverrideState.PENDING
    row.attempts = 0
    row.next_attempt_at = now
    row.updated_at = now
    row.save()


def _claim(pk: int, now: datetime) -> Override | None:
    claimed = Override.objects.due(now).filter(pk=pk).update(claimed_until=now + CLAIM_FOR)
    return Override.objects.select_related("link").get(pk=pk) if claimed else None


def _log(link: ScheduleLink, action: str, *, ok: bool = True, detail: str = "") -> None:
    CallLog.objects.create(link=link, action=action, ok=ok, detail=detail[:300])


def push(*, link: ScheduleLink, now: datetime | None = None) -> int:
    """Send the link's due overrides to the tool; return how many are now in sync."""
    now = now or timezone.now()
    done = 0
    api = pagerduty.client(link.api_key) if link.provider == Provider.PAGERDUTY else None
    users: dict[str, str] = {}
    for pk in Override.objects.due(now).filter(link=link).values_list("pk", flat=True):
        row = _claim(pk, now)
        if row is None:
            continue
        try:
            if link.provider == Provider.PAGERDUTY:
                _push_pagerduty(api, row, users)
            else:
                _push_opsgenie(row)
        except PagingError as error:
            retry_after = error.retry_after if isinstance(error, Retryable) else None
            row.attempts += 1
            row.claimed_until = None
            row.next_attempt_at = now + backoff(row.attempts, retry_after)
            row.last_error = str(error)[:300]
            row.save()
            ScheduleLink.objects.filter(pk=link.pk).update(
                last_error=str(error)[:300], last_error_at=now
            )
            _log(link, "sync", ok=False, detail=str(error))
            if not isinstance(error, Retryable):
                continue
            # The tool is down or limiting us: every pending override of the link waits too.
            Override.objects.filter(
                link=link, state=OverrideState.PENDING, next_attempt_at__lt=row.next_attempt_at
            ).update(next_attempt_at=row.next_attempt_at)
            break
        row.state = OverrideState.SYNCED
        row.claimed_until = None
        row.attempts = 0
        row.last_error = ""
        row.save()
        done += 1
    if done:
        ScheduleLink.objects.filter(pk=link.pk).update(last_synced_at=now)
        if (
            not Override.objects.filter(link=link, state=OverrideState.PENDING)
            .exclude(last_error="")
            .exists()
        ):
            ScheduleLink.objects.filter(pk=link.pk).update(last_error="", last_error_at=None)
    return done


def _synced(row: Override, remote_id: str) -> None:
    row.remote_id = remote_id
    if remote_id:
        row.synced_email, row.synced_starts_at, row.synced_ends_at = (
            row.email,
            row.starts_at,
            row.ends_at,
        )
    else:
        row.synced_email, row.synced_starts_at, row.synced_ends_at = "", None, None
    # Saved after each call, so a failure between a delete and a create is not repeated.
    row.save()


def _push_pagerduty(api, row: Override, users: dict[str, str]) -> None:
    link = row.link
    if row.in_sync:
        return
    if row.remote_id:
        pagerduty.delete_override(api, schedule_id=link.schedule_id, override_id=row.remote_id)
        _log(link, f"deleted override {row.remote_id}")
        _synced(row, "")
    if not row.email:
        return
    if row.email not in users:
        users[row.email] = pagerduty.user_id(api, row.email)
    remote = pagerduty.create_override(
        api,
        schedule_id=link.schedule_id,
        user=users[row.email],
        start=row.starts_at,
        end=row.ends_at,
    )
    _log(link, f"created override {remote} for {row.email}")
    _synced(row, remote)


def _push_opsgenie(row: Override) -> None:
    link = row.link
    if row.in_sync:
        return
    common = {"api_key": link.api_key, "schedule_id": link.schedule_id}
    if not row.email:
        if row.remote_id:
            opsgenie.delete_override(**common, alias=row.remote_id)
            _log(link, f"deleted override {row.remote_id}")
        _synced(row, "")
        return
    if row.remote_id:
        opsgenie.update_override(
            **common, alias=row.remote_id, email=row.email, start=row.starts_at, end=row.ends_at
        )
        _log(link, f"replaced override {row.remote_id} with {row.email}")
        _synced(row, row.remote_id)
        return
    try:
        alias = opsgenie.create_override(
            **common, seat_key=row.seat_key, email=row.email, start=row.starts_at, end=row.ends_at
        )
    except Refused as error:
        # 409: an earlier attempt created it but died before saving; replace it instead.
        if " 409" not in str(error):
            raise
        alias = opsgenie.alias_for(row.seat_key)
        opsgenie.update_override(
            **common, alias=alias, email=row.email, start=row.starts_at, end=row.ends_at
        )
    _log(link, f"created override {alias} for {row.email}")
    _synced(row, alias)


def sync(*, link_id: int) -> int:
    """Plan and push one link; return how many overrides went out."""
    link = ScheduleLink.objects.filter(pk=link_id).first()
    if link is None:
        return 0
    plan(link=link)
    return push(link=link)
