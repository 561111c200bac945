"""Rota pages: access for each persona, forms, confirmations, and constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scheduling.availability.models import AvailabilityEntry
from scheduling.rotas import services
from scheduling.rotas.models import RotaPeriod, RotationTemplate, Seat
from tests.factories import MembershipFactory, TeamFactory
from tests.rotas.conftest import FIRST, LAST
from tests.rotas.factories import RotationTemplateFactory

pytestmark = pytest.mark.django_db


def _manager_urls(period, seat):
    slug, pk = period.team.slug, period.pk
    return {
        "get": [
            reverse("rotas:status", args=[slug, pk]),
            reverse("rotas:settings", args=[slug]),
            reverse("rotas:template_new", args=[slug]),
            reverse("rotas:template_edit", args=[slug, period.template_id]),
        ],
        "post": [
            reverse("rotas:collect", args=[slug, pk]),
            reverse("rotas:recommend", args=[slug, pk]),
            reverse("rotas:accept", args=[slug, pk]),
            reverse("rotas:publish", args=[slug, pk]),
            reverse("rotas:assign", args=[slug, pk, seat.pk]),
            reverse("rotas:clear", args=[slug, pk, seat.pk]),
            reverse("rotas:lock", args=[slug, pk, seat.pk]),
        ],
    }


def test_manager_pages_are_403_for_engineers_and_404_for_other_teams(
    period, engineer_client, outsider_client, manager_client
):
    seat = Seat.objects.filter(shift__period=period).first()
    urls = _manager_urls(period, seat)
    for url in urls["get"]:
        assert engineer_client.get(url).status_code == 403, url
        assert outsider_client.get(url).status_code == 404, url
        assert manager_client.get(url).status_code == 200, url
    for url in urls["post"]:
        assert engineer_client.post(url).status_code == 403, url
        assert outsider_client.post(url).status_code == 404, url
        assert manager_client.get(url).status_code == 405, url  # state changes are POST only
    assert (
        engineer_client.post(reverse("rotas:periods", args=[period.team.slug])).status_code == 403
    )


def test_another_teams_period_through_my_team_is_404(period, outsider, client_for):
    # The outsider manages their own team, but this period is not theirs.
    own = MembershipFactory(user=outsider, team=TeamFactory(slug="own"), role="manager").team
    response = client_for(outsider).get(reverse("rotas:period", args=[own.slug, period.pk]))
    assert response.status_code == 404


def test_periods_list_for_managers_and_engineers(
    period, manager_client, engineer_client, manager, crew
):
    page = manager_client.get(reverse("rotas:periods", args=["payments"]))
    assert page.status_code == 200 and b"New period" in page.content and b"24 Mar" in page.content
    page = engineer_client.get(reverse("rotas:periods", args=["payments"]))
    assert page.status_code == 200 and b"24 Mar" not in page.content  # not published yet
    for seat in Seat.objects.filter(shift__period=period):
        Seat.objects.filter(pk=seat.pk).update(proposed_holder=crew[seat.pk % len(crew)])
    services.publish(period=period, by=manager)
    assert b"24 Mar" in engineer_client.get(reverse("rotas:periods", args=["payments"])).content


def test_create_period_form(team, template, manager_client, crew):
    url = reverse("rotas:periods", args=["payments"])
    response = manager_client.post(
        url, {"template": template.pk, "starts_on": "2027-03-24", "ends_on": "2027-03-20"}
    )
    assert response.status_code == 400 and b"on or after the first day" in response.content
    response = manager_client.post(
        url, {"template": template.pk, "starts_on": "2027-03-24", "ends_on": "2027-03-30"}
    )
    period = RotaPeriod.objects.get(team=team)
    assert response.status_code == 302 and response.url == reverse(
        "rotas:period", args=["payments", period.pk]
    )
    response = manager_client.post(
        url, {"template": template.pk, "starts_on": "2027-03-28", "ends_on": "2027-04-02"}
    )
    assert response.status_code == 400 and b"overlaps" in response.content
    assert RotaPeriod.objects.filter(team=team).count() == 1


def test_assign_asks_for_confirmation_and_keeps_the_seat_until_confirmed(
    period, engineer, manager_client
):
    seat = (
        Seat.objects.filter(shift__period=period, role="primary")
        .order_by("shift__starts_at")
        .first()
    )
    AvailabilityEntry.objects.create(user=engineer, day=FIRST, kind="unavailable")
    url = reverse("rotas:assign", args=["payments", period.pk, seat.pk])
    response = manager_client.post(url, {"user": engineer.pk})
    assert response.status_code == 409
    assert (
        b"is unavailable during this shift" in response.content
        and b"Assign anyway" in response.content
    )
    assert Seat.objects.get(pk=seat.pk).proposed_holder is None
    response = manager_client.post(url, {"user": engineer.pk, "confirm": "on"})
    assert response.status_code == 302
    assert Seat.objects.get(pk=seat.pk).proposed_holder == engineer


def test_assign_someone_from_another_team_is_404(period, outsider, manager_client):
    seat = Seat.objects.filter(shift__period=period).first()
    response = manager_client.post(
        reverse("rotas:assign", args=["payments", period.pk, seat.pk]), {"user": outsider.pk}
    )
    assert response.status_code == 404


def test_publish_with_empty_seats_shows_them_and_needs_a_second_click(period, manager_client):
    url = reverse("rotas:publish", args=["payments", period.pk])
    response = manager_client.post(url)
    assert response.status_code == 409
    assert (
        b"14 seats would be left empty" in response.content
        and b"Sat 27 Mar 09:00 primary" in response.content
    )
    period.refresh_from_db()
    assert period.version == 0
    response = manager_client.post(url, {"confirm_unfilled": "on"})
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.version == 1


def test_period_page_shows_candidates_with_reasons(period, manager_client, engineer):
    seat = (
        Seat.objects.filter(shift__period=period, role="primary")
        .order_by("shift__starts_at")
        .first()
    )
    page = manager_client.get(
        reverse("rotas:period", args=["payments", period.pk]) + f"?seat={seat.pk}"
    )
    assert page.status_code == 200
    content = page.content.decode()
    assert "Candidates" in content and "Eddie Engineer" in content
    assert "0 shifts so far this period (team mean 0.0)" in content


def test_status_endpoint_reports_the_latest_recommendation(
    period, manager, manager_client, monkeypatch
):
    from scheduling.rotas import tasks

    url = reverse("rotas:status", args=["payments", period.pk])
    assert manager_client.get(url).json()["status"] == "none"
    assert manager_client.get(url).json()["busy"] is False
    monkeypatch.setattr(tasks.recommend, "delay", lambda pk: None)
    services.request_recommendation(period=period, by=manager)
    body = manager_client.get(url).json()
    assert body["status"] == "queued" and body["busy"] is True


def test_settings_and_template_forms(team, manager_client):
    url = reverse("rotas:settings", args=["payments"])
    response = manager_client.post(
        url,
        {
            "weekend_weight": "1.5",
            "holiday_weight": "2",
            "holiday_country": "XX",
            "min_rest_hours": "12",
            "experienced_threshold": "10",
        },
    )
    assert response.status_code == 400 and b"is not a country" in response.content
    response = manager_client.post(
        url,
        {
            "weekend_weight": "1.25",
            "holiday_weight": "2",
            "holiday_country": "gb",
            "min_rest_hours": "10",
            "experienced_threshold": "5",
        },
    )
    assert response.status_code == 302
    assert team.rota_settings.holiday_country == "GB" and team.rota_settings.weekend_weight == 1.25
    data = {
        "name": "Follow the sun",
        "active": "on",
        "kind": "daily",
        "handoff_time": "09:00",
        "handoff_weekday": "0",
        "length_days": "1",
        "roles": ["primary"],
        "patterns-TOTAL_FORMS": "2",
        "patterns-INITIAL_FORMS": "0",
        "patterns-MIN_NUM_FORMS": "0",
        "patterns-MAX_NUM_FORMS": "6",
        "patterns-0-label": "London",
        "patterns-0-timezone": "Europe/London",
        "patterns-0-start_time": "08:00",
        "patterns-0-end_time": "16:00",
        "patterns-1-label": "",
        "patterns-1-timezone": "",
        "patterns-1-start_time": "",
        "patterns-1-end_time": "",
    }
    response = manager_client.post(
        reverse("rotas:template_new", args=["payments"]), {**data, "roles": ["secondary"]}
    )
    assert response.status_code == 400 and b"needs a primary" in response.content
    response = manager_client.post(reverse("rotas:template_new", args=["payments"]), data)
    assert response.status_code == 302
    template = RotationTemplate.objects.get(team=team)
    assert template.roles == ["primary"] and [p.label for p in template.patterns.all()] == [
        "London"
    ]


def test_shift_page_for_members_only(
    period, crew, manager, engineer_client, outsider_client, engineer, client_for
):
    for seat in Seat.objects.filter(shift__period=period):
        Seat.objects.filter(pk=seat.pk).update(proposed_holder=crew[seat.pk % len(crew)])
    services.publish(period=period, by=manager)
    seat = (
        Seat.objects.filter(shift__period=period, holder=engineer).select_related("shift").first()
    )
    url = reverse("rotas:shift", args=[seat.shift_id])
    assert outsider_client.get(url).status_code == 404
    page = engineer_client.get(url)
    assert page.status_code == 200 and engineer.oncall_phone.encode() in page.content


def _period_page_queries(team_size: int, client_for, *, part: bool = False) -> int:
    team = TeamFactory()
    managers = [MembershipFactory(team=team, role="manager").user]
    users = managers + [MembershipFactory(team=team).user for _ in range(team_size - 1)]
    template = RotationTemplateFactory(team=team)
    period = services.create_period(
        team=team, template=template, starts_on=FIRST, ends_on=LAST, by=users[0]
    )
    seats = list(Seat.objects.filter(shift__period=period))
    for i, seat in enumerate(seats):
        Seat.objects.filter(pk=seat.pk).update(
            proposed_holder=users[i % team_size], locked=i % 2 == 0
        )
    for user in users[:4]:
        AvailabilityEntry.objects.create(user=user, day=FIRST, kind="unavailable")
    client = client_for(users[0])
    url = reverse("rotas:period", args=[team.slug, period.pk]) + f"?seat={seats[3].pk}"
    if part:
        url = reverse("rotas:seat_panel", args=[team.slug, period.pk, seats[3].pk])
    client.get(url)  # warm up session and caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_period_calendar_queries_do_not_grow_with_team_size(client_for):
    assert _period_page_queries(10, client_for) == _period_page_queries(60, client_for)


def test_the_calendar_built_without_a_cache_and_the_seat_panel_take_the_same_queries_at_any_size(
    client_for, settings
):
    settings.PAGE_CACHE = False  # every request builds the grid, the table, summary and health
    assert _period_page_queries(10, client_for) == _period_page_queries(60, client_for)
    assert _period_page_queries(10, client_for, part=True) == _period_page_queries(
        60, client_for, part=True
    )
