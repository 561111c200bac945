import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import AuditEntry, Invitation, Membership, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _invite(manager_client, email="new.person@example.com", role="engineer") -> str:
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = manager_client.post("/teams/payments/invite/", {"email": email, "role": role})
    assert response.status_code == 302
    body = mail.outbox[-1].body
    return re.search(r"/invite/([\w-]+)/", body).group(1)


def test_manager_invites_by_email_with_an_expiring_link(manager_client, manager):
    token = _invite(manager_client)
    invitation = Invitation.objects.get()
    assert mail.outbox[-1].to == ["new.person@example.com"]
    assert invitation.token_hash != token  # only the hash is stored
    assert invitation.expires_at - timezone.now() > timedelta(days=6)
    assert AuditEntry.objects.filter(action="invitation.sent", actor=manager).exists()


def test_new_person_accepts_and_gets_an_account(client, manager_client, team):
    token = _invite(manager_client, role="manager")
    page = client.get(f"/invite/{token}/")
    assert page.status_code == 200
    assert "Join Payments" in page.content.decode()
    response = client.post(
        f"/invite/{token}/",
        {
            "display_name": "Nina New",
            "password1": "a-long-passphrase-42",
            "password2": "a-long-passphrase-42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.com")
    assert user.display_name == "Nina New"
    assert user.check_password("a-long-passphrase-42")
    assert Membership.objects.get(user=user, team=team).role == "manager"
    assert client.get("/").status_code == 200  # signed in


def test_get_never_accepts(client, manager_client):
    token = _invite(manager_client)
    client.get(f"/invite/{token}/")
    assert Invitation.objects.get().accepted_at is None
    assert not User.objects.filter(email="new.person@example.com").exists()


def test_used_invitation_shows_a_clear_page(client, manager_client):
    token = _invite(manager_client)
    data = {
        "display_name": "Nina",
        "password1": "a-long-passphrase-42",
        "password2": "a-long-passphrase-42",
    }
    client.post(f"/invite/{token}/", data)
    other = type(client)()
    response = other.get(f"/invite/{token}/")
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert other.post(f"/invite/{token}/", data).status_code == 410
    assert Membership.objects.filter(user__email="new.person@example.com").count() == 1


def test_expired_invitation_shows_a_clear_page(client, manager_client):
    token = _invite(manager_client)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = client.post(
            f"/invite/{token}/",
            {
                "display_name": "Late",
                "password1": "a-long-passphrase-42",
                "password2": "a-long-passphrase-42",
            },
        )
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not User.objects.filter(email="new.person@example.com").exists()


def test_unknown_token_is_404(client):
    assert client.get("/invite/not-a-real-token/").status_code == 404


def test_revoked_invitation_cannot_be_used(client, manager_client):
    token = _invite(manager_client)
    invitation = Invitation.objects.get()
    manager_client.post(f"/teams/payments/invitations/{invitation.pk}/revoke/")
    assert client.get(f"/invite/{token}/").status_code == 410


def test_existing_user_signs_in_and_joins(client_for, manager_client, team):
    person = UserFactory(email="already@example.com")
    token = _invite(manager_client, email="already@example.com")
    client = client_for(person)
    assert client.post(f"/invite/{token}/").status_code == 302
    assert Membership.objects.filter(user=person, team=team).exists()


def test_invitation_for_someone_else_is_refused(client_for, manager_client, team):
    token = _invite(manager_client, email="intended@example.com")
    intruder = UserFactory(email="intruder@example.com")
    response = client_for(intruder).post(f"/invite/{token}/")
    assert response.status_code == 200
    assert "This invitation is for intended@example.com" in response.content.decode()
    assert not Membership.objects.filter(user=intruder, team=team).exists()
    assert Invitation.objects.get().accepted_at is None  # still usable by the right person


def test_weak_password_is_a_form_error(client, manager_client):
    token = _invite(manager_client)
    response = client.post(
        f"/invite/{token}/", {"display_name": "N", "password1": "123", "password2": "123"}
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not User.objects.filter(email="new.person@example.com").exists()


def test_inviting_a_member_again_is_refused(manager_client, engineer):
    response = manager_client.post(
        "/teams/payments/invite/", {"email": engineer.email, "role": "engineer"}, follow=True
    )
    assert "already a member" in response.content.decode()
    assert not Invitation.objects.exists()


def test_open_signup_is_off(client):
    response = client.get("/accounts/signup/")
    assert "Sign Up Closed" in response.content.decode() or response.status_code in (403, 404)
