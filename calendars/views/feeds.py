"""ICS feeds: a person's shifts and a team's, behind secret tokens, with ETag and Last-Modified."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from calendars import feeds

CONTENT_TYPE = "text/calendar; charset=utf-8"
BODY_SECONDS = 60


def _respond(
    request: HttpRequest, entries, *, token: str, name: str, for_team: bool, now, busy=None
) -> HttpResponse:
    version = feeds.version(entries, token)
    last_modified = int(version.last_modified.timestamp()) if version.last_modified else None
    # The name and the busy choice are part of the text, so they are part of its tag.
    tag = hashlib.sha256(f"{version.etag}|{name}|{busy}".encode()).hexdigest()[:32]
    etag = f'"{tag}"'
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return not_modified

    # Calendar apps poll: the same text is served for a minute without rendering it again.
    def body() -> bytes:
        return feeds.render(entries, name=name, now=now, for_team=for_team, busy=busy)

    try:
        text = cache.get_or_set(f"feed:{tag}", body, timeout=BODY_SECONDS)
    except Exception:  # a cache that is down costs a render, never the feed
        text = body()
    response = HttpResponse(text, content_type=CONTENT_TYPE)
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = "private, max-age=300"
    # The address is the secret: keep it out of referrers and search engines.
    response["X-Robots-Tag"] = "noindex"
    response["Content-Disposition"] = 'inline; filename="rota.ics"'
    return response


@require_safe
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Serve a person's shifts: the past 30 days and the next 12 months."""
    prefs = feeds.prefs_for_token(token)
    if prefs is None:
        raise Http404("No such feed.")
    now = timezone.now()
    response = _respond(
        request,
        feeds.personal_entries(prefs.user, now),
        token=token,
        name=feeds.personal_feed_name(prefs.user),
        for_team=False,
        now=now,
        busy=prefs.show_as_busy,
    )
    feeds.mark_read(prefs, now)
    return response


@require_safe
def team_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Serve everyone's shifts of a team."""
    team = feeds.team_for_token(token)
    if team is None:
        raise Http404("No such feed.")
    now = timezone.now()
    return _respond(
        request,
        feeds.team_entries(team, now),
        token=token,
        name=f"On call: {team.name}",
        for_team=True,
        now=now,
    )
