"""The Slack outbox: queue a call once per key, send it once, retry with back-off, keep failures."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts import stamps
from accounts.models import User
from integrations.slack import client, linking, tasks
from integrations.slack.errors import SlackFailure
from integrations.slack.models import Call, CallState, Installation, UserGroup

log = logging.getLogger(__name__)

# A send that has not finished within the lease (a crashed worker) is tried again by the sweep.
LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 10
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
# What we keep of Slack's answer: enough to update the message later.
KEPT = ("channel", "ts", "usergroup_id")


def enqueue(
    *,
    installation: Installation,
    key: str,
    method: str,
    args: dict[str, Any] | None = None,
    recipient: User | None = None,
    url: str = "",
    after: Call | None = None,
) -> Call | None:
    """Queue a call unless one with this key exists; it is sent after the transaction commits."""
    try:
        with transaction.atomic():
            call = Call.objects.create(
                installation=installation,
                key=key[:120],
                method=method,
                args=args or {},
                recipient=recipient,
                url=url,
                after=after,
            )
    except IntegrityError:
        return None
    _send_on_commit(call.pk)
    return call


def _send_on_commit(pk: int) -> None:
    def send() -> None:
        try:
            tasks.deliver.delay(pk)
        except Exception:  # noqa: BLE001 (the row is committed; the minute sweep sends it)
            log.warning("Could not enqueue Slack call %s; the sweep will send it", pk)

    transaction.on_commit(send)


def backoff(attempts: int, retry_after: int | None = None) -> timedelta:
    """Return the wait before attempt number attempts + 1, honouring Slack's Retry-After."""
    wait = min(FIRST_WAIT * (2 ** max(attempts - 1, 0)), LONGEST_WAIT)
    if retry_after:
        wait = max(wait, timedelta(seconds=retry_after))
    return wait


