"""A POST-only address opened as a page answers a friendly 405 that links to its page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rota.middleware import page_it_belongs_to

pytestmark = pytest.mark.django_db


def test_a_button_address_links_back_to_the_page_it_belongs_to(team, manager_client):
    response = manager_client.get(reverse("team_invite", args=["payments"]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    content = response.content.decode()
    assert "This address is a button" in content
    assert f'href="{reverse("team_detail", args=["payments"])}"' in content


def test_the_page_it_belongs_to_is_the_nearest_parent_page():
    assert page_it_belongs_to("/teams/payments/rota/3/seats/9/assign/") == (
        "/teams/payments/rota/3/"
    )
    assert page_it_belongs_to("/teams/payments/members/4/role/") == "/teams/payments/"
    assert page_it_belongs_to("/nothing/here/") == "/"


def test_api_clients_and_posts_keep_the_plain_405(team, manager_client):
    url = reverse("team_invite", args=["payments"])
    plain = manager_client.get(url, HTTP_ACCEPT="application/json")
    assert plain.status_code == 405 and plain.content == b""
    assert manager_client.post(reverse("dashboard")).content == b""
