"""Keep emails as .eml files and read them back, newest first."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from django.conf import settings

MAIL_ID = re.compile(r"^[0-9]{8}T[0-9]{6}-[0-9a-f]{8}$")


def folder() -> Path:
    """Return the mailbox folder, created if missing."""
    path = Path(settings.DEV_MAIL_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def save(raw: bytes) -> str:
    """Store one message; return its id."""
    mail_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    (folder() / f"{mail_id}.eml").write_bytes(raw)
    return mail_id


@dataclass
class Mail:
    id: str
    subject: str
    to: str
    sender: str
    date: datetime | None
    text: str = ""
    html: str = ""
    attachments: list[str] = field(default_factory=list)


def _parse(mail_id: str, raw: bytes, *, body: bool) -> Mail:
    message: EmailMessage = BytesParser(policy=policy.default).parsebytes(raw)
    date = message["Date"].datetime if message["Date"] else None
    mail = Mail(
        id=mail_id,
        subject=str(message["Subject"] or "(no subject)"),
        to=str(message["To"] or ""),
        sender=str(message["From"] or ""),
        date=date,
    )
    if body:
        for part in message.walk():
            if part.is_multipart():
                continue
            kind = part.get_content_type()
            name = part.get_filename()
            if name or kind not in ("text/plain", "text/html"):
                mail.attachments.append(name or kind)
            elif kind == "text/plain" and not mail.text:
                mail.text = part.get_content()
            elif kind == "text/html" and not mail.html:
                mail.html = part.get_content()
    return mail


def listing(limit: int = 200) -> list[Mail]:
    """Return the newest messages' headers."""
    files = sorted(folder().glob("*.eml"), reverse=True)[:limit]
    return [_parse(f.stem, f.read_bytes(), body=False) for f in files if MAIL_ID.match(f.stem)]


def get(mail_id: str) -> Mail | None:
    """Return one message with its text, or None."""
    if not MAIL_ID.match(mail_id):
        return None
    path = folder() / f"{mail_id}.eml"
    if not path.is_file():
        return None
    return _parse(mail_id, path.read_bytes(), body=True)


def clear() -> int:
    """Delete every stored message; return how many."""
    files = list(folder().glob("*.eml"))
    for f in files:
        f.unlink(missing_ok=True)
    return len(files)
