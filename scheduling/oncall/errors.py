"""What can go wrong with on-call pages and tokens, in words people read."""

from __future__ import annotations


class OncallError(Exception):
    """An on-call action the rules do not allow."""


class NotAHolder(OncallError):
    pass


class HandoverClosed(OncallError):
    pass


class TokenAlreadyRevoked(OncallError):
    pass
