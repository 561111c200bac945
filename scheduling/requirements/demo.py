"""Demo requirements for each demo team, with people in every state (idempotent)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import NotRequired, TypedDict

from django.utils import timezone

from accounts.models import Team, User
from scheduling.requirements.models import Completion, Kind, Requirement, Status
from scheduling.requirements.state import team_today

# title -> definition; "people" maps an email to a state: met, expiring, expired, pending,
# rejected, outdated (confirmed an older version), lapses (met until the 19th of next month);
# everyone else, managers included, has the "default" state. Two people per team lack a
# requirement with a request pending; everyone else holds every role through next month, so
# the demo's next month fills.


class RequirementSpec(TypedDict):
    """One demo requirement: Requirement fields, then who is in which state."""

    title: str
    kind: str
    applies_to: str
    validity_days: NotRequired[int | None]
    version: NotRequired[int]
    approver: NotRequired[str]
    description: NotRequired[str]
    instructions: NotRequired[str]
    link: NotRequired[str]
    check_key: NotRequired[str]
    default: NotRequired[str]
    people: NotRequired[dict[str, str]]


REQUIREMENTS: dict[str, list[RequirementSpec]] = {
    "payments": [
        {
            "title": "Read the incident runbook",
            "kind": Kind.ATTESTATION,
            "applies_to": "both",
            "validity_days": 365,
            "version": 2,
            "description": "The payments runbook: severities, who to page, how to fail over.",
            "instructions": "Read the runbook end to end, then confirm here.",
            "link": "https://wiki.example.com/payments/runbook",
            "default": "met",
            "people": {"george@example.com": "outdated"},
        },
        {
            "title": "Production access",
            "kind": Kind.APPROVAL,
            "applies_to": "both",
            "validity_days": 180,
            "description": "Break-glass access to the production payment systems.",
            "instructions": "Request it here; a manager approves it after checking your training.",
            "default": "met",
            "people": {
                "isla@example.com": "pending",
                "george@example.com": "pending",
            },
        },
        {
            "title": "Incident commander certificate",
            "kind": Kind.EVIDENCE,
            "applies_to": "primary",
            "validity_days": 730,
            "description": "Primaries lead incidents: upload your incident commander certificate.",
            "instructions": "Take the internal IC course, then upload the certificate.",
            "link": "https://learn.example.com/incident-commander",
            "default": "met",
            "people": {"george@example.com": "expired"},
        },
        {
            "title": "On-call phone on profile",
            "kind": Kind.AUTOMATIC,
            "applies_to": "both",
            "check_key": "oncall_phone",
            "description": "Your partners must be able to ring you while you are on duty.",
        },
        {
            "title": "Card data handling policy",
            "kind": Kind.ATTESTATION,
            "applies_to": "secondary",
            "validity_days": None,
            "description": "PCI rules for looking at card data during an incident.",
            "link": "https://wiki.example.com/payments/pci",
            "default": "met",
            "people": {},
        },
    ],
    "platform": [
        {
            "title": "Platform runbook",
            "kind": Kind.ATTESTATION,
            "applies_to": "both",
            "validity_days": 180,
            "description": "Cluster failover, DNS, and the follow-the-sun handoff checklist.",
            "link": "https://wiki.example.com/platform/runbook",
            "default": "met",
            "people": {},
        },
        {
            "title": "Cloud admin role",
            "kind": Kind.APPROVAL,
            "applies_to": "primary",
            "validity_days": 90,
            "approver": "hannah@example.com",
            "description": "The admin role in the cloud accounts, granted for 90 days at a time.",
            "instructions": "Request it; Hannah or a manager approves it.",
            "default": "met",
            # Ravi's lapses on the 20th of next month: "Met until 19 ..." and a reminder.
            "people": {
                "zoe@example.com": "pending",
                "arjun@example.com": "expired",
                "ravi@example.com": "lapses",
            },
        },
        {
            "title": "Kubernetes certification",
            "kind": Kind.EVIDENCE,
            "applies_to": "primary",
            "validity_days": 1095,
            "description": "A CKA certificate, or an equivalent internal assessment.",
            "instructions": "Upload the certificate or give the link to your Credly badge.",
            "default": "met",
            "people": {"arjun@example.com": "pending", "zoe@example.com": "rejected"},
        },
        {
            "title": "On-call phone on profile",
            "kind": Kind.AUTOMATIC,
            "applies_to": "both",
            "check_key": "oncall_phone",
        },
    ],
}
FIELDS = ("kind", "applies_to", "validity_days", "description", "instructions", "link", "check_key")


def seed(log: Callable[[str], None]) -> None:
    """Create the demo requirements and completions once per team."""
    created = 0
    for slug, definitions in REQUIREMENTS.items():
        team = Team.objects.filter(slug=slug).first()
        if team is None:
            continue
        members = list(User.objects.filter(memberships__team=team).order_by("pk"))
        manager = User.objects.filter(memberships__team=team, memberships__role="manager").first()
        today = team_today(team)
        for spec in definitions:
            requirement, made = Requirement.objects.get_or_create(
                team=team,
                title=spec["title"],
                defaults={
                    **{name: spec.get(name) or "" for name in FIELDS if name != "validity_days"},
                    "validity_days": spec.get("validity_days"),
                    "version": spec.get("version", 1),
                    "approver": User.objects.filter(email=spec.get("approver", "")).first(),
                },
            )
            if not made or spec["kind"] == Kind.AUTOMATIC:
                continue
            created += 1
            for index, person in enumerate(members):
                state = spec["people"].get(person.email, spec["default"])
                _complete(requirement, person, state, today, manager, index)
    log(f"Demo requirements: {created} created")


def _next_month_day(today, day: int):
    """Return that day of next month."""
    return (today.replace(day=1) + timedelta(days=32)).replace(day=day)


def _complete(requirement, person, state, today, manager, index) -> None:
    """Create the completion that puts a person in the given state."""
    if state == "none":
        return
    days = requirement.validity_days
    now = timezone.now()
    if state in ("met", "outdated"):
        # Valid to well after next month, whatever the validity.
        start = today - timedelta(days=min(20 + 7 * index, max((days or 400) - 75, 0)))
    elif state == "lapses":
        start = _next_month_day(today, 20) - timedelta(days=days or 30)
    elif state == "expiring":
        start = today - timedelta(days=(days or 30) - 6 - index % 5)
    elif state == "expired":
        start = today - timedelta(days=(days or 30) + 4)
    else:
        start = None
    fields = {
        "requirement": requirement,
        "user": person,
        "version": requirement.version - (1 if state == "outdated" else 0),
        "decided_by": manager if requirement.kind != Kind.ATTESTATION else person,
    }
    if start is not None:
        Completion.objects.create(
            **fields,
            status=Status.ACCEPTED,
            decided_at=now,
            valid_from=start,
            valid_until=requirement.valid_until_for(start),
            evidence_link=f"https://credentials.example.com/c/{person.pk}"
            if requirement.kind == Kind.EVIDENCE
            else "",
        )
    elif state == "pending":
        Completion.objects.create(
            **{**fields, "decided_by": None},
            status=Status.PENDING,
            note="Finished the training last week.",
            evidence_link=f"https://credentials.example.com/c/{person.pk}"
            if requirement.kind == Kind.EVIDENCE
            else "",
        )
    elif state == "rejected":
        Completion.objects.create(
            **fields,
            status=Status.REJECTED,
            decided_at=now,
            comment="Please finish the access training first, then ask again.",
        )
