"""Single sign-on against a real OpenID provider on loopback (oidc-provider-mock).

Who may join (an invitation, a team's email domain, no one else), the same account for a
person who had a password, and a team that requires SSO.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse

from accounts import services as accounts
from accounts.models import Invitation, Membership, User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
SSO_LOGIN = "/accounts/oidc/sso/login/"


def sso_sign_in(client: Client, provider, sub: str):
    """Go through the whole code flow: Rota → provider's consent form → Rota's callback."""
    start = client.post(SSO_LOGIN)
    assert start.status_code == 302, start.content[:500]
    authorize = start["Location"]
    assert authorize.startswith(provider.issuer)
    answer = requests.post(authorize, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    callback = urlsplit(answer.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")


def _readdress(user: User, email: str) -> None:
    """Give the person this (verified, primary) address, as if invited with it."""
    from allauth.account.models import EmailAddress

    User.objects.filter(pk=user.pk).update(email=email)
    EmailAddress.objects.filter(user=user).delete()
    user.refresh_from_db()
    accounts._mark_email_verified(user)


def test_without_a_provider_there_is_no_button():
    page = Client().get(reverse("account_login")).content.decode()
    assert "Sign in with" not in page


def test_the_login_page_offers_the_configured_provider(oidc_provider):
    page = Client().get(reverse("account_login")).content.decode()
    assert f"Sign in with {oidc_provider.label}" in page


def test_an_invited_person_gets_an_account_and_joins_by_sso(oidc_provider, team, manager):
    accounts.invite(team=team, email="ann@example.com", role="manager", invited_by=manager)
    client = Client()
    response = sso_sign_in(client, oidc_provider, "ann@example.com")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    ann = User.objects.get(email__iexact="ann@example.com")
    assert ann.display_name == "Ann Example"
    assert Membership.objects.get(user=ann, team=team).role == "manager"
    assert Invitation.objects.get(email="ann@example.com").accepted_by == ann
    assert client.get(reverse("team_detail", args=[team.slug])).status_code == 200


def test_a_person_of_an_allowed_domain_joins_as_an_engineer(oidc_provider, team):
    team.sso_domains = "acme.example, other.example"
    team.save()
    client = Client()
    sso_sign_in(client, oidc_provider, "bo@acme.example")
    bo = User.objects.get(email="bo@acme.example")
    assert Membership.objects.get(user=bo, team=team).role == "engineer"


def test_nobody_else_gets_an_account(oidc_provider, team):
    team.sso_domains = "acme.example"
    team.save()
    client = Client()
    response = sso_sign_in(client, oidc_provider, "eve@evil.example")
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email="eve@evil.example").exists()
    assert response.status_code in (200, 302)


def test_a_person_with_a_password_signs_in_to_the_same_account(oidc_provider, engineer):
    _readdress(engineer, "eddie@example.com")
    client = Client()
    sso_sign_in(client, oidc_provider, "eddie@example.com")
    assert client.session["_auth_user_id"] == str(engineer.pk)
    assert User.objects.filter(email__iexact="eddie@example.com").count() == 1


def test_a_team_requiring_sso_signs_out_a_password_session(oidc_provider, team, engineer):
    team.require_sso = True
    team.save()
    _readdress(engineer, "eddie@example.com")
    by_password = Client()
    by_password.post(reverse("account_login"), {"login": "eddie@example.com", "password": PASSWORD})
    response = by_password.get(reverse("team_detail", args=[team.slug]))
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in by_password.session
    page = by_password.get(reverse("account_login")).content.decode()
    assert "requires single sign-on" in page
    by_sso = Client()
    sso_sign_in(by_sso, oidc_provider, "eddie@example.com")
    assert by_sso.get(reverse("team_detail", args=[team.slug])).status_code == 200


def test_the_sso_requirement_is_offered_only_with_a_provider(team, manager_client, settings):
    page = manager_client.get(reverse("team_settings", args=[team.slug])).content.decode()
    assert "team-require_sso" not in page
    settings.SSO_ENABLED = True
    page = manager_client.get(reverse("team_settings", args=[team.slug])).content.decode()
    assert "team-require_sso" in page and "team-sso_domains" in page


def test_a_bad_domain_list_is_a_form_error(team, manager_client, settings):
    settings.SSO_ENABLED = True
    response = manager_client.post(
        reverse("team_settings", args=[team.slug]),
        {
            "team-name": team.name,
            "team-timezone": team.timezone,
            "team-sso_domains": "acme.example, not a domain",
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    assert re.search(r"not a domain name", response.content.decode())
    team.refresh_from_db()
    assert team.sso_domains == ""
