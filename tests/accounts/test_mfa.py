import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.test import Client

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _sign_in(client: Client, email: str):
    return client.post("/accounts/login/", {"login": email, "password": PASSWORD})


def _activate_totp(client: Client) -> str:
    """Confirm the password (allauth asks before changing MFA), then activate TOTP."""
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/accounts/2fa/totp/activate/", {"code": _code(secret)})
    assert response.status_code == 302
    return secret


def test_enable_totp_then_sign_in_with_a_code(engineer):
    client = Client()
    assert _sign_in(client, engineer.email).status_code == 302
    secret = _activate_totp(client)
    assert Authenticator.objects.filter(user=engineer, type="totp").exists()

    client.post("/accounts/logout/")
    fresh = Client()
    response = _sign_in(fresh, engineer.email)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert fresh.get("/").status_code == 302  # not signed in until the code is given

    with time_machine.travel(time.time() + 31):  # a code may be used only once
        wrong = fresh.post("/accounts/2fa/authenticate/", {"code": "000000"})
        assert wrong.status_code == 200
        assert fresh.get("/").status_code == 302
        ok = fresh.post("/accounts/2fa/authenticate/", {"code": _code(secret)})
        assert ok.status_code == 302
        assert fresh.get("/").status_code == 200


def test_team_requiring_mfa_sends_members_to_set_it_up(engineer, team, engineer_client):
    team.require_mfa = True
    team.save()
    response = engineer_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    assert engineer_client.get("/healthz").status_code in (200, 503)  # exempt paths stay reachable


def test_team_not_requiring_mfa_lets_members_in(engineer_client):
    assert engineer_client.get("/").status_code == 200


def test_recovery_codes_are_offered_after_totp(engineer):
    client = Client()
    _sign_in(client, engineer.email)
    _activate_totp(client)
    assert Authenticator.objects.filter(user=engineer, type="recovery_codes").exists()
