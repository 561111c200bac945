"""The team rota for everyone: published periods read-only, drafts hidden, and the timeline."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from scheduling.cover import services as cover
from scheduling.rotas import services
from scheduling.rotas.models import Seat
from tests.cover.conftest import NOW, make_week
from tests.rotas.factories import RotationTemplateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def week(team, manager, engineer):
    with time_machine.travel(NOW, tick=False):
        yield make_week(team, manager, engineer)


def test_an_engineer_sees_the_published_rota_read_only(week, client_for):
    # The manager moved Tuesday to Bob without publishing: the team still sees Carol.
    tuesday = week.seat_of(30, "primary")
    Seat.objects.filter(pk=tuesday.pk).update(proposed_holder=week.bob)
    url = reverse("rotas:period", args=["payments", week.period.pk])
    response = client_for(week.alice).get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Carol Cole" in text and "Eddie Engineer" in text and "Pat Partner" in text
    assert "People × days" in text and "Shifts" in text
    # Read-only: no seat panel links, no manager buttons, no colleagues' availability.
    assert "?seat=" not in text and "Publish" not in text and "Recommend" not in text
    assert "busy (calendar)" not in text
    assert reverse("rotas:shift", args=[tuesday.shift_id]) in text
    assert reverse("rotas:timeline", args=["payments", week.period.pk]) in text
    # The manager still gets the period calendar with its actions.
    manager_page = client_for(week.manager).get(url).content.decode()
    assert "?seat=" in manager_page and "Publish" in manager_page


def test_drafts_are_404_for_engineers_and_another_teams_rota_is_404(
    week, team, manager, client_for, outsider_client
):
    template = RotationTemplateFactory(team=team, name="Next")
    draft = services.create_period(
        team=team,
        template=template,
        starts_on=date(2027, 4, 5),
        ends_on=date(2027, 4, 11),
        by=manager,
    )
    for name in ("rotas:period", "rotas:timeline"):
        draft_url = reverse(name, args=["payments", draft.pk])
        assert client_for(week.alice).get(draft_url).status_code == 404
        assert client_for(manager).get(draft_url).status_code == 200
        published = reverse(name, args=["payments", week.period.pk])
        assert outsider_client.get(published).status_code == 404
        assert client_for(week.alice).get(published).status_code == 200
    # The list shows engineers only published periods, each linked.
    listing = client_for(week.alice).get(reverse("rotas:periods", args=["payments"]))
    assert reverse("rotas:period", args=["payments", week.period.pk]) in listing.content.decode()
    assert reverse("rotas:period", args=["payments", draft.pk]) not in listing.content.decode()


def test_the_timeline_shows_a_lane_per_role_and_the_handoffs_across_dst(week, client_for):
    url = reverse("rotas:timeline", args=["payments", week.period.pk])
    week.requester.timezone = "Europe/London"  # the week in London has 167 hours
    week.requester.save()
    client = client_for(week.requester)
    response = client.get(url + "?from=2027-03-24")
    assert response.status_code == 200
    lanes = response.context["timeline"]["lanes"]
    assert [lane["label"] for lane in lanes] == ["Primary", "Secondary"]
    primary = {bar.name: bar for bar in lanes[0]["bars"]}
    assert {"Fred Friday", "Eddie Engineer", "Carol Cole"} <= set(primary)
    saturday, friday = primary["Eddie Engineer"], primary["Fred Friday"]
    # Friday hands over to Saturday at 09:00: the bars join; Saturday is 23 hours (DST).
    assert friday.left + friday.width == pytest.approx(saturday.left, abs=0.01)
    assert saturday.width == pytest.approx(100 * 23 / (7 * 24 - 1), abs=0.01)
    assert saturday.mine and not friday.mine
    text = response.content.decode()
    assert "Eddie Engineer" in text and reverse("rotas:shift", args=[week.shift.pk]) in text
    # A lane per region and role on request; a bad ?from= falls back to the period.
    assert client.get(url + "?lanes=region&from=nonsense").status_code == 200


def test_open_requests_show_on_the_team_rota_with_take_for_listed_colleagues(week, client_for):
    cover.open_request(seat=week.seat, user=week.requester)
    url = reverse("rotas:period", args=["payments", week.period.pk])
    text = client_for(week.alice).get(url).content.decode()
    assert "Looking for cover" in text and "Take this shift" in text
    text = client_for(week.fred).get(url).content.decode()
    assert "Looking for cover" in text and "Take this shift" not in text


def test_the_published_rota_and_timeline_queries_do_not_grow_with_team_size(week, client_for):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import MembershipFactory

    client = client_for(week.alice)
    urls = [
        reverse("rotas:period", args=["payments", week.period.pk]),
        reverse("rotas:timeline", args=["payments", week.period.pk]) + "?from=2027-03-24",
    ]

    def count() -> list[int]:
        found = []
        for url in urls:
            cache.clear()  # measure the build, not the cached part
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    small = count()
    for n in range(12):
        MembershipFactory(team=week.period.team, user__display_name=f"More {n}")
    assert count() == small
