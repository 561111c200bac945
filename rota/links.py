"""Signed links for emails and calendar entries: bound to one person and one decision, expiring.

A link carries (person, action, object, decision key, expiry) signed with SECRET_KEY. Opening it
(GET) must only show a confirmation page: mail scanners prefetch links. The POST that acts calls
`consume()`, which records the decision key so the link, and any sibling link for the same
decision (agree and decline of one question), works once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone as dj_timezone

from rota.models import UsedLink

SALT = "rota.links.v1"


class LinkInvalid(Exception):
    """The link cannot be used; reason is tampered, expired, wrong_action, wrong_person or used."""

    MESSAGES = {
        "tampered": (
            "This link is damaged or was changed. "
            "Open it again from the original email or calendar entry."
        ),
        "expired": "This link has expired.",
        "wrong_action": "This link is for something else.",
        "wrong_person": (
            "This link was sent to someone else. Sign out, or open it from your own email."
        ),
        "used": "This link has already been used.",
    }

    def __init__(self, reason: str) -> None:
        super().__init__(self.MESSAGES[reason])
        self.reason = reason

    @property
    def message(self) -> str:
        return self.MESSAGES[self.reason]


@dataclass(frozen=True)
class Link:
    user_id: int
    action: str
    object_id: int
    decision: str
    expires_at: datetime

    def is_used(self) -> bool:
        """Tell whether the decision of this link was already taken."""
        return UsedLink.objects.filter(decision=self.decision).exists()


def make_token(
    *, user_id: int, action: str, object_id: int, expires_at: datetime, decision: str = ""
) -> str:
    """Return a signed token for one person, one action on one object, valid until expires_at."""
    payload = {
        "u": user_id,
        "a": action,
        "o": object_id,
        "d": decision or f"{action}:{object_id}:{user_id}",
        "e": int(expires_at.timestamp()),
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def read_token(token: str, *, action: str | tuple[str, ...], user=None) -> Link:
    """Verify a token's signature, expiry, action and (if signed in) person; raise LinkInvalid."""
    try:
        payload = signing.loads(token, salt=SALT)
        link = Link(
            user_id=int(payload["u"]),
            action=str(payload["a"]),
            object_id=int(payload["o"]),
            decision=str(payload["d"]),
            expires_at=datetime.fromtimestamp(int(payload["e"]), tz=UTC),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkInvalid("tampered") from None
    actions = (action,) if isinstance(action, str) else action
    if link.action not in actions:
        raise LinkInvalid("wrong_action")
    if link.expires_at <= dj_timezone.now():
        raise LinkInvalid("expired")
    if user is not None and user.is_authenticated and user.pk != link.user_id:
        raise LinkInvalid("wrong_person")
    return link


def consume(link: Link) -> None:
    """Record the link's decision as taken; raise LinkInvalid('used') if it already was."""
    try:
        with transaction.atomic():
            UsedLink.objects.create(
                decision=link.decision, user_id=link.user_id, action=link.action
            )
    except IntegrityError:
        raise LinkInvalid("used") from None
