"""The team rota for everyone: the published period read-only, and the timeline."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.models import Membership
from accounts.requests import AuthedRequest
from scheduling.rotas import published
from scheduling.rotas.access import member_period_or_404
from scheduling.rotas.models import RotaPeriod

TIMELINE_DAYS = 7


def published_period(
    request: HttpRequest, membership: Membership, period: RotaPeriod
) -> HttpResponse:
    """Render a published period for a member: who holds each seat, nothing to edit."""
    context = {
        "team": period.team,
        "membership": membership,
        "period": period,
        "sections": published.cached_sections(period),
    }
    return render(request, "rotas/period_published.html", context)


def _start(request: HttpRequest, period: RotaPeriod, tz) -> date:
    """Return the first day shown: ?from=, else today inside the period, else its start."""
    try:
        start = date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        today = timezone.localdate(timezone=tz)
        start = today if period.starts_on <= today <= period.ends_on else period.starts_on
    last = period.ends_on - timedelta(days=TIMELINE_DAYS - 1)
    return min(max(start, period.starts_on - timedelta(days=1)), max(last, period.starts_on))


@login_required
@require_safe
def timeline(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """Show a week of the period as hours across days, a lane per role (or region and role)."""
    membership, period = member_period_or_404(request.user, slug, pk)
    tz = timezone.get_current_timezone()
    start = _start(request, period, tz)
    drafts = membership.is_manager and (period.version == 0 or request.GET.get("draft") == "1")
    by_region = request.GET.get("lanes") == "region"
    context = {
        "team": period.team,
        "membership": membership,
        "period": period,
        "drafts": drafts,
        "by_region": by_region,
        "timeline": published.timeline(
            period,
            start=start,
            days=TIMELINE_DAYS,
            tz=tz,
            drafts=drafts,
            by_region=by_region,
            viewer=request.user,
        ),
        "previous": start - timedelta(days=TIMELINE_DAYS),
        "next": start + timedelta(days=TIMELINE_DAYS),
        "last": start + timedelta(days=TIMELINE_DAYS - 1),
        "has_previous": start > period.starts_on,
        "has_next": start + timedelta(days=TIMELINE_DAYS) <= period.ends_on,
    }
    return render(request, "rotas/timeline.html", context)
