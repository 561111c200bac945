"""Every view that accepts a POST refuses one without a CSRF token, signed links included."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import resolve

from tests.security import sweep
from tests.security.test_url_sweep import TABLE

pytestmark = pytest.mark.django_db

# POST-accepting views that skip CSRF on purpose: Slack's endpoints, which carry no cookie and
# answer 401 unless signed with the Slack signing secret. The on-call API answers GET alone and
# authenticates with a bearer token rather than a cookie.
CSRF_EXEMPT_POSTS: set[str] = {"slack:commands", "slack:interactions"}


def accepts_post(name: str) -> bool:
    """Tell from the table whether any persona's POST reaches the view (not 405)."""
    return any(status != "405" for status in TABLE[name][1].split())


def poster(name: str) -> str:
    """Return a persona whose POST the view would act on: the manager, the engineer, or anyone."""
    statuses = dict(zip(sweep.PERSONAS, TABLE[name][1].split(), strict=True))
    allowed = [p for p in ("manager", "engineer") if statuses[p] not in ("403", "404", "405")]
    return (allowed or ["anonymous"])[0]


def test_exactly_the_allow_list_skips_csrf(world):
    exempt = {
        name
        for name in sweep.own_patterns()
        if getattr(resolve(sweep.url_for(name, world)).func, "csrf_exempt", False)
    }
    assert {name for name in exempt if accepts_post(name)} == CSRF_EXEMPT_POSTS
    assert exempt == {"oncall:api"} | CSRF_EXEMPT_POSTS
    assert set(TABLE["oncall:api"][1].split()) == {"405"}


def test_every_post_without_a_token_is_refused_and_changes_nothing(
    world, manager, engineer, client_for
):
    clients = {"anonymous": Client(enforce_csrf_checks=True)}
    for persona, user in (("manager", manager), ("engineer", engineer)):
        clients[persona] = Client(enforce_csrf_checks=True)
        clients[persona].force_login(user)
    refused, accepted = [], []
    before = sweep.fingerprint()
    names = [name for name in TABLE if accepts_post(name) and name not in CSRF_EXEMPT_POSTS]
    for name in names:
        persona = poster(name)
        response = clients[persona].post(sweep.url_for(name, world), {})
        if response.status_code == 403 and b"CSRF" in response.content:
            refused.append(name)
        else:
            accepted.append(f"{name} as {persona}: {response.status_code}")
    assert accepted == []
    assert sorted(refused) == sorted(names)
    # Signed links act without a session, but their POSTs still need the token.
    assert {"invitation", "cover:link", "cover:swap_link", "calendars:link"} <= set(refused)
    assert sweep.changed(before, sweep.fingerprint()) == []


def test_the_same_post_with_a_token_gets_through(world, manager):
    """The control: with the cookie and the token, the view itself answers."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    client.get(sweep.url_for("team_settings", world))
    token = client.cookies["csrftoken"].value
    response = client.post(
        sweep.url_for("oncall:token_create", world),
        {"name": "Pager 2", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert world.api_token.team.api_tokens.count() == 2
