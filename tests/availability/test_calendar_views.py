"""Calendar connection pages: add an ICS address or a CalDAV account, pick, sync, remove."""

from __future__ import annotations

import caldav
import pytest
import time_machine

from scheduling.availability.models import BusyBlock, CalendarConnection
from tests.availability import calendar_data as data
from tests.availability.factories import ConnectionFactory


def test_add_ics_imports_and_never_shows_the_secret_again(
    engineer_client, engineer, ics_server, django_capture_on_commit_callbacks
):
    url = ics_server.serve("/secret-abc123/basic.ics", data.FULL_ICS)
    with (
        time_machine.travel(data.IMPORT_AT, tick=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = engineer_client.post(
            "/availability/calendars/ics/", {"name": "Work", "url": url}
        )
    assert response.status_code == 302
    connection = CalendarConnection.objects.get(user=engineer)
    assert BusyBlock.objects.filter(connection=connection).count() == 5
    page = engineer_client.get("/availability/calendars/").content.decode()
    assert "Work" in page and "5 busy times" in page
    assert "secret-abc123" not in page


def test_add_ics_refuses_a_blocked_address_with_a_form_error(engineer_client):
    response = engineer_client.post(
        "/availability/calendars/ics/", {"name": "Meta", "url": "http://169.254.169.254/latest/"}
    )
    assert response.status_code == 400
    assert "private or reserved" in response.content.decode()
    assert not CalendarConnection.objects.exists()


@pytest.mark.slow
def test_caldav_connect_then_pick_a_calendar(
    engineer_client, engineer, radicale, django_capture_on_commit_callbacks
):
    client = caldav.DAVClient(radicale.url, username="carol", password=radicale.users["carol"])
    calendar = client.principal().make_calendar(name="Work")
    calendar.save_event(data.calendar(data.OVERNIGHT))
    response = engineer_client.post(
        "/availability/calendars/caldav/",
        {
            "name": "Radicale",
            "server_url": radicale.url,
            "username": "carol",
            "password": radicale.users["carol"],
        },
    )
    connection = CalendarConnection.objects.get(user=engineer)
    assert response["Location"] == f"/availability/calendars/{connection.pk}/calendar/"
    page = engineer_client.get(response["Location"]).content.decode()
    assert "Work" in page
    assert radicale.users["carol"] not in page
    with (
        time_machine.travel(data.IMPORT_AT, tick=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        engineer_client.post(response["Location"], {"calendar_url": str(calendar.url)})
    connection.refresh_from_db()
    assert connection.calendar_name == "Work"
    assert connection.blocks_imported == 1


def test_caldav_bad_password_is_a_readable_form_error(engineer_client, radicale):
    response = engineer_client.post(
        "/availability/calendars/caldav/",
        {"name": "Radicale", "server_url": radicale.url, "username": "carol", "password": "wrong"},
    )
    assert response.status_code == 400
    assert "401" in response.content.decode()


def test_sync_now_and_remove_only_my_own(
    engineer_client, engineer, manager_client, ics_server, django_capture_on_commit_callbacks
):
    connection = ConnectionFactory(user=engineer, ics_url=ics_server.serve("/c.ics", data.FULL_ICS))
    assert manager_client.post(f"/availability/calendars/{connection.pk}/sync/").status_code == 404
    assert (
        manager_client.post(f"/availability/calendars/{connection.pk}/remove/").status_code == 404
    )
    with (
        time_machine.travel(data.IMPORT_AT, tick=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        engineer_client.post(f"/availability/calendars/{connection.pk}/sync/")
    assert BusyBlock.objects.filter(connection=connection).count() == 5
    engineer_client.post(f"/availability/calendars/{connection.pk}/remove/")
    assert not CalendarConnection.objects.exists() and not BusyBlock.objects.exists()


def test_periodic_sync_queues_every_ready_connection(
    engineer, ics_server, django_capture_on_commit_callbacks
):
    from scheduling.availability.tasks import sync_all_connections

    ready = ConnectionFactory(user=engineer, ics_url=ics_server.serve("/c.ics", data.FULL_ICS))
    ConnectionFactory(
        user=engineer, kind="caldav", server_url="http://127.0.0.1:9/", calendar_url=""
    )
    with (
        time_machine.travel(data.IMPORT_AT, tick=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sync_all_connections.delay()
    assert ics_server.requests == ["/c.ics"]
    ready.refresh_from_db()
    assert ready.blocks_imported == 5


def test_calendar_connected_requirement_check(team, engineer, manager):
    from scheduling.requirements.automatic import get_check

    check = get_check("calendar_connected")
    assert check is not None
    ConnectionFactory(user=engineer, last_success_at=data.IMPORT_AT)
    ConnectionFactory(user=manager)  # never imported
    assert check.run(team=team, users=[engineer, manager], on=data.IMPORT_AT.date(), params={}) == {
        engineer.pk: True,
        manager.pk: False,
    }
