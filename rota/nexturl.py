"""Where a form goes back to: the local path it was sent from (?next=), never off-site."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def local_next(request: HttpRequest, default: str, *, value: str | None = None) -> str:
    """Return `value` (else POST/GET "next") if it is a path on this site, else `default`."""
    target = value if value is not None else request.POST.get("next") or request.GET.get("next", "")
    # A path, never a bare word: redirect() would try to reverse "0" as a view name and fail.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
