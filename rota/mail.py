"""The email backend every message goes through: header values are made one line first.

Django refuses a header holding a line break (BadHeaderError) when the message is sent, that
is after the action that sends it has saved: a display or team name with a newline in it
would make the action fail half done. `SafeHeadersBackend` puts the subject, the addresses and
any extra header on one line (`rota.text.one_line`) and hands the message to the configured
backend (`ROTA_EMAIL_BACKEND`, from EMAIL_URL).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

from rota.text import one_line


def make_headers_safe(message: EmailMessage) -> EmailMessage:
    """Put every header value of the message on one line, in place; return it."""
    message.subject = one_line(str(message.subject or ""))
    message.from_email = one_line(str(message.from_email or "")) or message.from_email
    for attribute in ("to", "cc", "bcc", "reply_to"):
        setattr(message, attribute, [one_line(str(a)) for a in getattr(message, attribute)])
    message.extra_headers = {
        one_line(str(name)): one_line(str(value)) for name, value in message.extra_headers.items()
    }
    return message


class SafeHeadersBackend(BaseEmailBackend):
    """Send through ROTA_EMAIL_BACKEND after making every header one line."""

    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently)
        self.inner = get_connection(
            settings.ROTA_EMAIL_BACKEND, fail_silently=fail_silently, **kwargs
        )

    def open(self) -> Any:
        return self.inner.open()

    def close(self) -> None:
        self.inner.close()

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        return self.inner.send_messages([make_headers_safe(m) for m in email_messages])
