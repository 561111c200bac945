"""What can go wrong with webhooks, in words people read."""

from __future__ import annotations


class WebhookError(Exception):
    """A webhook action cannot be done; the message is meant for the manager."""


class SendError(Exception):
    """The request did not get an HTTP answer; the message says why, for the delivery log."""
