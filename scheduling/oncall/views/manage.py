"""Manager pages: API tokens, the load report with its chart and CSV, and the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from accounts.access import manager_membership_or_403
from accounts.models import Membership
from accounts.requests import AuthedRequest
from scheduling.oncall import reports, services
from scheduling.oncall.access import manager_token_or_404
from scheduling.oncall.chart import NARROW, fairness_chart
from scheduling.oncall.forms import AuditFilterForm, RangeForm, TokenForm
from scheduling.oncall.models import TeamApiToken
from scheduling.oncall.presenters import audit_actions, audit_entries

NEW_TOKEN_SESSION_KEY = "oncall_new_token"
AUDIT_PER_PAGE = 50


@login_required
def tokens(request: AuthedRequest, slug: str) -> HttpResponse:
    """List the team's API tokens; show a new token's secret once."""
    membership = manager_membership_or_403(request.user, slug)
    team = membership.team
    new = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    if new and new.get("team") != team.pk:
        new = None
    context = {
        "team": team,
        "membership": membership,
        "tokens": list(
            TeamApiToken.objects.filter(team=team).select_related("created_by", "revoked_by")
        ),
        "form": TokenForm(),
        "new_token": new["token"] if new else None,
        "api_url": request.build_absolute_uri(f"/api/teams/{team.slug}/oncall"),
    }
    return render(request, "oncall/tokens.html", context)


@login_required
@require_POST
def token_create(request: AuthedRequest, slug: str) -> HttpResponse:
    """Create an API token and show it once."""
    membership = manager_membership_or_403(request.user, slug)
    form = TokenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the token a name (up to 80 characters).")
        return redirect("oncall:tokens", slug=slug)
    token, raw = services.create_api_token(
        team=membership.team, name=form.cleaned_data["name"], by=request.user
    )
    request.session[NEW_TOKEN_SESSION_KEY] = {"team": membership.team.pk, "token": raw}
    messages.success(
        request, f"Token “{token.name}” created. Copy it now: it will not be shown again."
    )
    return redirect("oncall:tokens", slug=slug)


@login_required
@require_POST
def token_revoke(request: AuthedRequest, slug: str, pk: int) -> HttpResponse:
    """Revoke an API token."""
    _, token = manager_token_or_404(request.user, slug, pk)
    try:
        services.revoke_api_token(token=token, by=request.user)
    except services.OncallError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("oncall:tokens", slug=slug)


def _range_form(request: HttpRequest, team) -> RangeForm:
    today = timezone.localdate(timezone=team.tz)
    data = (
        request.GET if "start" in request.GET or "end" in request.GET else RangeForm.defaults(today)
    )
    return RangeForm(data)


@login_required
@require_safe
def report(request: AuthedRequest, slug: str) -> HttpResponse:
    """Show shifts, hours and load per person over a range, with the fairness chart."""
    membership = manager_membership_or_403(request.user, slug)
    team = membership.team
    form = _range_form(request, team)
    context: dict = {"team": team, "membership": membership, "form": form}
    if form.is_valid():
        result = reports.build_report(
            team=team, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
        loads = [(p.name, p.load) for p in result.people]
        context.update(
            report=result,
            total=result.total,
            chart=fairness_chart(loads, result.mean_load),
            chart_narrow=fairness_chart(loads, result.mean_load, NARROW),
            query=request.GET.urlencode()
            or f"start={result.start:%Y-%m-%d}&end={result.end:%Y-%m-%d}",
        )
    return render(request, "oncall/report.html", context, status=200 if form.is_valid() else 400)


@login_required
@require_safe
def report_csv(request: AuthedRequest, slug: str) -> HttpResponse:
    """Download the report's rows, with a totals row, as CSV."""
    membership = manager_membership_or_403(request.user, slug)
    team = membership.team
    form = _range_form(request, team)
    if not form.is_valid():
        return HttpResponse(
            "Invalid range: "
            + " ".join(
                str(error)
                for error in form.non_field_errors() or ["use start and end as YYYY-MM-DD"]
            ),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    result = reports.build_report(
        team=team, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
    )
    response = HttpResponse(reports.to_csv(result), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{team.slug}-oncall-{result.start}-{result.end}.csv"'
    )
    return response


@login_required
@require_safe
def audit_log(request: AuthedRequest, slug: str) -> HttpResponse:
    """List who did what to which object in the team, filtered by person, action and date."""
    membership = manager_membership_or_403(request.user, slug)
    team = membership.team
    people = [
        (m.user_id, m.user.name)
        for m in Membership.objects.filter(team=team).select_related("user")
    ]
    form = AuditFilterForm(
        request.GET or None, team=team, people=people, actions=audit_actions(team)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries(
        team=team,
        person=filters.get("person"),
        action=filters.get("action") or "",
        start=filters.get("start"),
        end=filters.get("end"),
    )
    page = Paginator(entries, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "team": team,
        "membership": membership,
        "form": form,
        "page": page,
        "query": query.urlencode(),
    }
    return render(
        request,
        "oncall/audit.html",
        context,
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
