"""The email each person gets when a rota is published: their shifts, partners and contacts."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User
from rota import outbox
from scheduling.rotas.models import RotaVersion, Seat, day_span


def seat_lines(seats: list[Seat], user: User) -> list[dict]:
    """Return one row per seat of the user: times in their zone and the partners in the shift."""
    by_shift: dict[int, list[Seat]] = defaultdict(list)
    for seat in seats:
        by_shift[seat.shift_id].append(seat)
    rows = []
    for seat in seats:
        if seat.holder_id != user.pk:
            continue
        partners = [s for s in by_shift[seat.shift_id] if s.pk != seat.pk and s.holder_id]
        rows.append(
            {
                "seat": seat,
                "start": seat.shift.starts_at.astimezone(user.tz),
                "end": seat.shift.ends_at.astimezone(user.tz),
                "partners": [(s.role, s.holder) for s in partners],
            }
        )
    return rows


def send_rota_emails(*, version: RotaVersion, user_ids: list[int]) -> int:
    """Write each person one email listing their shifts to the outbox; return how many."""
    period = version.period
    team = period.team
    seats = list(
        Seat.objects.filter(shift__period=period)
        .select_related("shift", "holder")
        .order_by("shift__starts_at", "role")
    )
    contacts = list(team.escalation_contacts.all())
    messages = []
    for user in User.objects.filter(pk__in=user_ids, is_active=True):
        rows = seat_lines(seats, user)
        context = {
            "user": user,
            "team": team,
            "period": period,
            "version": version,
            "rows": rows,
            "contacts": contacts,
            "link": settings.SITE_URL + reverse("oncall:my_shifts"),
        }
        messages.append(
            (
                f"rota-published:{version.pk}:{user.pk}",
                EmailMessage(
                    subject=f"[Rota] {team.name} rota {day_span(period.starts_on, period.ends_on)}"
                    f" (version {version.number})",
                    body=render_to_string("rotas/email/published.txt", context),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[user.contact_email],
                ),
            )
        )
    return len(outbox.queue(messages, kind="rota-published"))


def waiting_summaries(period) -> dict[str, int]:
    """Count the latest version's summary emails still waiting and those given up on."""
    latest = RotaVersion.objects.filter(period=period).order_by("-number").first()
    if latest is None:
        return {}
    counts = outbox.pending_kinds(f"rota-published:{latest.pk}:")
    if not counts:
        return {}
    failed = counts.pop(outbox.Status.FAILED, 0)
    return {"waiting": sum(counts.values()), "failed": failed}
