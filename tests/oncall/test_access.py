"""Every on-call page checks access: anonymous → sign-in, outsider → 404, engineer → 403."""

from __future__ import annotations

import pytest
from django.test import Client

from scheduling.oncall import services
from tests.oncall.factories import make_shift, utc

MEMBER_PAGES = ["/teams/payments/oncall/"]
MANAGER_PAGES = [
    "/teams/payments/reports/",
    "/teams/payments/reports/oncall.csv",
    "/teams/payments/audit/",
    "/teams/payments/oncall/tokens/",
]
PERSONAL_PAGES = ["/me/shifts/", "/oncall/"]


@pytest.mark.parametrize("url", MEMBER_PAGES + MANAGER_PAGES + PERSONAL_PAGES)
def test_anonymous_is_sent_to_sign_in(client: Client, team, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", MEMBER_PAGES + MANAGER_PAGES)
def test_outsider_gets_404(outsider_client, team, url):
    assert outsider_client.get(url).status_code == 404


@pytest.mark.parametrize("url", MANAGER_PAGES)
def test_engineer_gets_403_on_manager_pages(engineer_client, url):
    assert engineer_client.get(url).status_code == 403


@pytest.mark.parametrize("url", MEMBER_PAGES + MANAGER_PAGES + PERSONAL_PAGES)
def test_manager_sees_every_page(manager_client, url):
    assert manager_client.get(url).status_code == 200


def test_engineer_sees_member_pages(engineer_client):
    for url in MEMBER_PAGES + PERSONAL_PAGES:
        assert engineer_client.get(url).status_code == 200


def test_handover_page_of_another_teams_shift_is_404(outsider_client, period, engineer):
    shift = make_shift(period, utc(2026, 6, 1, 8), utc(2026, 6, 2, 8), primary=engineer)
    assert outsider_client.get(f"/shifts/{shift.pk}/handover/").status_code == 404
    response = outsider_client.post(f"/shifts/{shift.pk}/handover/", {"body": "hi"})
    assert response.status_code == 404
    assert not shift.handover_notes.exists()


def test_token_actions_are_post_only_and_manager_only(
    client_for, engineer, manager, outsider, team
):
    token, _ = services.create_api_token(team=team, name="Bridge", by=manager)
    revoke = f"/teams/payments/oncall/tokens/{token.pk}/revoke/"
    assert client_for(manager).get(revoke).status_code == 405
    assert client_for(engineer).post(revoke).status_code == 403
    assert (
        client_for(engineer).post("/teams/payments/oncall/tokens/new/", {"name": "x"}).status_code
        == 403
    )
    assert client_for(outsider).post(revoke).status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_revoking_another_teams_token_is_404(client_for, outsider, other_team, manager, team):
    theirs, _ = services.create_api_token(team=other_team, name="Theirs", by=outsider)
    response = client_for(manager).post(f"/teams/payments/oncall/tokens/{theirs.pk}/revoke/")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active
