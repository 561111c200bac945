"""On-call actions: handover notes, API tokens and reminder preferences."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.access import is_manager_of
from accounts.models import Team, User
from accounts.services import hash_token
from scheduling.oncall.errors import (  # noqa: F401 (callers read them from here too)
    HandoverClosed,
    NotAHolder,
    OncallError,
    TokenAlreadyRevoked,
)
from scheduling.oncall.lookup import HANDOVER_WINDOW, published_seats
from scheduling.oncall.models import HandoverNote, ReminderPreferences, TeamApiToken
from scheduling.rotas.models import Shift

TOKEN_PREFIX = "rota_"
# Writing last_used_at on every call would turn each page of an alerting tool into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def create_api_token(*, team: Team, name: str, by: User) -> tuple[TeamApiToken, str]:
    """Create a token for the team and return it with the secret, which is never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = TeamApiToken.objects.create(
            team=team, name=name.strip(), token_hash=hash_token(raw), prefix=raw[:12], created_by=by
        )
        audit.record(
            action="api_token.created",
            summary=f"{by.name} created the API token “{token.name}” ({token.prefix}…)",
            actor=by,
            team=team,
            target=token,
        )
    return token, raw


def revoke_api_token(*, token: TeamApiToken, by: User) -> None:
    """Revoke the token; alerting tools using it get 401 from now on."""
    with transaction.atomic():
        changed = TeamApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=by
        )
        if not changed:
            raise TokenAlreadyRevoked("This token was already revoked.")
        audit.record(
            action="api_token.revoked",
            summary=f"{by.name} revoked the API token “{token.name}” ({token.prefix}…)",
            actor=by,
            team=token.team,
            target=token,
        )


def authenticate_token(raw: str) -> TeamApiToken | None:
    """Return the active token matching the secret, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        TeamApiToken.objects.active()
        .select_related("team")
        .filter(token_hash=hash_token(raw))
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        TeamApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def can_write_handover(*, shift: Shift, user: User) -> bool:
    """Tell whether the user may write a handover note on the shift: a holder or a manager."""
    holds = published_seats().filter(shift=shift, holder=user).exists()
    return holds or is_manager_of(user, shift.team)


def handover_open(shift: Shift) -> bool:
    """Tell whether notes can still be written: until a while after the shift ended."""
    return timezone.now() < shift.ends_at + HANDOVER_WINDOW


def write_handover_note(*, shift: Shift, author: User, body: str) -> HandoverNote | None:
    """Save the author's handover note on the shift; an empty body removes it."""
    if not can_write_handover(shift=shift, user=author):
        raise NotAHolder("Only the people on this shift or a manager can write its handover note.")
    if not handover_open(shift):
        raise HandoverClosed("This shift ended too long ago for a handover note.")
    body = body.strip()
    with transaction.atomic():
        if not body:
            deleted, _ = HandoverNote.objects.filter(shift=shift, author=author).delete()
            if deleted:
                audit.record(
                    action="handover.removed",
                    summary=f"{author.name} removed their handover note on {shift}",
                    actor=author,
                    team=shift.team,
                    target=shift,
                )
            return None
        note, created = HandoverNote.objects.update_or_create(
            shift=shift, author=author, defaults={"body": body}
        )
        audit.record(
            action="handover.written" if created else "handover.edited",
            summary=(
                f"{author.name} {'wrote' if created else 'edited'} the handover note on {shift}"
            ),
            actor=author,
            team=shift.team,
            target=shift,
            note_id=note.pk,
        )
    return note


def preferences_for(user: User) -> ReminderPreferences:
    """Return the person's reminder preferences (all on until they change them)."""
    return ReminderPreferences.objects.filter(user=user).first() or ReminderPreferences(user=user)


def save_preferences(
    *, user: User, shift_start: bool, unfilled: bool, handover_missing: bool
) -> ReminderPreferences:
    """Store which reminders the person wants."""
    preferences, _ = ReminderPreferences.objects.update_or_create(
        user=user,
        defaults={
            "shift_start": shift_start,
            "unfilled": unfilled,
            "handover_missing": handover_missing,
        },
    )
    audit.record(
        action="reminders.preferences",
        summary=f"{user.name} changed their reminder preferences",
        actor=user,
        target=preferences,
        shift_start=shift_start,
        unfilled=unfilled,
        handover_missing=handover_missing,
    )
    return preferences
