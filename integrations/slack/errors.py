"""What can go wrong talking to Slack, in words people read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SlackFailure(Exception):
    """A call did not succeed: error is Slack's code (or our reason); retry_after in seconds."""

    error: str
    permanent: bool = False
    retry_after: int | None = None

    def __str__(self) -> str:
        return self.error


class InstallError(Exception):
    """The installation could not be completed; the message is for the manager."""
