"""Teams in the main navigation; the team's navigation on every team page, Manage for managers."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.security import sweep

pytestmark = pytest.mark.django_db
# Team addresses that answer a part of a page or data, not a page.
PARTS = {"oncall:api", "rotas:seat_panel"}


def _subnav(html: str) -> str:
    match = re.search(r'<nav class="subnav".*?</nav>', html, re.S)
    return match.group(0) if match else ""


def test_teams_page_lists_my_teams_and_is_in_the_main_navigation(team, other_team, engineer_client):
    response = engineer_client.get(reverse("team_list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert team.name in content and other_team.name not in content
    assert re.search(r'<a href="/teams/" class="active" aria-current="page">Teams</a>', content)


@pytest.mark.slow
def test_every_team_page_a_manager_opens_shows_the_team_navigation(world, client_for, manager):
    client = client_for(manager)
    shown = []
    for name, route in sweep.own_patterns().items():
        if not route.startswith("teams/<slug:slug>/") or name in PARTS:
            continue
        response = client.get(sweep.url_for(name, world))
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        nav = _subnav(response.content.decode())
        assert nav, f"{name} has no team navigation"
        assert "Manage" in nav and "Audit log" in nav, name
        shown.append(name)
    assert len(shown) >= 12


def test_engineers_see_the_team_pages_without_the_manage_menu(team, engineer_client):
    nav = _subnav(engineer_client.get(reverse("team_detail", args=["payments"])).content.decode())
    assert "Members" in nav and "Rota" in nav and "Cover requests" in nav
    assert "Manage" not in nav and "Audit log" not in nav


def test_the_current_page_is_marked_once(team, manager_client):
    nav = _subnav(manager_client.get(reverse("oncall:audit", args=["payments"])).content.decode())
    assert nav.count('aria-current="page"') == 1
    assert "Manage: Audit log" in nav
