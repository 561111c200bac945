"""An email backend for development: keep each message and print one line with its link."""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from email.header import decode_header, make_header

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

from rota.devmail import store

_lock = threading.Lock()


class EmailBackend(BaseEmailBackend):
    """Store messages for /dev/mail/ and print "Mail to … · subject · link" once per message."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        """Keep every message; return how many were kept."""
        sent = 0
        for message in email_messages:
            raw = message.message().as_bytes()
            mail_id = store.save(raw)
            subject = str(make_header(decode_header(str(message.subject or ""))))
            link = f"{settings.SITE_URL.rstrip('/')}/dev/mail/{mail_id}/"
            with _lock:
                sys.stdout.write(f"Mail to {', '.join(message.to)} · {subject} · {link}\n")
                sys.stdout.flush()
            sent += 1
        return sent
