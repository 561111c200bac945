"""GET /api/teams/<slug>/oncall: who an alerting tool should page, authenticated by a team token."""

from __future__ import annotations

from datetime import UTC, datetime

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from accounts import fragments
from rota import bounds
from scheduling.oncall import services
from scheduling.oncall.lookup import on_call


def _error(status: int, message: str, **headers: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def _parse_at(value: str, tz) -> datetime:
    """Parse an ISO 8601 moment; one without an offset is read in the team's zone."""
    moment = datetime.fromisoformat(value.strip().replace(" ", "+"))
    if not bounds.date_in_range(moment.date()):
        raise ValueError("out of range")  # the shifts' arithmetic would overflow near year 9999
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=tz)
    return moment


def _person(seat) -> dict:
    holder = seat.holder
    return {
        "name": holder.name,
        "email": holder.contact_email,
        "phone": holder.oncall_phone,
        "shift": {
            "id": seat.shift_id,
            "label": seat.shift.label,
            "starts_at": seat.shift.starts_at.isoformat(),
            "ends_at": seat.shift.ends_at.isoformat(),
        },
    }


@csrf_exempt
@require_GET
def oncall(request: HttpRequest, slug: str) -> JsonResponse:
    """Return the holders per role at now or ?at=, with phones, emails and escalation contacts."""
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    token = services.authenticate_token(raw.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        return _error(
            401,
            "A valid team API token is required.",
            **{"WWW-Authenticate": 'Bearer realm="rota"'},
        )
    if token.team.slug != slug:
        # Never confirm that another team exists to a token that is not its own.
        return _error(404, "No such team.")
    team = token.team
    now = timezone.now()
    try:
        at = _parse_at(request.GET["at"], team.tz) if request.GET.get("at") else None
    except ValueError:
        return _error(400, "at must be an ISO 8601 time, e.g. 2026-03-29T01:30:00Z.")
    if at is None:
        # "Now" is asked for far more often than it changes: keep the answer until a shift
        # starts or ends, or anything in the team changes (its stamp).
        body = fragments.cached(
            f"oncall-api:1:{team.pk}", teams=[team.pk], build=lambda: _state(team, now), now=now
        )
    else:
        body = _state(team, at).value
    return JsonResponse(
        {**body, "at": (at or now).astimezone(UTC).isoformat().replace("+00:00", "Z")}
    )


def _state(team, at: datetime) -> fragments.Part:
    """Return the team's on-call answer at the moment, valid until the next shift boundary."""
    state = on_call(team, at, with_notes=False)
    roles: dict[str, list[dict]] = {}
    for role, seats in state.by_role:
        roles[role] = [_person(seat) for seat in seats if seat.holder_id]
    handoff = state.next_handoff
    body = {
        "team": {"slug": team.slug, "name": team.name, "timezone": team.timezone},
        "oncall": {role: roles.get(role, []) for role in ("primary", "secondary", "shadow")},
        "next_handoff": handoff.isoformat() if handoff else None,
        "escalation": [
            {"position": i + 1, "name": c.name, "role": c.role, "phone": c.phone, "email": c.email}
            for i, c in enumerate(state.contacts)
        ],
    }
    until = fragments.earliest(
        min((seat.shift.ends_at for seat in state.seats), default=None),
        state.next_seats[0].shift.starts_at if state.next_seats else None,
    )
    return fragments.Part(body, until=until)
