"""What can go wrong with accounts and teams, in words people read."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accounts.models import Invitation


class AccountsError(Exception):
    """A membership change that the rules do not allow."""


class AlreadyMember(AccountsError):
    """The person is in the team already."""


class LastManager(AccountsError):
    """The change would leave the team without a manager."""


class InvitationInvalid(AccountsError):
    """The invitation link cannot be used; reason is unknown, expired, used or revoked."""

    def __init__(self, reason: str, invitation: Invitation | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


class WrongAccount(AccountsError):
    """The invitation was sent to another email address than the signed-in account."""
