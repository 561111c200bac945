"""Dashboard, profile, team and membership pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import services
from accounts.access import (
    manager_membership_or_403,
    membership_or_404,
    team_invitation_or_404,
    team_member_or_404,
)
from accounts.dashboard import rendered_panels
from accounts.forms import (
    AcceptInvitationForm,
    EscalationFormSet,
    InviteForm,
    ProfileForm,
    RoleForm,
    TeamSettingsForm,
)
from accounts.middleware import has_mfa
from accounts.models import Invitation, Membership
from accounts.requests import AuthedRequest


@login_required
@require_safe
def dashboard(request: AuthedRequest) -> HttpResponse:
    """Show my teams, my profile status and the panels the apps contribute."""
    memberships = list(
        Membership.objects.filter(user=request.user).select_related("team").order_by("team__name")
    )
    context = {
        "memberships": memberships,
        "profile_missing": _profile_missing(request.user),
        "has_mfa": has_mfa(request.user),
        "panels": rendered_panels(request, memberships),
    }
    return render(request, "accounts/dashboard.html", context)


def _profile_missing(user) -> list[str]:
    missing = []
    if not user.display_name:
        missing.append("your name")
    if not user.oncall_phone:
        missing.append("an on-call phone")
    return missing


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthedRequest) -> HttpResponse:
    """Edit my name, time zone, on-call phone and notification email."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Profile saved.")
        return redirect("profile")
    return render(
        request, "accounts/profile.html", {"form": form, "has_mfa": has_mfa(request.user)}
    )


@login_required
@require_safe
def team_list(request: AuthedRequest) -> HttpResponse:
    """List my teams with my role, their size and zone."""
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("team")
        .annotate(size=Count("team__memberships"))
        .order_by("team__name")
    )
    return render(request, "teams/list.html", {"memberships": memberships})


@login_required
@require_safe
def team_detail(request: AuthedRequest, slug: str) -> HttpResponse:
    """Show the team: members, roles, escalation contacts; manager actions for managers."""
    membership = membership_or_404(request.user, slug)
    team = membership.team
    members = list(
        Membership.objects.filter(team=team)
        .select_related("user")
        .order_by("-role", "user__display_name")
    )
    context = {
        "team": team,
        "membership": membership,
        "members": members,
        "contacts": list(team.escalation_contacts.all()),
    }
    if membership.is_manager:
        context["invite_form"] = InviteForm()
        context["invitations"] = list(
            Invitation.objects.filter(
                team=team, accepted_at__isnull=True, revoked_at__isnull=True
            ).select_related("invited_by")
        )
    return render(request, "teams/detail.html", context)


@login_required
@require_POST
def invite(request: AuthedRequest, slug: str) -> HttpResponse:
    """Invite someone to the team by email."""
    membership = manager_membership_or_403(request.user, slug)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.invite(
                team=membership.team,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except services.AlreadyMember as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
    else:
        for problem in form.errors.get("email", []):
            messages.error(request, f"Email: {problem}")
    return redirect("team_detail", slug=slug)


@login_required
@require_POST
def revoke_invitation(request: AuthedRequest, slug: str, invitation_id: int) -> HttpResponse:
    """Revoke a pending invitation."""
    membership = manager_membership_or_403(request.user, slug)
    invitation = team_invitation_or_404(membership.team, invitation_id)
    services.revoke_invitation(invitation=invitation, by=request.user)
    messages.success(request, f"Invitation of {invitation.email} revoked.")
    return redirect("team_detail", slug=slug)


@login_required
@require_POST
def change_role(request: AuthedRequest, slug: str, member_id: int) -> HttpResponse:
    """Make a member an engineer or a manager."""
    membership = manager_membership_or_403(request.user, slug)
    target = team_member_or_404(membership.team, member_id)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.change_role(membership=target, role=form.cleaned_data["role"], by=request.user)
        except services.AccountsError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{target.user.name} is now {form.cleaned_data['role']}.")
    return redirect("team_detail", slug=slug)


@login_required
@require_POST
def remove_member(request: AuthedRequest, slug: str, member_id: int) -> HttpResponse:
    """Remove a member from the team."""
    membership = manager_membership_or_403(request.user, slug)
    target = team_member_or_404(membership.team, member_id)
    try:
        services.remove_member(membership=target, by=request.user)
    except services.AccountsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{target.user.name} was removed from {membership.team.name}.")
    return redirect("team_detail", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def team_settings(request: AuthedRequest, slug: str) -> HttpResponse:
    """Edit the team's settings and its ordered escalation contacts."""
    membership = manager_membership_or_403(request.user, slug)
    team = membership.team
    initial = [
        {"name": c.name, "role": c.role, "phone": c.phone, "email": c.email, "ORDER": i + 1}
        for i, c in enumerate(team.escalation_contacts.all())
    ]
    settings_form = TeamSettingsForm(request.POST or None, instance=team, prefix="team")
    formset = EscalationFormSet(request.POST or None, initial=initial, prefix="contacts")
    if request.method == "POST" and settings_form.is_valid() and formset.is_valid():
        contacts = [
            services.ContactData(
                name=form.cleaned_data["name"],
                role=form.cleaned_data.get("role", ""),
                phone=form.cleaned_data.get("phone", ""),
                email=form.cleaned_data.get("email", ""),
            )
            for form in formset.ordered_forms
            if form.cleaned_data.get("name") and not form.cleaned_data.get("DELETE")
        ]
        try:
            services.update_team_settings(
                team=team,
                by=request.user,
                **{f: settings_form.cleaned_data[f] for f in settings_form.changed_data},
            )
        except ValidationError as error:
            settings_form.add_error(None, error)
        else:
            services.set_escalation_contacts(team=team, contacts=contacts, by=request.user)
            messages.success(request, "Team settings saved.")
            return redirect("team_detail", slug=slug)
    return render(
        request,
        "teams/settings.html",
        {"team": team, "membership": membership, "form": settings_form, "formset": formset},
    )


INVALID_REASONS = {
    "unknown": "This invitation link is not valid. Check that you copied the whole link.",
    "expired": "This invitation has expired. Ask your team's manager to invite you again.",
    "used": "This invitation has already been used. Sign in with the account that accepted it.",
    "revoked": "This invitation was withdrawn. Ask your team's manager for a new one.",
}


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Show an invitation; accepting it is a POST (creating the account if needed)."""
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationInvalid as error:
        return render(
            request,
            "accounts/invitation_invalid.html",
            {"reason": error.reason, "message": INVALID_REASONS[error.reason]},
            status=410 if error.reason in ("expired", "used", "revoked") else 404,
        )
    user = request.user if request.user.is_authenticated else None
    form = None if user else AcceptInvitationForm(request.POST or None, email=invitation.email)
    error_message = ""
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            membership = services.accept_invitation(
                token=token,
                user=user,
                password=form.cleaned_data["password1"] if form else "",
                display_name=form.cleaned_data["display_name"] if form else "",
            )
        except services.InvitationInvalid as error:
            return render(
                request,
                "accounts/invitation_invalid.html",
                {"reason": error.reason, "message": INVALID_REASONS[error.reason]},
                status=410,
            )
        except (services.WrongAccount, services.AlreadyMember) as error:
            error_message = str(error)
        else:
            if user is None:
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to {membership.team.name}.")
            return redirect("team_detail", slug=membership.team.slug)
    return render(
        request,
        "accounts/invitation.html",
        {"invitation": invitation, "form": form, "error_message": error_message},
    )
