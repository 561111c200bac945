"""Domain exceptions of the cover app."""

from __future__ import annotations


class CoverError(Exception):
    """A cover action that the rules do not allow."""


class AlreadyCovered(CoverError):
    """Someone else agreed first, or the request was closed."""

    def __init__(
        self, message: str = "This shift is already covered. Thank you for offering."
    ) -> None:
        super().__init__(message)


class AskClosed(CoverError):
    """The question was already answered or is no longer needed."""


class NotFree(CoverError):
    """The person is on call or otherwise busy in that window."""
