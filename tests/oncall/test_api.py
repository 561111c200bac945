"""GET /api/teams/<slug>/oncall: tokens, at= in the past and future, DST, a partial cover."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from scheduling.oncall import services
from scheduling.oncall.models import TeamApiToken
from tests.factories import EscalationContactFactory, MembershipFactory
from tests.oncall.factories import make_shift, utc

URL = "/api/teams/payments/oncall"


@pytest.fixture
def dst_rota(period, engineer, partner):
    """Two daily 09:00 (Europe/London) shifts around the spring change of 29 March 2026."""
    saturday = make_shift(
        period, utc(2026, 3, 28, 9), utc(2026, 3, 29, 8), primary=engineer, secondary=partner
    )
    sunday = make_shift(
        period, utc(2026, 3, 29, 8), utc(2026, 3, 30, 8), primary=partner, secondary=engineer
    )
    return saturday, sunday


def get(client: Client, token: str | None, query: str = "", url: str = URL):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(url + query, **headers)


def primary_name(response) -> str:
    return response.json()["oncall"]["primary"][0]["name"]


def test_valid_token_returns_holders_phones_emails_and_escalation(
    client, team, token, engineer, partner, period
):
    EscalationContactFactory(
        team=team, name="Priya Raman", phone="+442079460101", email="p@example.com"
    )
    make_shift(period, utc(2026, 6, 1, 8), utc(2026, 6, 2, 8), primary=engineer, secondary=partner)
    with time_machine.travel(utc(2026, 6, 1, 12), tick=False):
        response = get(client, token)
    assert response.status_code == 200
    data = response.json()
    assert data["team"] == {"slug": "payments", "name": "Payments", "timezone": "Europe/London"}
    assert data["at"] == "2026-06-01T12:00:00Z"
    primary = data["oncall"]["primary"][0]
    assert (primary["name"], primary["email"], primary["phone"]) == (
        "Eddie Engineer",
        engineer.email,
        engineer.oncall_phone,
    )
    assert data["oncall"]["secondary"][0]["phone"] == "+447700900555"
    assert data["oncall"]["shadow"] == []
    assert data["next_handoff"] == "2026-06-02T08:00:00+00:00"
    assert data["escalation"] == [
        {
            "position": 1,
            "name": "Priya Raman",
            "role": "Engineering manager",
            "phone": "+442079460101",
            "email": "p@example.com",
        }
    ]


def test_missing_unknown_and_revoked_tokens_are_401(client, team, manager, token):
    assert get(client, None).status_code == 401
    assert get(client, "rota_not-a-real-token").status_code == 401
    response = client.get(URL, HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    services.revoke_api_token(token=TeamApiToken.objects.get(team=team), by=manager)
    assert get(client, token).status_code == 401


def test_another_teams_token_is_404_and_reveals_nothing(client, team, token, other_team, outsider):
    other = services.create_api_token(team=other_team, name="Theirs", by=outsider)[1]
    response = get(client, other)
    assert response.status_code == 404
    assert "Payments" not in response.content.decode()
    # The same for a team that does not exist: the answers cannot be told apart.
    assert get(client, other, url="/api/teams/nowhere/oncall").json() == response.json()


def test_token_is_stored_only_as_its_hash(team, manager):
    stored, raw = services.create_api_token(team=team, name="Bridge", by=manager)
    row = TeamApiToken.objects.get(pk=stored.pk)
    assert raw not in (row.token_hash, row.prefix, row.name)
    assert row.token_hash == services.hash_token(raw)
    assert raw.startswith(row.prefix)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        ("2026-03-28T23:00:00Z", "Eddie Engineer"),  # in the past, relative to "now" below
        ("2026-03-29T00:59:00Z", "Eddie Engineer"),  # a minute before the clocks go forward
        (
            "2026-03-29T01:00:00Z",
            "Eddie Engineer",
        ),  # the change itself: 01:00 GMT becomes 02:00 BST
        ("2026-03-29T07:59:00Z", "Eddie Engineer"),  # 08:59 BST: the 23-hour shift is still on
        ("2026-03-29T08:00:00Z", "Pat Partner"),  # 09:00 BST: handoff
        ("2026-03-29T08:30:00", "Eddie Engineer"),  # no offset: read as 08:30 London time (BST)
        ("2026-03-29T09:00:00+01:00", "Pat Partner"),
        ("2026-03-30T07:00:00Z", "Pat Partner"),  # in the future
    ],
)
def test_at_in_the_past_future_and_across_the_dst_change(client, token, dst_rota, at, expected):
    with time_machine.travel(utc(2026, 3, 29, 0, 30), tick=False):
        response = get(client, token, "?at=" + at.replace("+", "%2B"))
    assert response.status_code == 200
    assert primary_name(response) == expected


def test_at_outside_any_shift_returns_empty_roles(client, token, dst_rota):
    response = get(client, token, "?at=2026-04-02T12:00:00Z")
    assert response.json()["oncall"] == {"primary": [], "secondary": [], "shadow": []}


def test_bad_at_is_a_400_with_a_message(client, token):
    response = get(client, token, "?at=yesterday")
    assert response.status_code == 400
    assert "ISO 8601" in response.json()["error"]


def test_api_is_get_only(client, token):
    response = client.post(URL, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 405


def test_draft_holders_are_never_paged(client, team, token, engineer):
    from tests.oncall.factories import PeriodFactory

    draft = PeriodFactory(team=team, state="recommended", version=0)
    make_shift(draft, utc(2026, 6, 1, 8), utc(2026, 6, 2, 8), primary=engineer)
    response = get(client, token, "?at=2026-06-01T12:00:00Z")
    assert response.json()["oncall"]["primary"] == []


def test_a_moment_inside_a_partial_cover_pages_the_cover(
    client, team, manager, token, period, engineer, partner
):
    from scheduling.rotas.services.changes import split_seat_for_cover

    helper = MembershipFactory(team=team, user__display_name="Cora Cover").user
    shift = make_shift(
        period, utc(2026, 6, 1, 8), utc(2026, 6, 2, 8), primary=engineer, secondary=partner
    )
    # Eddie cannot do 18:00–22:00 UTC; Cora covers that part of the primary seat.
    split_seat_for_cover(
        seat=shift.seats.get(role="primary"),
        starts_at=utc(2026, 6, 1, 18),
        ends_at=utc(2026, 6, 1, 22),
        new_holder=helper,
        by=manager,
    )
    assert primary_name(get(client, token, "?at=2026-06-01T17:59:00Z")) == "Eddie Engineer"
    inside = get(client, token, "?at=2026-06-01T20:00:00Z").json()
    assert inside["oncall"]["primary"][0]["name"] == "Cora Cover"
    assert inside["oncall"]["primary"][0]["shift"]["ends_at"] == "2026-06-01T22:00:00+00:00"
    assert inside["oncall"]["secondary"][0]["name"] == "Pat Partner"
    assert primary_name(get(client, token, "?at=2026-06-01T22:00:00Z")) == "Eddie Engineer"


def test_a_use_is_remembered_on_the_token(client, team, token):
    assert TeamApiToken.objects.get(team=team).last_used_at is None
    get(client, token)
    assert TeamApiToken.objects.get(team=team).last_used_at is not None
