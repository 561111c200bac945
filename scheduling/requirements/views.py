"""Requirement pages: a member's status, the manager's matrix, and the actions."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import manager_membership_or_403, membership_or_404
from accounts.models import Membership
from accounts.requests import AuthedRequest
from rota.nexturl import local_next
from scheduling.requirements import reminders, services
from scheduling.requirements.access import (
    decidable_or_403,
    evidence_or_404,
    requirement_or_404,
)
from scheduling.requirements.forms import (
    DecisionForm,
    EvidenceForm,
    MatrixFilterForm,
    RequestForm,
    RequirementForm,
)
from scheduling.requirements.models import Requirement
from scheduling.requirements.presenters import approval_queue, build_matrix, person_status
from scheduling.requirements.uploads import CONTENT_TYPES


def _back(request: HttpRequest, slug: str) -> HttpResponse:
    """Redirect to the page the form came from (dashboard or team page), never off-site."""
    return HttpResponseRedirect(
        local_next(request, reverse("requirements:team", kwargs={"slug": slug}))
    )


@login_required
@require_safe
def team(request: AuthedRequest, slug: str) -> HttpResponse:
    """Show my status in the team; managers also get the matrix, the queue and the definitions."""
    membership = membership_or_404(request.user, slug)
    team = membership.team
    context = {
        "team": team,
        "membership": membership,
        "status": person_status(membership, request.user),
        "queue": approval_queue(team=team, user=request.user, is_manager=membership.is_manager),
        "evidence_form": EvidenceForm(),
        "next": request.get_full_path(),
    }
    if membership.is_manager:
        memberships = list(
            Membership.objects.filter(team=team)
            .select_related("user")
            .order_by("user__display_name", "user__email")
        )
        requirements = list(Requirement.objects.for_team(team))
        filters = MatrixFilterForm(request.GET or None, requirements=requirements)
        chosen = filters.cleaned_data if filters.is_valid() else {}
        matrix = build_matrix(
            team=team,
            memberships=memberships,
            requirements=requirements,
            state=chosen.get("state") or "",
            requirement_id=chosen.get("requirement"),
            role=chosen.get("role") or "",
        )
        context.update(matrix=matrix, filters=filters, requirements=requirements)
    return render(request, "requirements/team.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def requirement_form(
    request: AuthedRequest, slug: str, requirement_id: int | None = None
) -> HttpResponse:
    """Create or edit a requirement."""
    membership = manager_membership_or_403(request.user, slug)
    team = membership.team
    requirement = requirement_or_404(team, requirement_id) if requirement_id else None
    form = RequirementForm(request.POST or None, instance=requirement, team=team)
    if request.method == "POST" and form.is_valid():
        fields = form.requirement_fields()
        try:
            if requirement is None:
                saved = services.create_requirement(team=team, by=request.user, **fields)
            else:
                saved = services.update_requirement(
                    requirement=requirement, by=request.user, **fields
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Requirement “{saved.title}” saved.")
            return redirect("requirements:team", slug=slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "requirements/requirement_form.html",
        {"team": team, "membership": membership, "form": form, "requirement": requirement},
        status=status,
    )


@login_required
@require_POST
def new_version(request: AuthedRequest, slug: str, requirement_id: int) -> HttpResponse:
    """Publish a new version: everyone confirms or obtains it again."""
    membership = manager_membership_or_403(request.user, slug)
    requirement = requirement_or_404(membership.team, requirement_id)
    services.new_version(requirement=requirement, by=request.user)
    messages.success(request, f"Version {requirement.version} of “{requirement.title}” published.")
    return redirect("requirements:team", slug=slug)


@login_required
@require_POST
def archive(request: AuthedRequest, slug: str, requirement_id: int) -> HttpResponse:
    """Archive a requirement."""
    membership = manager_membership_or_403(request.user, slug)
    requirement = requirement_or_404(membership.team, requirement_id)
    services.archive_requirement(requirement=requirement, by=request.user)
    messages.success(request, f"“{requirement.title}” archived.")
    return redirect("requirements:team", slug=slug)


@login_required
@require_POST
def attest(request: AuthedRequest, slug: str, requirement_id: int) -> HttpResponse:
    """Confirm an attestation."""
    membership = membership_or_404(request.user, slug)
    requirement = requirement_or_404(membership.team, requirement_id)
    try:
        services.attest(requirement=requirement, user=request.user)
    except services.RequirementsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Confirmed: {requirement.title}.")
    return _back(request, slug)


@login_required
@require_POST
def request_approval(request: AuthedRequest, slug: str, requirement_id: int) -> HttpResponse:
    """Ask for an approval."""
    membership = membership_or_404(request.user, slug)
    requirement = requirement_or_404(membership.team, requirement_id)
    form = RequestForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.request_approval(requirement=requirement, user=request.user, note=note)
    except services.RequirementsError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"Requested: {requirement.title}. You will get an email when it is decided."
        )
    return _back(request, slug)


@login_required
@require_POST
def submit_evidence(request: AuthedRequest, slug: str, requirement_id: int) -> HttpResponse:
    """Hand in a file or link; a bad file is shown as a form error and nothing is stored."""
    membership = membership_or_404(request.user, slug)
    requirement = requirement_or_404(membership.team, requirement_id)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.submit_evidence(
                requirement=requirement,
                user=request.user,
                upload=form.cleaned_data["file"],
                link=form.cleaned_data["link"],
                note=form.cleaned_data["note"],
            )
        except services.RequirementsError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"Evidence sent for {requirement.title}. A manager will verify it."
            )
        return _back(request, slug)
    return render(
        request,
        "requirements/evidence_form.html",
        {
            "team": membership.team,
            "requirement": requirement,
            "form": form,
            "next": request.POST.get("next", ""),
            "max_bytes": settings.MAX_UPLOAD_BYTES,
        },
        status=400,
    )


@login_required
@require_POST
def remind(request: AuthedRequest, slug: str, requirement_id: int, user_id: int) -> HttpResponse:
    """Email a member a reminder to meet or renew the requirement (managers only)."""
    membership = manager_membership_or_403(request.user, slug)
    requirement = requirement_or_404(membership.team, requirement_id)
    member = (
        Membership.objects.select_related("user")
        .filter(team=membership.team, user_id=user_id)
        .first()
    )
    if member is None:
        raise Http404("No such member.")
    person = member.user
    reminders.remind(requirement=requirement, user=person, by=request.user)
    messages.success(request, f"Reminded {person.name} about {requirement.title}.")
    return _back(request, slug)


@login_required
@require_POST
def decide(request: AuthedRequest, slug: str, completion_id: int) -> HttpResponse:
    """Approve, verify or reject a pending request."""
    membership = membership_or_404(request.user, slug)
    completion = decidable_or_403(membership, completion_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(
                request, f"{completion.user.name} — {completion.requirement.title}: {errors[0]}"
            )
        return _back(request, slug)
    try:
        services.decide(
            completion=completion,
            by=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
            is_manager=membership.is_manager,
        )
    except services.NotAllowed as error:
        raise PermissionDenied(str(error)) from None
    except services.RequirementsError as error:
        messages.error(request, str(error))
    else:
        verb = "approved" if form.cleaned_data["decision"] == "approve" else "rejected"
        messages.success(
            request, f"{completion.requirement.title} {verb} for {completion.user.name}."
        )
    return _back(request, slug)


@login_required
@require_safe
def evidence_file(request: AuthedRequest, slug: str, completion_id: int) -> FileResponse:
    """Send an uploaded file to its owner or a manager of the team; 404 for anyone else."""
    membership = membership_or_404(request.user, slug)
    completion = evidence_or_404(membership, completion_id)
    stored = completion.evidence_file.name or ""
    name = completion.evidence_name or stored.rsplit("/", 1)[-1]
    # The stored name's suffix was checked against the content at upload; the given name was not.
    extension = PurePath(stored).suffix.lower()
    response = FileResponse(
        completion.evidence_file.open("rb"),
        # Images open in the browser; PDFs (which may carry scripts) are downloaded.
        as_attachment=extension not in (".png", ".jpg", ".jpeg"),
        filename=name,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    return response
