"""Signing in: the MFA a team requires, sign-in rate limits, and the admin's way in."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.factories import PASSWORD, MembershipFactory
from tests.security import sweep

pytestmark = pytest.mark.django_db


def _superuser_of(team) -> User:
    return MembershipFactory(
        team=team, role="manager", user__is_staff=True, user__is_superuser=True
    ).user


# Reachable while MFA is not set up: signed links, invitations, health, feeds' API, allauth.
MFA_EXEMPT = {
    "healthz",
    "invitation",
    "oncall:api",
    "cover:link",
    "cover:swap_link",
    "calendars:link",
    "calendars:link_done",
}


@pytest.mark.parametrize("persona", ["engineer", "manager"])
def test_a_team_requiring_mfa_sends_every_page_to_mfa_setup(
    world, team, request, client_for, persona
):
    team.require_mfa = True
    team.save()
    client = client_for(request.getfixturevalue(persona))
    setup = reverse("mfa_activate_totp")
    let_through, held = [], []
    for name in sweep.own_patterns():
        url = sweep.url_for(name, world)
        for answer in (client.get(url), client.post(url, {})):
            sent_to_setup = answer.status_code == 302 and answer["Location"] == setup
            (held if sent_to_setup else let_through).append(name)
    assert set(let_through) == MFA_EXEMPT
    assert set(held) == set(sweep.own_patterns()) - MFA_EXEMPT
    assert client.get(reverse("account_logout")).status_code == 200


def test_with_an_authenticator_the_pages_open_again(world, team, engineer, engineer_client):
    team.require_mfa = True
    team.save()
    assert engineer_client.get(reverse("team_detail", args=[team.slug])).status_code == 302
    Authenticator.objects.create(user=engineer, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert engineer_client.get(reverse("team_detail", args=[team.slug])).status_code == 200


def test_mfa_of_one_team_does_not_bind_the_members_of_another(world, team, outsider_client):
    team.require_mfa = True
    team.save()
    assert outsider_client.get(reverse("dashboard")).status_code == 200


def _sign_in(client: Client, email: str, password: str, address: str = "203.0.113.7") -> bool:
    client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address
    )
    return "_auth_user_id" in client.session


def test_after_five_failures_even_the_right_password_is_refused_for_a_while(engineer):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):
            assert not _sign_in(client, engineer.email, "wrong-password")
        response = client.post(
            reverse("account_login"),
            {"login": engineer.email, "password": PASSWORD},
            REMOTE_ADDR="203.0.113.7",
        )
        assert "_auth_user_id" not in client.session
        assert "Too many failed login attempts" in response.content.decode()
        clock.shift(timedelta(minutes=4))
        assert not _sign_in(client, engineer.email, PASSWORD)
        clock.shift(timedelta(minutes=2))
        assert _sign_in(client, engineer.email, PASSWORD)


def test_failures_from_many_addresses_still_lock_the_account_for_a_while(engineer):
    with time_machine.travel(timezone.now(), tick=False):
        for n in range(5):
            assert not _sign_in(Client(), engineer.email, "wrong", address=f"198.51.100.{n}")
        assert not _sign_in(Client(), engineer.email, PASSWORD, address="198.51.100.99")


def test_one_address_failing_on_many_accounts_is_stopped(team, settings):
    settings.SIGN_IN_FAILURES_PER_ADDRESS = 5  # 30 by default
    people = [MembershipFactory(team=team).user for _ in range(6)]
    with time_machine.travel(timezone.now(), tick=False):
        for person in people[:5]:
            assert not _sign_in(Client(), person.email, "wrong")
        assert not _sign_in(Client(), people[5].email, PASSWORD)
        assert _sign_in(Client(), people[5].email, PASSWORD, address="192.0.2.50")


def test_the_admin_is_no_way_around_the_mfa_a_team_requires(team, client_for):
    admin = _superuser_of(team)
    team.require_mfa = True
    team.save()
    response = client_for(admin).get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_the_admin_sign_in_cannot_skip_the_authenticator_code(team):
    admin = _superuser_of(team)
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client = Client()
    client.post(reverse("admin:login"), {"username": admin.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
