"""My calendar and the team channels page: access for every persona, actions, form errors."""

from __future__ import annotations

import pytest
from django.urls import reverse

from calendars import push
from calendars.models import CalendarPreferences, PushTarget, TeamFeed

pytestmark = pytest.mark.django_db


def test_my_calendar_needs_sign_in(client):
    response = client.get("/calendars/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_my_calendar_shows_feed_links_and_team_feeds(engineer_client, engineer, rota, team):
    response = engineer_client.get(reverse("calendars:home"))
    assert response.status_code == 200
    token = CalendarPreferences.for_user(engineer).feed_token
    body = response.content.decode()
    assert f"webcal://127.0.0.1:8000/calendars/feed/{token}.ics" in body
    assert f"/calendars/team/{TeamFeed.for_team(team).token}.ics" in body
    assert "Google Calendar" in body and "Outlook" in body and "Apple Calendar" in body
    assert "Who gets the shifts" not in body  # managers only


@pytest.mark.parametrize(
    ("persona", "status"),
    [("manager_client", 200), ("engineer_client", 403), ("outsider_client", 404)],
)
def test_team_channels_page_access(request, rota, persona, status):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("calendars:team_channels", args=["payments"])).status_code == status


def test_team_channels_lists_who_has_no_channel(manager_client, rota, engineer, partner):
    prefs = CalendarPreferences.for_user(partner)
    prefs.email_invites = True
    prefs.save()
    response = manager_client.get(reverse("calendars:team_channels", args=["payments"]))
    without = [row.user for row in response.context["without"]]
    assert engineer in without and partner not in without


@pytest.mark.parametrize(
    ("persona", "status"),
    [("manager_client", 302), ("engineer_client", 403), ("outsider_client", 404)],
)
def test_team_feed_regeneration_access(request, team, persona, status):
    old = TeamFeed.for_team(team).token
    client = request.getfixturevalue(persona)
    assert (
        client.post(reverse("calendars:team_regenerate", args=["payments"])).status_code == status
    )
    assert (TeamFeed.objects.get(team=team).token != old) == (status == 302)


@pytest.mark.parametrize(
    "name",
    [
        "calendars:regenerate",
        "calendars:preferences",
        "calendars:push_connect",
        "calendars:push_disconnect",
    ],
)
def test_actions_are_post_only(engineer_client, name):
    assert engineer_client.get(reverse(name)).status_code == 405


def test_regenerate_changes_the_token(engineer_client, engineer):
    old = CalendarPreferences.for_user(engineer).feed_token
    response = engineer_client.post(reverse("calendars:regenerate"))
    assert response.status_code == 302
    assert CalendarPreferences.objects.get(user=engineer).feed_token != old


def test_preferences_are_saved(engineer_client, engineer):
    engineer_client.post(reverse("calendars:preferences"), {"show_as_busy": "on"})
    prefs = CalendarPreferences.objects.get(user=engineer)
    assert prefs.show_as_busy and not prefs.email_invites


def test_push_form_needs_an_account(engineer_client):
    response = engineer_client.post(reverse("calendars:push_connect"), {"calendar_name": "On call"})
    assert response.status_code == 400
    assert "Enter this, or pick an account" in response.content.decode()
    assert not PushTarget.objects.exists()


def test_push_form_refuses_internal_addresses(engineer_client, settings):
    settings.URL_FETCH_ALLOW = []
    response = engineer_client.post(
        reverse("calendars:push_connect"),
        {
            "server_url": "http://127.0.0.1:5232/",
            "username": "a",
            "password": "b",
            "calendar_name": "On call",
        },
    )
    assert response.status_code == 400
    assert "Rota does not connect to internal networks" in response.content.decode()
    assert not PushTarget.objects.exists()


def test_push_form_refuses_the_calendar_availability_reads(engineer_client, engineer, monkeypatch):
    from scheduling.availability.models import CalendarConnection

    account = CalendarConnection.objects.create(
        user=engineer,
        kind="caldav",
        name="Fastmail",
        server_url="https://dav.example.com/",
        username="e",
        password="p",
        calendar_url="https://dav.example.com/e/personal/",
        calendar_name="Personal",
    )
    monkeypatch.setattr(
        push, "find_or_create_calendar", lambda **kw: (_ for _ in ()).throw(AssertionError)
    )
    response = engineer_client.post(
        reverse("calendars:push_connect"), {"account": account.pk, "calendar_name": "personal"}
    )
    assert response.status_code == 400
    assert "push shifts to a separate one" in response.content.decode()


def test_push_form_cannot_use_someone_elses_account(engineer_client, outsider):
    from scheduling.availability.models import CalendarConnection

    account = CalendarConnection.objects.create(
        user=outsider,
        kind="caldav",
        name="Theirs",
        server_url="https://dav.example.com/",
        username="o",
        password="p",
    )
    response = engineer_client.post(
        reverse("calendars:push_connect"), {"account": account.pk, "calendar_name": "x"}
    )
    assert response.status_code == 400
    assert not PushTarget.objects.exists()


def test_team_page_links_managers_to_the_channels_page(manager_client, engineer_client, team):
    url = reverse("calendars:team_channels", args=[team.slug])
    assert url in manager_client.get(reverse("team_detail", args=[team.slug])).content.decode()
    assert url not in engineer_client.get(reverse("team_detail", args=[team.slug])).content.decode()
