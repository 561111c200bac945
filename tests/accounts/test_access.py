"""Each persona on each accounts page: member sees, outsider 404, engineer 403 on actions."""

import pytest

from accounts.models import Invitation, Membership

pytestmark = pytest.mark.django_db

TEAM_PAGES = ["/teams/payments/"]
MANAGER_PAGES = ["/teams/payments/settings/"]


@pytest.mark.parametrize("url", TEAM_PAGES + MANAGER_PAGES)
def test_anonymous_is_sent_to_sign_in(client, team, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", TEAM_PAGES + MANAGER_PAGES)
def test_outsider_gets_404(outsider_client, team, url):
    assert outsider_client.get(url).status_code == 404


@pytest.mark.parametrize("url", TEAM_PAGES)
def test_engineer_sees_team_pages(engineer_client, url):
    assert engineer_client.get(url).status_code == 200


@pytest.mark.parametrize("url", MANAGER_PAGES)
def test_engineer_gets_403_on_manager_pages(engineer_client, url):
    assert engineer_client.get(url).status_code == 403


@pytest.mark.parametrize("url", TEAM_PAGES + MANAGER_PAGES)
def test_manager_sees_every_page(manager_client, url):
    assert manager_client.get(url).status_code == 200


def test_engineer_cannot_use_manager_actions(engineer_client, engineer, manager, team):
    member = Membership.objects.get(user=manager, team=team)
    assert (
        engineer_client.post(
            "/teams/payments/invite/", {"email": "x@example.com", "role": "manager"}
        ).status_code
        == 403
    )
    assert (
        engineer_client.post(
            f"/teams/payments/members/{member.pk}/role/", {"role": "engineer"}
        ).status_code
        == 403
    )
    assert engineer_client.post(f"/teams/payments/members/{member.pk}/remove/").status_code == 403
    assert not Invitation.objects.exists()
    assert Membership.objects.get(pk=member.pk).role == "manager"


def test_outsider_cannot_touch_members_of_another_team(outsider_client, engineer, team):
    member = Membership.objects.get(user=engineer, team=team)
    assert outsider_client.post(f"/teams/payments/members/{member.pk}/remove/").status_code == 404
    assert Membership.objects.filter(pk=member.pk).exists()


def test_manager_cannot_reach_members_of_another_team_through_their_own(
    manager_client, outsider, other_team
):
    foreign = Membership.objects.get(user=outsider, team=other_team)
    response = manager_client.post(f"/teams/payments/members/{foreign.pk}/remove/")
    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_state_changes_refuse_get(manager_client, engineer, team):
    member = Membership.objects.get(user=engineer, team=team)
    assert manager_client.get(f"/teams/payments/members/{member.pk}/remove/").status_code == 405
    assert Membership.objects.filter(pk=member.pk).exists()


def test_posts_need_csrf(manager, engineer, team):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    member = Membership.objects.get(user=engineer, team=team)
    assert client.post(f"/teams/payments/members/{member.pk}/remove/").status_code == 403
    assert Membership.objects.filter(pk=member.pk).exists()


def test_dashboard_and_profile_need_sign_in(client):
    assert client.get("/").status_code == 302
    assert client.get("/profile/").status_code == 302
