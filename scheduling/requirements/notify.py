"""Emails about requirements, sent after the transaction commits."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts import stamps
from accounts.models import Membership, Team, User
from rota import outbox
from scheduling.requirements.models import Completion
from scheduling.requirements.state import team_today

# Rota periods do not exist yet: managers hear about eligibility lapsing within this many
# days. The rota period (scheduling.rotas) will refine this to "the next period's dates".
NEXT_PERIOD_DAYS = 31
WARN_DAYS_BEFORE_EXPIRY = 14


def _send(*, key: str, subject: str, template: str, context: dict, recipients: list[str]) -> None:
    """Write a plain-text email to the outbox; it is sent once the transaction commits."""
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return
    context = {**context, "SITE_URL": settings.SITE_URL}
    body = render_to_string(template, context)
    outbox.mail(key=key, kind="requirements", subject=f"[Rota] {subject}", body=body, to=recipients)


def _moment() -> str:
    return f"{timezone.now().timestamp():.3f}"


def _team_link(team: Team) -> str:
    return settings.SITE_URL + reverse("requirements:team", args=[team.slug])


def approvers_for(completion) -> list[User]:
    """Return who is told about a request: the named approver, else the managers."""
    requirement = completion.requirement
    if (
        requirement.kind == "approval"
        and requirement.approver_id
        and requirement.approver_id != completion.user_id
    ):
        return [requirement.approver]
    managers = Membership.objects.managers().filter(team=requirement.team).select_related("user")
    return [m.user for m in managers if m.user_id != completion.user_id]


def request_arrived(completion) -> None:
    """Tell the approver that a request or evidence is waiting."""
    requirement = completion.requirement
    _send(
        key=f"requirement-request:{completion.pk}:{_moment()}",
        subject=f"{completion.user.name} asks for {requirement.title}",
        template="requirements/email/request_arrived.txt",
        context={
            "completion": completion,
            "requirement": requirement,
            "link": _team_link(requirement.team),
        },
        recipients=[user.contact_email for user in approvers_for(completion)],
    )


def request_decided(completion) -> None:
    """Tell the engineer their request was approved or rejected."""
    requirement = completion.requirement
    approved = completion.status == "accepted"
    _send(
        key=f"requirement-decided:{completion.pk}:{completion.status}:{_moment()}",
        subject=f"{requirement.title}: {'approved' if approved else 'not approved'}",
        template="requirements/email/request_decided.txt",
        context={
            "completion": completion,
            "requirement": requirement,
            "approved": approved,
            "link": settings.SITE_URL + reverse("dashboard"),
        },
        recipients=[completion.user.contact_email],
    )


def _renewed(completion, others: list) -> bool:
    """Tell whether another accepted completion of the same version outlasts this one."""
    return any(
        other.pk != completion.pk
        and (other.valid_until is None or other.valid_until > completion.valid_until)
        for other in others
    )


def warn_expiring() -> int:
    """Warn engineers 14 days before a completion expires and managers of lapsing eligibility.

    Each warning is claimed on its completion row first, so a second run sends nothing.
    """
    sent = 0
    for team in Team.objects.filter(requirements__archived_at__isnull=True).distinct():
        today = team_today(team)
        horizon = today + timedelta(days=NEXT_PERIOD_DAYS)
        members = set(Membership.objects.filter(team=team).values_list("user_id", flat=True))
        rows = list(
            Completion.objects.accepted()
            .current()
            .filter(
                requirement__team=team, requirement__archived_at__isnull=True, user_id__in=members
            )
            .filter(valid_until__isnull=False)
            .select_related("requirement", "user")
        )
        by_person: dict[tuple[int, int], list] = defaultdict(list)
        for row in rows:
            by_person[(row.user_id, row.requirement_id)].append(row)
        lapsing = []
        for row in rows:
            if not (today < row.valid_until <= horizon) or _renewed(
                row, by_person[(row.user_id, row.requirement_id)]
            ):
                continue
            if row.valid_until <= today + timedelta(days=WARN_DAYS_BEFORE_EXPIRY) and _claim(
                row, "expiry_warned_at"
            ):
                _send(
                    key=f"requirement-expiring:{row.pk}:{row.valid_until}",
                    subject=f"{row.requirement.title} expires on {row.valid_until:%-d %b}",
                    template="requirements/email/expiring.txt",
                    context={
                        "completion": row,
                        "requirement": row.requirement,
                        "team": team,
                        "days": (row.valid_until - today).days,
                        "link": settings.SITE_URL + reverse("dashboard"),
                    },
                    recipients=[row.user.contact_email],
                )
                sent += 1
            if _claim(row, "lapse_reported_at"):
                lapsing.append(row)
        if lapsing:
            managers = Membership.objects.managers().filter(team=team).select_related("user")
            _send(
                key=f"requirement-lapsing:{team.pk}:{today}:"
                + ",".join(str(r.pk) for r in sorted(lapsing, key=lambda r: r.pk)),
                subject=f"{team.name}: eligibility lapsing in the next {NEXT_PERIOD_DAYS} days",
                template="requirements/email/lapsing.txt",
                context={
                    "team": team,
                    "rows": sorted(lapsing, key=lambda r: (r.valid_until, r.user.name)),
                    "days": NEXT_PERIOD_DAYS,
                    "link": _team_link(team),
                },
                recipients=[m.user.contact_email for m in managers],
            )
            sent += 1
    return sent


def _claim(completion, field: str) -> bool:
    """Mark a warning as sent, race-free; False when another run already sent it."""
    claimed = Completion.objects.filter(pk=completion.pk, **{f"{field}__isnull": True}).update(
        **{field: timezone.now()}
    )
    if claimed:
        stamps.touch(users=[completion.user_id])
    return claimed == 1
