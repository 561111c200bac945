"""Checks on uploaded evidence: size, extension and the content's magic bytes."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

# extension -> the bytes such a file starts with
DEFAULT_EVIDENCE_TYPES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


def allowed_types() -> dict[str, tuple[bytes, ...]]:
    """Return the allowed extensions and their signatures, from settings."""
    allowed = getattr(settings, "EVIDENCE_ALLOWED_EXTENSIONS", None)
    if not allowed:
        return DEFAULT_EVIDENCE_TYPES
    return {ext: sig for ext, sig in DEFAULT_EVIDENCE_TYPES.items() if ext.lstrip(".") in allowed}


def validate_evidence(upload) -> None:
    """Reject a file that is too big, or whose name or content is not an allowed type."""
    limit = settings.MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"The file is {filesizeformat(upload.size)}; the limit is {filesizeformat(limit)}."
        )
    types = allowed_types()
    names = ", ".join(sorted({ext.lstrip(".").upper() for ext in types}))
    extension = PurePath(upload.name).suffix.lower()
    if extension not in types:
        raise ValidationError(f"Upload a {names} file.")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in types[extension]):
        raise ValidationError(
            f"This file is not really a {extension.lstrip('.').upper()}. Upload a {names} file."
        )
