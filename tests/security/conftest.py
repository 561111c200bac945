"""One team's whole world, for walking every URL as every persona."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import services as accounts
from accounts.models import Invitation, Membership
from calendars.content import cant_make_it_url
from calendars.models import CalendarPreferences, TeamFeed
from integrations.paging import services as paging
from integrations.paging.models import ScheduleLink
from integrations.webhooks import services as webhooks
from integrations.webhooks.models import Delivery, Endpoint
from scheduling.availability import services as availability
from scheduling.availability.models import AvailabilityEntry, BusyBlock, CalendarConnection
from scheduling.cover import services as cover
from scheduling.cover import swaps
from scheduling.cover.ask_links import ask_url, swap_url
from scheduling.cover.models import Ask, CoverRequest, SwapOffer
from scheduling.oncall import services as oncall
from scheduling.oncall.models import HandoverNote, TeamApiToken
from scheduling.requirements import services as requirements
from scheduling.requirements.models import Completion, Kind
from scheduling.rotas.models import Seat
from tests.availability.conftest import ics_server  # noqa: F401 (a fixture, reused)
from tests.availability.factories import BusyBlockFactory, ConnectionFactory
from tests.cover.conftest import Week, make_week
from tests.oncall.factories import HandoverNoteFactory
from tests.requirements.factories import RequirementFactory

PDF = b"%PDF-1.4\n%evidence\n"


@dataclass
class World:
    """Every kind of object a URL can name, all belonging to the persona team."""

    week: Week
    membership: Membership  # the engineer's
    invitation: Invitation
    invitation_token: str
    completion: Completion  # the engineer's evidence upload, pending
    cover_request: CoverRequest
    ask: Ask  # the engineer is asked to cover Carol's Tuesday
    swap: SwapOffer  # Alice offers the engineer her Wednesday for his Saturday
    connection: CalendarConnection  # the engineer's
    block: BusyBlock
    entry: AvailabilityEntry  # a time range of the engineer's
    note: HandoverNote
    api_token: TeamApiToken
    api_secret: str
    feed_token: str  # the engineer's personal feed
    team_feed_token: str
    # Integrations: a webhook endpoint with one delivery, a paging link and a paging feed.
    endpoint: Endpoint | None = None
    delivery: Delivery | None = None
    schedule_link: ScheduleLink | None = None
    paging_feed_token: str = ""

    @property
    def period(self):
        return self.week.period

    @property
    def seat(self) -> Seat:
        return self.week.seat

    def ask_link(self) -> str:
        return ask_url(self.ask, "cover_agree", absolute=False)

    def swap_link(self) -> str:
        return swap_url(self.swap, "swap_accept", absolute=False)

    def cant_make_it_link(self) -> str:
        seat = self.week.seat
        return cant_make_it_url(
            user_id=seat.holder_id, seat_id=seat.pk, ends_at=seat.shift.ends_at
        ).removeprefix(_site())


def _site() -> str:
    from django.conf import settings

    return settings.SITE_URL


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Forget sign-in failures of earlier tests (allauth counts them in the cache)."""
    cache.clear()


@pytest.fixture
def world(team, manager, engineer, outsider, settings, tmp_path) -> World:
    """Build the persona team's world through the real services."""
    settings.MEDIA_ROOT = tmp_path / "media"
    week = make_week(team, manager, engineer)
    invitation, invitation_token = accounts.invite(
        team=team, email="new@example.com", role="engineer", invited_by=manager
    )
    # Secondary only: the primaries' swap below must stay allowed (both need the primary role).
    certificate = RequirementFactory(
        team=team, title="Certificate", kind=Kind.EVIDENCE, applies_to="secondary"
    )
    completion = requirements.submit_evidence(
        requirement=certificate,
        user=engineer,
        upload=SimpleUploadedFile("cert.pdf", PDF, content_type="application/pdf"),
    )
    tuesday = week.seat_of(30, "primary")
    cover_request = cover.open_request(seat=tuesday, user=week.carol)
    ask = cover_request.asks.filter(candidate=engineer).first() or Ask.objects.create(
        request=cover_request, candidate=engineer, rank=99
    )
    wednesday = week.seat_of(24, "primary")
    Seat.objects.filter(pk=wednesday.pk).update(holder=week.alice, proposed_holder=week.alice)
    swap = swaps.offer_swap(from_seat=wednesday, to_seat=week.seat, by=week.alice)
    connection = ConnectionFactory(user=engineer)
    entry = availability.add_time_range(
        user=engineer,
        day=date(2027, 3, 1),
        start_time=time(9),
        end_time=time(12),
        kind="unavailable",
    )
    api_token, api_secret = oncall.create_api_token(team=team, name="Pager", by=manager)
    # Settings rows made on first use exist already, so a GET that reads them changes nothing.
    for user in (manager, engineer, outsider, week.partner):
        CalendarPreferences.for_user(user)
    for each in (team, outsider.memberships.get().team):
        TeamFeed.for_team(each)
        availability.settings_for(each)
    endpoint = Endpoint.objects.create(
        team=team, url="https://hooks.example.com/rota", events=["seat.changed"], secret="whsec_x"
    )
    schedule_link = ScheduleLink.objects.create(
        team=team, provider="pagerduty", role="primary", schedule_id="PX", api_key="k"
    )
    _, paging_feed_token = paging.create_feed(team=team, role="primary", by=manager)
    return World(
        endpoint=endpoint,
        delivery=webhooks.send_test(endpoint=endpoint, by=manager),
        schedule_link=schedule_link,
        paging_feed_token=paging_feed_token,
        week=week,
        membership=Membership.objects.get(team=team, user=engineer),
        invitation=invitation,
        invitation_token=invitation_token,
        completion=completion,
        cover_request=cover_request,
        ask=ask,
        swap=swap,
        connection=connection,
        block=BusyBlockFactory(connection=connection),
        entry=entry,
        note=HandoverNoteFactory(shift=week.shift, author=engineer),
        api_token=api_token,
        api_secret=api_secret,
        feed_token=CalendarPreferences.for_user(engineer).feed_token,
        team_feed_token=TeamFeed.for_team(team).token,
    )
