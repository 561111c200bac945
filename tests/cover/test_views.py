"""Pages: access, the "can't make it" form, the request page, team page and dashboard."""

from __future__ import annotations

import pytest
from django.urls import reverse

from scheduling.cover import services
from scheduling.cover.models import CoverRequest, CoverSettings, State
from scheduling.rotas.models import Seat

pytestmark = pytest.mark.django_db


def _cant(week):
    return reverse("cover:cant_make_it", args=["payments", week.seat.pk])


def test_the_holder_says_they_cannot_make_the_whole_shift(week, client_for):
    client = client_for(week.requester)
    page = client.get(_cant(week))
    assert page.status_code == 200 and "Pat Partner" in page.content.decode()
    response = client.post(_cant(week), {"part": "whole", "reason": "ill"})
    request = CoverRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "cover:request", args=["payments", request.pk]
    )
    assert (request.requested_by, request.reason, request.starts_at, request.ends_at) == (
        week.requester,
        "ill",
        week.shift.starts_at,
        week.shift.ends_at,
    )


def test_a_part_is_read_in_the_viewers_zone_and_a_bad_part_is_refused_keeping_the_input(
    week, client_for
):
    client = client_for(week.requester)
    response = client.post(
        _cant(week),
        {
            "part": "part",
            "starts_at": "2027-03-27T08:00",
            "ends_at": "2027-03-27T12:00",
            "reason": "dentist",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "inside the shift" in text and 'value="dentist"' in text
    assert not CoverRequest.objects.exists()
    # 20:00 GMT Saturday to 06:00 BST Sunday, in London time.
    response = client.post(
        _cant(week),
        {"part": "part", "starts_at": "2027-03-27T20:00", "ends_at": "2027-03-28T06:00"},
    )
    assert response.status_code == 302
    request = CoverRequest.objects.get()
    assert (request.starts_at.isoformat(), request.ends_at.isoformat()) == (
        "2027-03-27T20:00:00+00:00",
        "2027-03-28T05:00:00+00:00",
    )


def test_a_colleague_cannot_open_a_request_for_someone_elses_seat_but_a_manager_can(
    week, client_for
):
    assert client_for(week.alice).post(_cant(week), {"part": "whole"}).status_code == 403
    response = client_for(week.manager).post(
        _cant(week), {"part": "whole", "reason": "unreachable"}
    )
    assert response.status_code == 302
    assert CoverRequest.objects.get().opened_by == week.manager


def test_another_teams_people_get_404_everywhere(week, outsider_client):
    request = services.open_request(seat=week.seat, user=week.requester)
    for url in (
        _cant(week),
        reverse("cover:request", args=["payments", request.pk]),
        reverse("cover:team", args=["payments"]),
        reverse("cover:offer_swap", args=["payments", week.seat.pk]),
    ):
        assert outsider_client.get(url).status_code == 404
    # Through its own team slug, another team's request is not found either.
    assert (
        outsider_client.get(reverse("cover:request", args=["elsewhere", request.pk])).status_code
        == 404
    )
    assert (
        outsider_client.post(reverse("cover:withdraw", args=["payments", request.pk])).status_code
        == 404
    )


def test_engineers_get_403_on_manager_actions(week, client_for):
    request = services.open_request(seat=week.seat, user=week.requester)
    alice = client_for(week.alice)
    assert (
        alice.post(
            reverse("cover:assign", args=["payments", request.pk]), {"user": week.alice.pk}
        ).status_code
        == 403
    )
    assert alice.post(reverse("cover:undo", args=["payments", request.pk])).status_code == 403
    assert alice.get(reverse("cover:settings", args=["payments"])).status_code == 403
    assert Seat.objects.get(pk=week.seat.pk).holder == week.requester


def test_state_changes_are_post_only(week, client_for):
    request = services.open_request(seat=week.seat, user=week.requester)
    client = client_for(week.requester)
    assert client.get(reverse("cover:withdraw", args=["payments", request.pk])).status_code == 405
    request.refresh_from_db()
    assert request.state == State.OPEN
    client.post(reverse("cover:withdraw", args=["payments", request.pk]))
    request.refresh_from_db()
    assert request.state == State.WITHDRAWN


def test_the_manager_sees_ranked_candidates_with_reasons_history_and_assigns_in_one_click(
    week, client_for
):
    request = services.open_request(seat=week.seat, user=week.requester, reason="ill")
    client = client_for(week.manager)
    text = client.get(reverse("cover:request", args=["payments", request.pk])).content.decode()
    assert text.index("Alice Able") < text.index("Bob Baker") < text.index("Carol Cole")
    assert "past shift" in text and "History" in text and "can&#x27;t make" in text
    response = client.post(
        reverse("cover:assign", args=["payments", request.pk]), {"user": week.bob.pk}
    )
    assert response.status_code == 302
    assert Seat.objects.get(pk=week.seat.pk).holder == week.bob
    text = client.get(reverse("cover:request", args=["payments", request.pk])).content.decode()
    assert "Covered by" in text and "Undo cover" in text


def test_the_team_page_shows_urgent_requests_to_managers_only(week, client_for):
    request = services.open_request(seat=week.seat, user=week.requester)
    team_url = reverse("team_detail", args=["payments"])
    assert "Urgent: cover needed" not in client_for(week.manager).get(team_url).content.decode()
    CoverRequest.objects.filter(pk=request.pk).update(state=State.ESCALATED)
    assert "Urgent: cover needed" in client_for(week.manager).get(team_url).content.decode()
    assert "Urgent: cover needed" not in client_for(week.alice).get(team_url).content.decode()


def test_the_dashboard_lists_what_i_am_asked_to_cover_with_signed_links(week, client_for):
    services.open_request(seat=week.seat, user=week.requester)
    text = client_for(week.alice).get(reverse("dashboard")).content.decode()
    assert "You are asked to cover" in text and "/c/cover/" in text
    assert (
        "You are asked to cover"
        not in client_for(week.bob).get(reverse("dashboard")).content.decode()
    )
    assert "Your requests" in client_for(week.requester).get(reverse("dashboard")).content.decode()


def test_managers_change_the_asking_mode_and_bad_values_are_refused(week, client_for):
    client = client_for(week.manager)
    url = reverse("cover:settings", args=["payments"])
    values = {
        "mode": "broadcast",
        "wait_hours": 2,
        "broadcast_k": 0,
        "escalate_hours_before": 24,
        "urgent_within_hours": 12,
    }
    response = client.post(url, values)
    assert response.status_code == 400 and "Between 1 and 20" in response.content.decode()
    response = client.post(url, {**values, "broadcast_k": 4})
    assert response.status_code == 302
    settings = CoverSettings.objects.get(team=week.period.team)
    assert (settings.mode, settings.broadcast_k, settings.wait_hours) == ("broadcast", 4, 2)


def test_the_team_cover_page_offers_my_shifts_and_the_shift_panel_tag_renders(week, client_for):
    from django.template import Context, Template
    from django.test import RequestFactory

    text = client_for(week.requester).get(reverse("cover:team", args=["payments"])).content.decode()
    assert (
        _cant(week) in text and reverse("cover:offer_swap", args=["payments", week.seat.pk]) in text
    )
    request = services.open_request(seat=week.seat, user=week.requester)
    html = Template("{% load cover %}{% cover_panel shift %}").render(
        Context({"shift": week.shift, "user": week.requester, "request": RequestFactory().get("/")})
    )
    assert _cant(week) in html and reverse("cover:request", args=["payments", request.pk]) in html
    html = Template("{% load cover %}{% cover_panel shift %}").render(
        Context({"shift": week.shift, "user": week.alice})
    )
    assert _cant(week) not in html and "Eddie Engineer" in html


def test_the_team_cover_page_and_dashboard_use_the_same_queries_for_more_requests(week, client_for):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from scheduling.cover.models import Ask

    def add(n: int) -> None:
        for _ in range(n):
            request = CoverRequest.objects.create(
                team=week.period.team,
                seat=week.seat,
                requested_by=week.requester,
                starts_at=week.shift.starts_at,
                ends_at=week.shift.ends_at,
                escalate_at=week.shift.starts_at,
                state=State.ESCALATED,
            )
            Ask.objects.create(request=request, candidate=week.alice, rank=1, state="asked")

    def count(url: str, user) -> int:
        client = client_for(user)
        cache.clear()  # measure the page as built, not as cached
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = [
        (reverse("cover:team", args=["payments"]), week.manager),
        (reverse("dashboard"), week.alice),
    ]
    add(1)
    [count(url, user) for url, user in urls]  # warm up: settings rows are created on first use
    few = [count(url, user) for url, user in urls]
    add(6)
    assert [count(url, user) for url, user in urls] == few
