"""Build the demo structure at scale: N teams of M people, for the load benchmark.

Each team is a clone of a demo team (Payments: daily handoff with primary and secondary seats;
Platform: follow the sun) with its escalation contacts, rotation template, requirements and
completions, two months of availability marks, six months of history, this month published and
next month recommended by the real engine. Django must be set up before importing this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.utils import timezone

from accounts.demo import TEAMS
from accounts.models import EscalationContact, Membership, Role, Team, User
from calendars.feeds import FUTURE, PAST
from calendars.models import CalendarPreferences, ProcessedChange
from calendars.sync import sync_shifts
from scheduling.availability.demo import _marks_for
from scheduling.availability.models import AvailabilityEntry, MonthConfirmation
from scheduling.availability.services import add_months, first_of_month
from scheduling.oncall.services import create_api_token
from scheduling.requirements.demo import REQUIREMENTS, _complete
from scheduling.requirements.models import Kind, Requirement
from scheduling.requirements.state import team_today
from scheduling.rotas import services as rota_services
from scheduling.rotas.demo import (
    HISTORY_MONTHS,
    TEMPLATES,
    _fill,
    _month_end,
    _month_start,
    _publish_quietly,
    _template,
)
from scheduling.rotas.models import PeriodState, RotaPeriod, RotaSettings, SeatChange, Shift

PREFIX = "load-"
PASSWORD = "correct-horse-battery"
FIRST_NAMES = ["Alex", "Sam", "Jordan", "Priya", "Tomasz", "Aisha", "Mateo", "Yuki", "Chloe", "Ben"]
LAST_NAMES = ["Okafor", "Nowak", "Silva", "Khan", "Larsen", "Dubois", "Ito", "Reyes", "Moss", "Ali"]
Log = Callable[[str], None]


@dataclass
class Targets:
    """What the load clients need: session cookies, feed tokens, API tokens and pages."""

    engineer_sessions: list[str] = field(default_factory=list)
    manager_periods: list[tuple[str, str]] = field(default_factory=list)  # (session, path)
    feed_paths: list[str] = field(default_factory=list)
    api_calls: list[tuple[str, str]] = field(default_factory=list)  # (bearer token, path)


def _people(team: Team, index: int, spec: dict, size: int, password: str) -> list[User]:
    """Create the team's people (the first is the manager) with verified email addresses."""
    zones = [zone for _email, _name, zone, _role in spec["people"]]
    users = User.objects.bulk_create(
        User(
            email=f"{team.slug}-{n:02d}@example.com",
            password=password,
            display_name=f"{FIRST_NAMES[n % 10]} {LAST_NAMES[(n // 10 + index) % 10]} {index}",
            timezone=zones[n % len(zones)],
            # One person per team has no on-call phone, as in the demo.
            oncall_phone="" if n == size - 1 else f"+4477009{index:02d}{n:03d}",
        )
        for n in range(size)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
    )
    Membership.objects.bulk_create(
        Membership(user=u, team=team, role=Role.MANAGER if n == 0 else Role.ENGINEER)
        for n, u in enumerate(users)
    )
    return users


def _requirements(team: Team, source: str, engineers: list[User], manager: User) -> None:
    """Copy the demo team's requirements; everyone has met them (the demo states are kept)."""
    today = team_today(team)
    names = ("kind", "applies_to", "description", "instructions", "link", "check_key")
    for spec in REQUIREMENTS[source]:
        requirement = Requirement.objects.create(
            team=team,
            title=spec["title"],
            validity_days=spec.get("validity_days"),
            version=spec.get("version", 1),
            **{name: spec.get(name) or "" for name in names},
        )
        if spec["kind"] == Kind.AUTOMATIC:
            continue
        # A few people in each non-default state, the rest met, so the rota still fills.
        states = list(spec["people"].values())
        for n, person in enumerate(engineers):
            state = states[n] if n < len(states) and n % 3 == 2 else spec["default"]
            _complete(requirement, person, state, today, manager, n)


def _periods(team: Team, spec: dict, manager: User, log: Log) -> None:
    """Six months of history, this month published, next month recommended (as the demo)."""
    rota_settings = RotaSettings.for_team(team)
    if spec["country"]:
        rota_settings.holiday_country = spec["country"]
        rota_settings.save(update_fields=["holiday_country"])
    template = _template(team, spec)
    today = timezone.localdate(timezone=team.tz)
    made = {}
    for offset in range(-HISTORY_MONTHS, 2):
        first = _month_start(today, offset)
        made[offset] = rota_services.create_period(
            team=team, template=template, starts_on=first, ends_on=_month_end(first), by=manager
        )
        if offset < 0:
            # History makes people experienced: the engine wants one on every shift.
            _fill(made[offset], history=True)
            _publish_quietly(made[offset], manager)
    rota_services.open_collecting(period=made[0], by=manager)
    _fill(made[0], history=False)
    rota_services.publish(
        period=made[0], by=manager, confirm_unfilled=True, note="Load benchmark: this month"
    )
    rota_services.open_collecting(period=made[1], by=manager)
    # The real engine, as "Recommend" runs it (eagerly here: no broker is configured).
    rota_services.request_recommendation(period=made[1], by=manager)


