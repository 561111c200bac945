from io import StringIO

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD
from accounts.models import EscalationContact, Membership, Team, User

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.mark.slow
def test_seed_demo_makes_two_teams_prints_logins_signs_in_and_is_idempotent(client):
    # One seeding for every check of the seeded demo: a seeding is several seconds.
    output = _seed()
    payments = Team.objects.get(slug="payments")
    platform = Team.objects.get(slug="platform")
    assert payments.timezone == "Europe/London"
    zones = set(User.objects.filter(memberships__team=platform).values_list("timezone", flat=True))
    assert {"Europe/London", "America/New_York", "Asia/Singapore"} <= zones
    assert 14 <= User.objects.count() <= 20
    for team in (payments, platform):
        assert Membership.objects.filter(team=team, role="manager").count() == 1
    assert "maya@example.com" in output and DEMO_PASSWORD in output

    response = client.post(
        "/accounts/login/", {"login": "maya@example.com", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/teams/payments/").status_code == 200

    counts = (
        User.objects.count(),
        Team.objects.count(),
        Membership.objects.count(),
        EscalationContact.objects.count(),
    )
    again = _seed()
    assert counts == (
        User.objects.count(),
        Team.objects.count(),
        Membership.objects.count(),
        EscalationContact.objects.count(),
    )
    assert output.splitlines()[-1] == again.splitlines()[-1]


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_seed_demo_sends_no_mail(mailoutbox):
    # Transactional, so the publish hooks that would send mail really run at commit.
    _seed()
    assert mailoutbox == []
