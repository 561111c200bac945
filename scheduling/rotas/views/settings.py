"""Rota settings and rotation templates, for managers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.access import manager_membership_or_403
from accounts.requests import AuthedRequest
from scheduling.rotas import services
from scheduling.rotas.access import manager_template_or_404
from scheduling.rotas.forms import PatternFormSet, RotaSettingsForm, TemplateForm
from scheduling.rotas.models import RotaSettings, RotationTemplate


@login_required
@require_http_methods(["GET", "POST"])
def rota_settings(request: AuthedRequest, slug: str) -> HttpResponse:
    """Edit the team's weights and rules; list its rotation templates."""
    membership = manager_membership_or_403(request.user, slug)
    team = membership.team
    current = RotaSettings.for_team(team)
    form = RotaSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.update_settings(team=team, by=request.user, values=form.cleaned_data)
        messages.success(request, "Rota settings saved. New periods use them.")
        return redirect("rotas:settings", slug=slug)
    context = {
        "team": team,
        "form": form,
        "templates": RotationTemplate.objects.filter(team=team).prefetch_related("patterns"),
    }
    return render(request, "rotas/settings.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(
    request: AuthedRequest, slug: str, template_id: int | None = None
) -> HttpResponse:
    """Create or edit a rotation template and its follow-the-sun regional shifts."""
    if template_id is None:
        membership = manager_membership_or_403(request.user, slug)
        template = None
    else:
        membership, template = manager_template_or_404(request.user, slug, template_id)
    initial_patterns = [
        {
            "label": p.label,
            "timezone": p.timezone,
            "start_time": p.start_time,
            "end_time": p.end_time,
        }
        for p in (template.patterns.all() if template else [])
    ]
    form = TemplateForm(
        request.POST or None,
        instance=template,
        initial=None if template else {"roles": ["primary", "secondary"]},
    )
    formset = PatternFormSet(request.POST or None, initial=initial_patterns, prefix="patterns")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        patterns = [
            {k: f.cleaned_data[k] for k in ("label", "timezone", "start_time", "end_time")}
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        values = {k: v for k, v in form.cleaned_data.items()}
        services.save_template(
            team=membership.team,
            by=request.user,
            values=values,
            patterns=patterns,
            template=template,
        )
        messages.success(request, f"Template {values['name']} saved.")
        return redirect("rotas:settings", slug=slug)
    context = {"team": membership.team, "form": form, "formset": formset, "template": template}
    return render(
        request,
        "rotas/template_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )
