"""What can go wrong with requirements, in words people read."""

from __future__ import annotations


class RequirementsError(Exception):
    """A requirement action that the rules do not allow."""


class WrongKind(RequirementsError):
    pass


class NotAllowed(RequirementsError):
    """The person may not decide this request (shown as 403)."""


class AlreadyDecided(RequirementsError):
    pass


class AlreadyPending(RequirementsError):
    pass