def deliver(*, call_id: int, now: datetime | None = None) -> str | None:
    """Send one due call; return its new state, or None when it was not due or is gone."""
    now = now or timezone.now()
    # The claim: one conditional update, so two workers never send the same call together.
    claimed = (
        Call.objects.due(now)
        .filter(pk=call_id)
        .update(state=CallState.SENDING, next_attempt_at=now + LEASE, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    call = Call.objects.select_related("installation", "recipient", "after").get(pk=call_id)
    try:
        result = _perform(call)
    except _Wait as wait:
        _finish(call, state=CallState.PENDING, error=str(wait), at=now + wait.delay, undo=True)
    except _Skip as skip:
        _finish(call, state=CallState.SKIPPED, error=str(skip))
    except SlackFailure as failure:
        if failure.permanent or call.attempts >= MAX_ATTEMPTS:
            log.warning("Slack call %s failed for good: %s", call.pk, failure)
            _finish(call, state=CallState.FAILED, error=failure.error)
        else:
            delay = backoff(call.attempts, failure.retry_after)
            _finish(call, state=CallState.PENDING, error=failure.error, at=now + delay)
    else:
        kept = {k: result[k] for k in KEPT if result.get(k)}
        _finish(call, state=CallState.SENT, result=kept, sent_at=timezone.now())
        # Calls waiting for this answer (e.g. chat.update of this DM) can go now.
        for waiting in Call.objects.filter(after=call, state=CallState.PENDING):
            Call.objects.filter(pk=waiting.pk).update(next_attempt_at=timezone.now())
            _send_on_commit(waiting.pk)
    return Call.objects.filter(pk=call_id).values_list("state", flat=True).first()


class _Wait(Exception):
    def __init__(self, reason: str, delay: timedelta) -> None:
        super().__init__(reason)
        self.delay = delay


class _Skip(Exception):
    """The call is no longer needed or cannot be addressed; kept visible with the reason."""


def _finish(
    call: Call,
    *,
    state: str,
    error: str = "",
    at: datetime | None = None,
    result: dict | None = None,
    sent_at: datetime | None = None,
    undo: bool = False,
) -> None:
    values: dict[str, Any] = {"state": state, "last_error": error[:300]}
    if at is not None:
        values["next_attempt_at"] = at
    if result is not None:
        values["result"] = result
    if sent_at is not None:
        values["sent_at"] = sent_at
    if undo:
        values["attempts"] = F("attempts") - 1
    Call.objects.filter(pk=call.pk).update(**values)
    stamps.touch(teams=[call.installation.team_id])


def _perform(call: Call) -> dict[str, Any]:
    installation = call.installation
    args = dict(call.args)
    before = call.after
    if before is not None:
        if before.state in (CallState.FAILED, CallState.SKIPPED):
            raise _Skip("The message it would change was never sent.")
        if before.state != CallState.SENT:
            raise _Wait("Waiting for the message it changes.", FIRST_WAIT)
        args.update(channel=before.result.get("channel"), ts=before.result.get("ts"))
    if call.method == "response_url":
        client.post_response(call.url, args)
        return {}
    recipient = call.recipient
    if recipient is not None:
        slack_id = linking.slack_id_for(installation=installation, user=recipient)
        if not slack_id:
            raise _Skip(f"No Slack account in this workspace uses {recipient.email}.")
        args["channel"] = slack_id
    if call.method == "usergroups.users.update":
        return _sync_group(installation, args)
    return client.call(installation.bot_token, call.method, args)


def _sync_group(installation: Installation, args: dict[str, Any]) -> dict[str, Any]:
    """Make the role's user group hold exactly these people (creating it the first time)."""
    group = UserGroup.objects.get(installation=installation, role=args["role"])
    users = User.objects.filter(pk__in=args.get("user_ids", []))
    slack_ids = sorted(
        {
            sid
            for user in users
            if (sid := linking.slack_id_for(installation=installation, user=user))
        }
    )
    token = installation.bot_token
    if not group.usergroup_id:
        group.usergroup_id = _create_group(installation, group)
        UserGroup.objects.filter(pk=group.pk).update(usergroup_id=group.usergroup_id)
    if not slack_ids:
        # Slack keeps at least one member in a group; nobody on call means the group is disabled.
        if group.enabled:
            client.call(token, "usergroups.disable", {"usergroup": group.usergroup_id})
            UserGroup.objects.filter(pk=group.pk).update(enabled=False)
        return {"usergroup_id": group.usergroup_id}
    if not group.enabled:
        client.call(token, "usergroups.enable", {"usergroup": group.usergroup_id})
        UserGroup.objects.filter(pk=group.pk).update(enabled=True)
    client.call(
        token,
        "usergroups.users.update",
        {"usergroup": group.usergroup_id, "users": ",".join(slack_ids)},
    )
    return {"usergroup_id": group.usergroup_id}


def _create_group(installation: Installation, group: UserGroup) -> str:
    token = installation.bot_token
    name = f"{installation.team.name} {group.role} on call"
    try:
        data = client.call(token, "usergroups.create", {"name": name[:80], "handle": group.handle})
        return str(data["usergroup"]["id"])
    except SlackFailure as failure:
        if failure.error not in ("name_already_exists", "handle_already_exists"):
            raise
    # Created before (e.g. by an earlier install): find it by its handle.
    data = client.call(token, "usergroups.list", {"include_disabled": "true"})
    for existing in data.get("usergroups", []):
        if existing.get("handle") == group.handle:
            return str(existing["id"])
    raise SlackFailure(f"A user group named @{group.handle} exists but cannot be found.")


def sweep(*, now: datetime | None = None, limit: int = 200) -> int:
    """Send every due call (retries whose back-off ended, rows no worker took); return how many."""
    now = now or timezone.now()
    ids = list(
        Call.objects.due(now).order_by("next_attempt_at").values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if deliver(call_id=pk, now=now) is not None)


def retry(*, call: Call) -> bool:
    """Put a failed or skipped call back in the queue (a manager asked for it)."""
    done = Call.objects.filter(pk=call.pk, state__in=(CallState.FAILED, CallState.SKIPPED)).update(
        state=CallState.PENDING, next_attempt_at=timezone.now(), attempts=0
    )
    if done:
        stamps.touch(teams=[call.installation.team_id])
        _send_on_commit(call.pk)
    return bool(done)
