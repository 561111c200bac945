"""What can go wrong talking to a paging tool."""

from __future__ import annotations


class PagingError(Exception):
    """A paging action failed; the message is meant for the team's managers."""


class Retryable(PagingError):
    """Rate limited, a 5xx or no connection: try again later (after retry_after seconds)."""

    def __init__(self, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Refused(PagingError):
    """The tool refused the request (bad key, unknown user or schedule): a person must fix it."""
