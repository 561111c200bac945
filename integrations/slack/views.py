"""Slack's signed endpoints (commands, interactions) and the managers' connect, test, disconnect."""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from slack_sdk.signature import SignatureVerifier

from accounts.access import manager_membership_or_403
from accounts.requests import AuthedRequest
from integrations.slack import access, install, outbox, tasks
from integrations.slack.errors import InstallError
from integrations.slack.models import Inbound
from rota.nexturl import local_next

log = logging.getLogger(__name__)


def _signed(request: HttpRequest) -> bool:
    """Tell whether the body carries a fresh, valid Slack signature."""
    secret = settings.SLACK_SIGNING_SECRET
    if not secret:
        return False
    verifier = SignatureVerifier(secret)
    return verifier.is_valid(
        body=request.body,
        timestamp=request.headers.get("X-Slack-Request-Timestamp"),
        signature=request.headers.get("X-Slack-Signature"),
    )


def _unsigned() -> HttpResponse:
    return HttpResponse(
        "Invalid or missing Slack signature.", status=401, content_type="text/plain"
    )


def _accept(*, kind: str, workspace_id: str, slack_user_id: str, payload: dict) -> HttpResponse:
    """Keep the request and answer Slack at once; a worker does the work after the answer."""
    with transaction.atomic():
        inbound = Inbound.objects.create(
            kind=kind, workspace_id=workspace_id, slack_user_id=slack_user_id, payload=payload
        )

        def work() -> None:
            try:
                tasks.handle_inbound.delay(inbound.pk)
            except Exception:  # noqa: BLE001 (kept in the table: the minute sweep handles it)
                log.warning("Could not enqueue Slack request %s; the sweep will", inbound.pk)

        transaction.on_commit(work)
    return HttpResponse(status=200)


@csrf_exempt
@require_POST
def commands(request: HttpRequest) -> HttpResponse:
    """/oncall [team]: acknowledged empty at once; the answer comes through response_url."""
    if not _signed(request):
        return _unsigned()
    data = request.POST
    workspace, user = data.get("team_id", ""), data.get("user_id", "")
    if not workspace or not user or not data.get("response_url"):
        return HttpResponseBadRequest("team_id, user_id and response_url are required.")
    payload = {
        "command": data.get("command", "")[:40],
        "text": data.get("text", "")[:200],
        "response_url": data.get("response_url", "")[:500],
    }
    return _accept(
        kind=Inbound.Kind.COMMAND, workspace_id=workspace, slack_user_id=user, payload=payload
    )


@csrf_exempt
@require_POST
def interactions(request: HttpRequest) -> HttpResponse:
    """Agree / Decline presses: acknowledged at once, worked by a worker."""
    if not _signed(request):
        return _unsigned()
    try:
        payload = json.loads(request.POST.get("payload", ""))
    except ValueError:
        return HttpResponseBadRequest("The payload is not JSON.")
    if not isinstance(payload, dict) or payload.get("type") != "block_actions":
        return HttpResponse(status=200)  # nothing Rota offers; acknowledge and ignore
    workspace = str((payload.get("team") or {}).get("id", ""))
    user = str((payload.get("user") or {}).get("id", ""))
    if not workspace or not user:
        return HttpResponseBadRequest("team and user are required.")
    kept = {
        "actions": [
            {"action_id": str(a.get("action_id", ""))[:40], "value": str(a.get("value", ""))[:40]}
            for a in (payload.get("actions") or [])[:1]
            if isinstance(a, dict)
        ],
        "response_url": str(payload.get("response_url", ""))[:500],
    }
    return _accept(
        kind=Inbound.Kind.ACTION, workspace_id=workspace, slack_user_id=user, payload=kept
    )


def _back(request: HttpRequest, slug: str) -> HttpResponseRedirect:
    """Return to the page the form was on (the team's Integrations page), or Slack's own page."""
    return HttpResponseRedirect(local_next(request, reverse("slack:team", args=[slug])))


@login_required
@require_GET
def team(request: AuthedRequest, slug: str) -> HttpResponse:
    """Show the team's Slack connection on its own (the Integrations page includes the same)."""
    membership = manager_membership_or_403(request.user, slug)
    return render(
        request, "integrations/slack_team.html", {"team": membership.team, "membership": membership}
    )


@login_required
@require_POST
def connect(request: AuthedRequest, slug: str) -> HttpResponse:
    """Send the manager to Slack's consent page for this team."""
    membership = manager_membership_or_403(request.user, slug)
    if not install.is_configured():
        messages.error(
            request,
            "Slack is not set up on this server: set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET.",
        )
        return _back(request, slug)
    request.session["slack_next"] = request.POST.get("next", "")
    return HttpResponseRedirect(install.authorize_url(team=membership.team, user=request.user))


@login_required
@require_GET
def oauth_callback(request: AuthedRequest) -> HttpResponse:
    """Slack sends the manager back here with a code (or an error)."""
    state, code = request.GET.get("state", ""), request.GET.get("code", "")
    try:
        team = install.team_from_state(state=state, user=request.user)
    except InstallError as error:
        return render(request, "integrations/slack_problem.html", {"error": error}, status=400)
    next_url = request.session.pop("slack_next", "")
    back = local_next(request, reverse("slack:team", args=[team.slug]), value=next_url)
    if request.GET.get("error") or not code:
        messages.error(request, "Slack was not connected: the installation was cancelled.")
        return HttpResponseRedirect(back)
    try:
        installation = install.complete(team=team, code=code, by=request.user)
    except InstallError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Connected to Slack ({installation.workspace_name}).")
    return HttpResponseRedirect(back)


@login_required
@require_POST
def send_test(request: AuthedRequest, slug: str) -> HttpResponse:
    """Queue a test DM to the manager."""
    install.send_test(
        installation=access.manager_installation_or_404(request.user, slug), by=request.user
    )
    messages.success(request, "Test message queued; it appears under recent deliveries.")
    return _back(request, slug)


@login_required
@require_POST
def disconnect(request: AuthedRequest, slug: str) -> HttpResponse:
    """Forget the team's Slack installation and its token."""
    install.disconnect(
        installation=access.manager_installation_or_404(request.user, slug), by=request.user
    )
    messages.success(request, "Slack disconnected.")
    return _back(request, slug)


@login_required
@require_POST
def retry(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """Send a failed call again."""
    call = access.manager_call_or_404(request.user, slug, pk)
    if outbox.retry(call=call):
        messages.success(request, "Queued again.")
    else:
        messages.error(request, "Only a failed delivery can be sent again.")
    return _back(request, slug)
