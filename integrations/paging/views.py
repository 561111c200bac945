"""Paging actions of the Integrations page, and the paging feed itself."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts.access import manager_membership_or_403
from accounts.requests import AuthedRequest
from integrations.paging import feed, services
from integrations.paging.access import manager_link_or_404
from integrations.paging.errors import PagingError
from integrations.paging.forms import FeedForm, HistoryForm, LinkForm
from integrations.paging.models import PagingFeed
from rota.feedback import form_errors


def _back(slug: str) -> HttpResponse:
    return redirect("webhooks:integrations", slug=slug)


@login_required
@require_POST
def connect(request: AuthedRequest, slug: str) -> HttpResponse:
    """Connect a rota role to a PagerDuty or Opsgenie schedule."""
    membership = manager_membership_or_403(request.user, slug)
    form = LinkForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return _back(slug)
    try:
        link = services.connect(team=membership.team, by=request.user, **form.cleaned_data)
    except PagingError as error:
        messages.error(request, str(error))
        return _back(slug)
    messages.success(
        request, f"{link.get_provider_display()} connected: published {link.role} seats follow."
    )
    return _back(slug)


@login_required
@require_POST
def sync_now(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """Sync a link now."""
    _, link = manager_link_or_404(request.user, slug, pk)
    services.sync_now(link=link)
    messages.success(request, f"Syncing {link.get_provider_display()} now.")
    return _back(slug)


@login_required
@require_POST
def disconnect(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """Disconnect a link."""
    _, link = manager_link_or_404(request.user, slug, pk)
    services.disconnect(link=link, by=request.user)
    messages.success(request, f"{link.get_provider_display()} disconnected.")
    return _back(slug)


@login_required
@require_POST
def feed_create(request: AuthedRequest, slug: str) -> HttpResponse:
    """Make or renew a role's paging feed address."""
    membership = manager_membership_or_403(request.user, slug)
    form = FeedForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return _back(slug)
    services.create_feed(team=membership.team, role=form.cleaned_data["role"], by=request.user)
    messages.success(request, "Paging feed address ready; an older address stops working.")
    return _back(slug)


@login_required
@require_POST
def import_history(request: AuthedRequest, slug: str) -> HttpResponse:
    """Import past shifts from PagerDuty or an ICS address."""
    membership = manager_membership_or_403(request.user, slug)
    form = HistoryForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return _back(slug)
    data = form.cleaned_data
    try:
        if data["source"] == "pagerduty":
            result = services.import_pagerduty_history(
                team=membership.team,
                role=data["role"],
                schedule_id=data["schedule_id"],
                api_key=data["api_key"],
                days=data["days"],
                by=request.user,
            )
        else:
            result = services.import_ics_history(
                team=membership.team, role=data["role"], url=data["url"], by=request.user
            )
    except PagingError as error:
        messages.error(request, f"Nothing imported: {error}")
        return _back(slug)
    text = f"Imported {result.imported} past shifts"
    if result.skipped_existing:
        text += f"; {result.skipped_existing} were already there"
    if result.unmatched:
        text += f"; no member has the address {', '.join(sorted(result.unmatched)[:5])}"
    messages.success(request, text + ".")
    return _back(slug)


@require_safe
def paging_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Serve a role's paging feed (the address is the secret)."""
    row = feed.feed_for_token(token)
    if row is None:
        raise Http404("No such feed.")
    PagingFeed.objects.filter(pk=row.pk).update(last_read_at=timezone.now())
    response = HttpResponse(feed.render(row), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