def _availability(users: list[User]) -> None:
    """Marks for the next two months (the demo's generator) and next month confirmed."""
    next_month = add_months(first_of_month(timezone.now().date()), 1)
    entries = []
    for user in users:
        entries += _marks_for(user, timezone.now().astimezone(user.tz).date())
    AvailabilityEntry.objects.bulk_create(entries, batch_size=2000)
    MonthConfirmation.objects.bulk_create(
        MonthConfirmation(user=u, month=next_month) for u in users[:-1]
    )


def _calendars(teams: list[Team], users: list[User]) -> None:
    """Feed tokens for everyone and calendar entries for the published shifts (as the demo)."""
    CalendarPreferences.objects.bulk_create(CalendarPreferences(user=u) for u in users)
    now = timezone.now()
    shift_ids = list(
        Shift.objects.filter(
            team__in=teams,
            seats__holder__isnull=False,
            ends_at__gt=now - PAST,
            starts_at__lt=now + FUTURE,
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    for start in range(0, len(shift_ids), 200):
        sync_shifts(shift_ids=shift_ids[start : start + 200], at=now - timedelta(minutes=5))
    pending = SeatChange.objects.filter(calendar_processed__isnull=True).values_list(
        "pk", flat=True
    )
    ProcessedChange.objects.bulk_create(
        [ProcessedChange(change_id=pk) for pk in pending], ignore_conflicts=True
    )


def build(*, teams: int = 10, people: int = 20, log: Log = print) -> None:
    """Create `teams` teams of `people` people cloned from the demo teams."""
    password = make_password(PASSWORD)  # hashed once: 200 PBKDF2 runs would take a minute
    # The engine's time limit per recommendation: the load needs a plausible draft, not the best.
    settings.ROTA_SOLVE_SECONDS = min(settings.ROTA_SOLVE_SECONDS, 2)
    made, everyone = [], []
    for index in range(teams):
        spec = TEAMS[index % len(TEAMS)]
        with transaction.atomic():
            team = Team.objects.create(
                slug=f"{PREFIX}{index + 1:02d}",
                name=f"{spec['name']} {index + 1}",
                timezone=spec["timezone"],
            )
            EscalationContact.objects.bulk_create(
                EscalationContact(team=team, position=pos, name=n, role=r, phone=p, email=e)
                for pos, (n, r, p, e) in enumerate(spec["contacts"])
            )
            users = _people(team, index, spec, people, password)
            _requirements(team, spec["slug"], users[1:], users[0])
            _availability(users)
        _periods(team, TEMPLATES[spec["slug"]], users[0], log)
        log(f"  {team.name}: {len(users)} people")
        made.append(team)
        everyone += users
    _calendars(made, everyone)


def targets(*, clients: int) -> Targets:
    """Sign in the load clients (fresh sessions) and gather the URLs and tokens they use."""
    found = Targets()
    teams = list(Team.objects.filter(slug__startswith=PREFIX).order_by("slug"))
    backend = settings.AUTHENTICATION_BACKENDS[0]
    for n in range(max(clients, len(teams))):
        team = teams[n % len(teams)]
        members = list(
            Membership.objects.filter(team=team).select_related("user").order_by("user__email")
        )
        manager = next(m.user for m in members if m.role == Role.MANAGER)
        engineer = [m.user for m in members if m.role == Role.ENGINEER][n // len(teams)]
        period = RotaPeriod.objects.filter(team=team, state=PeriodState.RECOMMENDED).first()
        if period is None:  # the engine found nothing to recommend: use the open month
            period = RotaPeriod.objects.filter(team=team).order_by("-starts_on").first()
        sessions = []
        for user in (engineer, manager):
            store = SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = backend
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store.create()
            sessions.append(store.session_key)
        found.engineer_sessions.append(sessions[0])
        found.manager_periods.append((sessions[1], f"/teams/{team.slug}/rota/{period.pk}/"))
        feed = CalendarPreferences.for_user(engineer).feed_token
        found.feed_paths.append(f"/calendars/feed/{feed}.ics")
        if n < len(teams):
            _token, raw = create_api_token(team=team, name=f"load client {n}", by=manager)
            found.api_calls.append((raw, f"/api/teams/{team.slug}/oncall"))
    return found
