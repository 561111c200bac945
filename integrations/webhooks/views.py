"""The team's Integrations page (webhooks, paging tools, Slack) and the webhook actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from accounts.access import manager_membership_or_403
from accounts.requests import AuthedRequest
from integrations.paging.presenters import paging_section
from integrations.webhooks import presenters, services
from integrations.webhooks.access import manager_delivery_or_404, manager_endpoint_or_404
from integrations.webhooks.errors import WebhookError
from integrations.webhooks.forms import EndpointForm, EventsForm
from rota.feedback import form_errors

NEW_SECRET_SESSION_KEY = "webhooks_new_secret"


@login_required
@require_safe
def integrations(request: AuthedRequest, slug: str) -> HttpResponse:
    """Show the team's integrations: webhooks, paging tools and Slack, with recent deliveries."""
    membership = manager_membership_or_403(request.user, slug)
    team = membership.team
    new = request.session.pop(NEW_SECRET_SESSION_KEY, None)
    if new and new.get("team") != team.pk:
        new = None
    context = {
        "team": team,
        "membership": membership,
        "webhooks": presenters.webhook_section(team),
        "endpoint_form": EndpointForm(),
        "new_secret": new,
        "paging": paging_section(request, team),
    }
    return render(request, "integrations/page.html", context)


def _back(slug: str) -> HttpResponse:
    return redirect("webhooks:integrations", slug=slug)


@login_required
@require_POST
def endpoint_add(request: AuthedRequest, slug: str) -> HttpResponse:
    """Add a webhook endpoint and show its signing secret once."""
    membership = manager_membership_or_403(request.user, slug)
    form = EndpointForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return _back(slug)
    try:
        endpoint = services.add_endpoint(
            team=membership.team,
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
            description=form.cleaned_data["description"],
            by=request.user,
        )
    except WebhookError as error:
        messages.error(request, str(error))
        return _back(slug)
    request.session[NEW_SECRET_SESSION_KEY] = {
        "team": membership.team.pk,
        "url": endpoint.url,
        "secret": endpoint.secret,
    }
    messages.success(request, "Webhook added. Copy its signing secret now.")
    return _back(slug)


@login_required
@require_POST
def endpoint_events(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """Change which events an endpoint receives."""
    _, endpoint = manager_endpoint_or_404(request.user, slug, pk)
    form = EventsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose at least one event.")
        return _back(slug)
    services.update_endpoint(endpoint=endpoint, events=form.cleaned_data["events"], by=request.user)
    messages.success(request, f"Events of {endpoint.url} saved.")
    return _back(slug)


@login_required
@require_POST
def endpoint_test(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """Send a signed test event."""
    _, endpoint = manager_endpoint_or_404(request.user, slug, pk)
    services.send_test(endpoint=endpoint, by=request.user)
    messages.success(request, f"Test event sent to {endpoint.url}; see its delivery below.")
    return _back(slug)


@login_required
@require_POST
def endpoint_enable(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """Turn a disabled endpoint back on."""
    _, endpoint = manager_endpoint_or_404(request.user, slug, pk)
    services.enable_endpoint(endpoint=endpoint, by=request.user)
    messages.success(request, f"{endpoint.url} is on again; waiting events are being sent.")
    return _back(slug)


@login_required
@require_POST
def endpoint_remove(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """Delete an endpoint."""
    _, endpoint = manager_endpoint_or_404(request.user, slug, pk)
    services.remove_endpoint(endpoint=endpoint, by=request.user)
    messages.success(request, f"Webhook {endpoint.url} removed.")
    return _back(slug)


@login_required
@require_POST
def delivery_redeliver(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """Send a delivery again."""
    _, delivery = manager_delivery_or_404(request.user, slug, pk)
    services.redeliver(delivery=delivery, by=request.user)
    messages.success(request, f"{delivery.event.type} queued again for {delivery.endpoint.url}.")
    return _back(slug)
