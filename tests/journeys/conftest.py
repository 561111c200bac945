"""The world the journeys share: Payments with five people and March 2027 (DST on the 28th).

The clock is moved to mid-February 2027 (ticking, so the browser, the live server and Radicale
keep real time between steps) so that "next month" is March and every journey crosses a DST change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

import caldav
import icalendar
import pytest
import requests
import time_machine

from accounts.models import Team, User
from calendars import services as calendars
from calendars.models import CalendarPreferences, PushTarget
from scheduling.requirements.models import Requirement
from scheduling.rotas import services as rota
from scheduling.rotas.models import RotaPeriod, RotaSettings, Seat
from tests.factories import PASSWORD, EscalationContactFactory, MembershipFactory, TeamFactory
from tests.requirements.factories import CompletionFactory, RequirementFactory
from tests.rotas.factories import RotationTemplateFactory

NOW = datetime(2027, 2, 15, 10, 0, tzinfo=UTC)
MARCH = (date(2027, 3, 1), date(2027, 3, 31))
# Saturday 27 March 09:00 GMT → Sunday 28 March 09:00 BST: a 23-hour shift.
DST_SATURDAY = date(2027, 3, 27)
ON_CALL = "On call"


@dataclass
class World:
    team: Team
    manager: User
    engineer: User  # Radicale account "alice"
    partner: User
    alice: User  # Alice Able, Radicale account "bob"
    bob: User  # Bob Baker, Radicale account "carol"
    requirement: Requirement
    period: RotaPeriod
    radicale: object

    def meet_requirement(self, user: User) -> None:
        CompletionFactory(requirement=self.requirement, user=user)

    def connect(self, user: User, account: str) -> PushTarget:
        """Push the person's shifts to the account's "On call" calendar (as My calendar does)."""
        return calendars.connect_push(
            user=user,
            server_url=self.radicale.url,
            username=account,
            password=self.radicale.users[account],
            calendar_name=ON_CALL,
        )

    def seat(self, day: date, role: str) -> Seat:
        return Seat.objects.select_related("shift", "holder").get(
            shift__period=self.period, shift__starts_at__date=day, role=role
        )


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def world(clock, radicale) -> World:
    """Payments: a manager, Eddie (the journeys' engineer), three colleagues; March collecting."""
    team = TeamFactory(name="Payments", slug="payments", timezone="Europe/London")
    settings = RotaSettings.for_team(team)
    settings.require_experienced = False
    settings.save()

    def member(name: str, role: str = "engineer") -> User:
        return MembershipFactory(team=team, role=role, user__display_name=name).user

    manager = member("Maya Manager", "manager")
    engineer = member("Eddie Engineer")
    partner, alice, bob = member("Pat Partner"), member("Alice Able"), member("Bob Baker")
    EscalationContactFactory(
        team=team, position=1, name="Sam Senior", role="Engineering manager", phone="+442079460001"
    )
    EscalationContactFactory(
        team=team,
        position=2,
        name="Dana Director",
        role="Head of engineering",
        phone="+442079460002",
    )
    requirement = RequirementFactory(
        team=team,
        title="Read the incident runbook",
        instructions="Read the runbook, then confirm here.",
    )
    for user in (manager, partner, alice, bob):
        CompletionFactory(requirement=requirement, user=user)
    template = RotationTemplateFactory(team=team, name="Daily 09:00")
    period = rota.create_period(
        team=team, template=template, starts_on=MARCH[0], ends_on=MARCH[1], by=manager
    )
    period = rota.open_collecting(period=period, by=manager)
    return World(team, manager, engineer, partner, alice, bob, requirement, period, radicale)


# --- what a person does in the browser -------------------------------------------------------


def sign_in(page, base: str, user: User) -> None:
    """Sign in through the real form."""
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/")


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


# --- reading the calendars back, as a calendar app would ------------------------------------


def caldav_events(radicale, account: str, calendar: str = ON_CALL) -> dict[str, icalendar.Event]:
    """Return UID → VEVENT of the account's calendar, read with a client of its own."""
    client = caldav.DAVClient(url=radicale.url, username=account, password=radicale.users[account])
    found = {}
    for cal in client.principal().calendars():
        if cal.name == calendar:
            for item in cal.events():
                event = item.icalendar_instance.walk("VEVENT")[0]
                found[str(event["UID"])] = event
    return found


def feed_events(base: str, user: User) -> dict[str, icalendar.Event]:
    """Return UID → VEVENT of the person's feed, fetched over HTTP like a calendar app."""
    token = CalendarPreferences.for_user(user).feed_token
    response = requests.get(f"{base}/calendars/feed/{token}.ics", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def link_in(event: icalendar.Event, base: str) -> str:
    """Return the event's "Can't make it?" link, pointed at the live server."""
    match = re.search(r"Can't make it\? (\S+)", str(event["DESCRIPTION"]))
    assert match, event["DESCRIPTION"]
    return re.sub(r"^https?://[^/]+", base, match.group(1))
