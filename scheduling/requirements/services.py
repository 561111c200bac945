"""Requirement services: eligibility, and the actions people and managers take."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts import audit
from accounts.models import Membership, Team, User
from scheduling.requirements import notify
from scheduling.requirements.errors import (  # noqa: F401 (callers read them from here too)
    AlreadyDecided,
    AlreadyPending,
    NotAllowed,
    RequirementsError,
    WrongKind,
)
from scheduling.requirements.models import Completion, Kind, Requirement, Status
from scheduling.requirements.state import ROLES, Standing, load_standing, team_today

__all__ = ["ROLES", "eligible_roles", "eligible_roles_for_team"]


def eligible_roles(*, user: User, team: Team, on: date) -> frozenset[str]:
    """Return the roles the user may hold in the team on that date."""
    if not Membership.objects.filter(user=user, team=team).exists():
        return frozenset()
    return load_standing(team=team, users=[user]).roles(user.pk, on)


def eligible_roles_for_team(
    *, team: Team, dates: Iterable[date], standing: Standing | None = None
) -> dict[int, dict[date, frozenset[str]]]:
    """Return user_id -> date -> roles for every member, in a constant number of queries.

    ``standing``: the members' standing when the caller has loaded it already.
    """
    dates = sorted(dates)
    if standing is None:
        users = [m.user for m in Membership.objects.filter(team=team).select_related("user")]
        standing = load_standing(team=team, users=users)
    else:
        users = standing.users
    # Roles change only on a day one of the person's completions starts or ends, so they are
    # computed once per stretch between such days (the period calendar asks for ~30 days each).
    result: dict[int, dict[date, frozenset[str]]] = {}
    for user in users:
        by_day: dict[date, frozenset[str]] = {}
        known: dict[date | None, frozenset[str]] = {}
        for day in dates:
            stretch = standing.stretch(user.pk, day)
            if stretch not in known:
                known[stretch] = standing.roles(user.pk, day)
            by_day[day] = known[stretch]
        result[user.pk] = by_day
    return result


# --- managers: defining requirements ----------------------------------------------------------

REQUIREMENT_FIELDS = (
    "title",
    "description",
    "instructions",
    "link",
    "applies_to",
    "kind",
    "validity_days",
    "check_key",
    "params",
    "approver",
)


def create_requirement(*, team: Team, by: User, **fields: object) -> Requirement:
    """Define a new requirement for the team."""
    requirement = Requirement(
        team=team, **{k: v for k, v in fields.items() if k in REQUIREMENT_FIELDS}
    )
    requirement.full_clean()
    with transaction.atomic():
        requirement.save()
        audit.record(
            action="requirement.created",
            summary=f"{by.name} added the requirement {requirement.title}",
            actor=by,
            team=team,
            target=requirement,
            kind=requirement.kind,
        )
    return requirement


def update_requirement(*, requirement: Requirement, by: User, **fields: object) -> Requirement:
    """Change a requirement's wording, roles, validity or approver (not its version)."""
    changed = sorted(
        k for k, v in fields.items() if k in REQUIREMENT_FIELDS and getattr(requirement, k) != v
    )
    for name in changed:
        setattr(requirement, name, fields[name])
    requirement.full_clean()
    with transaction.atomic():
        requirement.save()
        audit.record(
            action="requirement.updated",
            summary=f"{by.name} edited the requirement {requirement.title}",
            actor=by,
            team=requirement.team,
            target=requirement,
            fields=changed,
        )
    return requirement


@transaction.atomic
def new_version(*, requirement: Requirement, by: User) -> Requirement:
    """Publish a new version so everyone must complete the requirement again."""
    Requirement.objects.filter(pk=requirement.pk).update(version=F("version") + 1)
    requirement.refresh_from_db(fields=["version"])
    audit.record(
        action="requirement.new_version",
        summary=f"{by.name} published version {requirement.version} of {requirement.title}",
        actor=by,
        team=requirement.team,
        target=requirement,
        version=requirement.version,
    )
    return requirement


@transaction.atomic
def archive_requirement(*, requirement: Requirement, by: User) -> None:
    """Retire a requirement: it no longer counts for anyone."""
    Requirement.objects.filter(pk=requirement.pk, archived_at__isnull=True).update(
        archived_at=timezone.now()
    )
    audit.record(
        action="requirement.archived",
        summary=f"{by.name} archived the requirement {requirement.title}",
        actor=by,
        team=requirement.team,
        target=requirement,
    )


# --- engineers: meeting requirements ----------------------------------------------------------


def _expect(requirement: Requirement, kind: str) -> None:
    if requirement.kind != kind or requirement.archived_at is not None:
        raise WrongKind(f"{requirement.title} cannot be completed this way.")


@transaction.atomic
def attest(*, requirement: Requirement, user: User) -> Completion:
    """Record that the person confirms the current version of the requirement."""
    _expect(requirement, Kind.ATTESTATION)
    today = team_today(requirement.team)
    # Lock the requirement row so a double submit or a version bump cannot interleave.
    requirement = (
        Requirement.objects.select_for_update().select_related("team").get(pk=requirement.pk)
    )
    existing = (
        Completion.objects.accepted()
        .filter(requirement=requirement, user=user, version=requirement.version, valid_from=today)
        .first()
    )
    if existing is not None:
        return existing
    completion = Completion.objects.create(
        requirement=requirement,
        user=user,
        version=requirement.version,
        status=Status.ACCEPTED,
        decided_at=timezone.now(),
        decided_by=user,
        valid_from=today,
        valid_until=requirement.valid_until_for(today),
    )
    audit.record(
        action="requirement.attested",
        summary=f"{user.name} confirmed {requirement.title} (version {requirement.version})",
        actor=user,
        team=requirement.team,
        target=completion,
        requirement_id=requirement.pk,
    )
    return completion


def _open_request(*, requirement: Requirement, user: User, **fields: object) -> Completion:
    """Create the pending request, or return the open one on a double submit."""
    try:
        with transaction.atomic():
            completion = Completion.objects.create(
                requirement=requirement,
                user=user,
                version=requirement.version,
                status=Status.PENDING,
                **fields,
            )
    except IntegrityError:
        existing = Completion.objects.pending().filter(requirement=requirement, user=user).first()
        if existing is None:
            raise
        return existing
    _record_request(completion, f"{user.name} asked for {requirement.title}")
    return completion


def _record_request(completion: Completion, summary: str) -> None:
    """Audit a new request and tell whoever decides it."""
    requirement = completion.requirement
    audit.record(
        action="requirement.requested",
        summary=summary,
        actor=completion.user,
        team=requirement.team,
        target=completion,
        requirement_id=requirement.pk,
        kind=requirement.kind,
    )
    notify.request_arrived(completion)


@transaction.atomic
def request_approval(*, requirement: Requirement, user: User, note: str = "") -> Completion:
    """Ask the approver (or the managers) to grant the requirement."""
    _expect(requirement, Kind.APPROVAL)
    return _open_request(requirement=requirement, user=user, note=note)


def submit_evidence(
    *, requirement: Requirement, user: User, upload=None, link: str = "", note: str = ""
) -> Completion:
    """Hand in a file or a link for a manager to verify."""
    _expect(requirement, Kind.EVIDENCE)
    if Completion.objects.pending().filter(requirement=requirement, user=user).exists():
        raise AlreadyPending(
            f"Your evidence for {requirement.title} is already waiting to be verified."
        )
    completion = Completion(
        requirement=requirement,
        user=user,
        version=requirement.version,
        status=Status.PENDING,
        evidence_link=link,
        note=note,
        evidence_name=(upload.name[:200] if upload else ""),
    )
    try:
        with transaction.atomic():
            if upload is not None:
                completion.evidence_file.save(upload.name, upload, save=False)
            completion.save()
            _record_request(completion, f"{user.name} sent evidence for {requirement.title}")
    except IntegrityError:
        # A concurrent identical submit won: keep its file, drop ours.
        if completion.evidence_file:
            completion.evidence_file.delete(save=False)
        raise AlreadyPending(f"Your evidence for {requirement.title} is already waiting.") from None
    return completion


# --- deciding requests ------------------------------------------------------------------------


def may_decide(*, user: User, completion: Completion, is_manager: bool) -> bool:
    """Tell whether the user may approve or reject this request.

    Evidence is verified by managers only, since only they (and its owner) may see uploads.
    """
    if completion.user_id == user.pk:
        return False
    if is_manager:
        return True
    requirement = completion.requirement
    return requirement.kind == Kind.APPROVAL and requirement.approver_id == user.pk


@transaction.atomic
def decide(
    *, completion: Completion, by: User, approve: bool, comment: str = "", is_manager: bool
) -> Completion:
    """Approve (or verify) or reject a pending request, exactly once."""
    if completion.user_id == by.pk:
        raise NotAllowed("Nobody may approve or reject their own request.")
    if not may_decide(user=by, completion=completion, is_manager=is_manager):
        raise NotAllowed("Only the team's managers or the named approver can decide this.")
    requirement = completion.requirement
    today = team_today(requirement.team)
    now = timezone.now()
    fields = {"decided_at": now, "decided_by": by, "comment": comment}
    if approve:
        fields.update(
            status=Status.ACCEPTED,
            version=requirement.version,
            valid_from=today,
            valid_until=requirement.valid_until_for(today),
        )
    else:
        fields.update(status=Status.REJECTED)
    # Only one decision can flip a pending request.
    if Completion.objects.filter(pk=completion.pk, status=Status.PENDING).update(**fields) != 1:
        raise AlreadyDecided("This request has already been decided.")
    completion.refresh_from_db()
    verb = (
        ("verified" if requirement.kind == Kind.EVIDENCE else "approved") if approve else "rejected"
    )
    audit.record(
        action=f"requirement.{verb}",
        summary=f"{by.name} {verb} {requirement.title} for {completion.user.name}",
        actor=by,
        team=requirement.team,
        target=completion,
        requirement_id=requirement.pk,
        comment=comment,
    )
    notify.request_decided(completion)
    return completion
