"""The month grid: marking days with and without JavaScript, conflicts, ranges, overrides."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime

import pytest
import time_machine

from accounts.models import AuditEntry
from scheduling.availability.models import AvailabilityEntry, BusyBlock, MonthConfirmation
from tests.availability.factories import BusyBlockFactory, ConnectionFactory, EntryFactory

NOW = datetime(2026, 10, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def marks(user) -> dict[date, str]:
    return dict(AvailabilityEntry.objects.filter(user=user).whole_days().values_list("day", "kind"))


def cell(page: str, day: str) -> tuple[set[str], str]:
    """Return the classes and the title of the grid's cell for ``day`` (YYYY-MM-DD)."""
    found = re.search(rf'<label class="([^"]*)" data-day="{day}"(?: title="([^"]*)")?>', page)
    assert found, f"no cell for {day}"
    return set(found.group(1).split()), html.unescape(found.group(2) or "")


def month_heads(page: str) -> list[str]:
    return re.findall(
        r"(?:January|February|March|April|May|June|July|August|September|"
        r"October|November|December) 20\d\d",
        page,
    )


def test_month_page_shows_three_months_marks_and_busy_titles_to_the_owner(
    engineer_client, engineer
):
    EntryFactory(user=engineer, day=date(2026, 10, 22), kind="unavailable", note="Wedding")
    BusyBlockFactory(
        connection__user=engineer,
        summary="Dentist",
        start=datetime(2026, 11, 3, 9, tzinfo=UTC),
        end=datetime(2026, 11, 3, 10, tzinfo=UTC),
    )
    response = engineer_client.get("/availability/")
    page = response.content.decode()
    assert response.status_code == 200
    assert list(dict.fromkeys(month_heads(page))) == [
        "October 2026",
        "November 2026",
        "December 2026",
    ]
    classes, title = cell(page, "2026-10-22")
    assert "av-unavailable" in classes and title == "Wedding"
    classes, title = cell(page, "2026-11-03")
    assert "av-busy" in classes and title == "Busy: Dentist"
    classes, title = cell(page, "2026-10-21")
    assert not classes & {"av-unavailable", "av-preferred", "av-available", "av-busy"}
    assert title == ""
    assert "av-past" in cell(page, "2026-10-19")[0] and "av-today" in cell(page, "2026-10-20")[0]


def test_mark_days_without_javascript(engineer_client, engineer):
    response = engineer_client.post(
        "/availability/mark/",
        {
            "days": ["2026-10-21", "2026-10-22"],
            "kind": "preferred",
            "note": "",
            "seen": "",
            "start": "2026-10",
        },
    )
    assert response.status_code == 302
    assert marks(engineer) == {date(2026, 10, 21): "preferred", date(2026, 10, 22): "preferred"}
    assert AuditEntry.objects.filter(action="availability.marked", actor=engineer).exists()


def test_mark_a_range_and_clear(engineer_client, engineer):
    engineer_client.post(
        "/availability/mark/", {"first": "2026-10-26", "last": "2026-11-01", "kind": "unavailable"}
    )
    assert len(marks(engineer)) == 7
    seen = ";".join(f"2026-10-{d}:unavailable" for d in (26, 27))
    engineer_client.post(
        "/availability/mark/", {"days": ["2026-10-26", "2026-10-27"], "kind": "clear", "seen": seen}
    )
    assert sorted(marks(engineer)) == [
        date(2026, 10, 28),
        date(2026, 10, 29),
        date(2026, 10, 30),
        date(2026, 10, 31),
        date(2026, 11, 1),
    ]


def test_conflicting_save_is_reported_and_overwrites_nothing(engineer_client, engineer):
    # The page was loaded when the 23rd was unmarked; another tab has since marked it preferred.
    EntryFactory(user=engineer, day=date(2026, 10, 23), kind="preferred")
    response = engineer_client.post(
        "/availability/mark/",
        {"days": ["2026-10-22", "2026-10-23"], "kind": "unavailable", "seen": ""},
        follow=True,
    )
    assert "changed in another window" in response.content.decode()
    assert marks(engineer) == {date(2026, 10, 23): "preferred"}


def test_save_of_other_days_keeps_edits_made_elsewhere(engineer_client, engineer):
    EntryFactory(user=engineer, day=date(2026, 10, 23), kind="preferred")
    engineer_client.post(
        "/availability/mark/", {"days": ["2026-10-22"], "kind": "unavailable", "seen": ""}
    )
    assert marks(engineer) == {date(2026, 10, 22): "unavailable", date(2026, 10, 23): "preferred"}


def test_json_save_and_conflict(engineer_client, engineer):
    response = engineer_client.post(
        "/availability/mark/",
        {"days": ["2026-10-24"], "kind": "available", "seen": ""},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert response.json()["marks"] == {"2026-10-24": "available"}
    assert response.json()["seen"] == "2026-10-24:available"

    stale = engineer_client.post(
        "/availability/mark/",
        {"days": ["2026-10-24"], "kind": "unavailable", "seen": ""},
        HTTP_ACCEPT="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["conflict"] is True
    assert marks(engineer) == {date(2026, 10, 24): "available"}


def test_past_days_and_missing_days_are_refused(engineer_client, engineer):
    response = engineer_client.post(
        "/availability/mark/", {"days": ["2026-10-19"], "kind": "unavailable"}, follow=True
    )
    assert "Days in the past cannot be changed." in response.content.decode()
    response = engineer_client.post("/availability/mark/", {"kind": "unavailable"})
    assert response.status_code == 400
    assert "Pick at least one day" in response.content.decode()
    response = engineer_client.post(
        "/availability/mark/", {"days": ["not-a-date"], "kind": "unavailable"}
    )
    assert response.status_code == 400
    assert marks(engineer) == {}


def test_mark_requires_post_and_login(client, engineer_client):
    assert engineer_client.get("/availability/mark/").status_code == 405
    response = client.get("/availability/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_time_range_add_and_remove(engineer_client, engineer, client_for, outsider):
    response = engineer_client.post(
        "/availability/ranges/",
        {"day": "2026-10-28", "start_time": "18:00", "end_time": "00:00", "kind": "unavailable"},
    )
    assert response.status_code == 302
    entry = AvailabilityEntry.objects.get(user=engineer)
    assert entry.range_label == " 18:00–24:00"
    bad = engineer_client.post(
        "/availability/ranges/",
        {"day": "2026-10-28", "start_time": "18:00", "end_time": "09:00", "kind": "unavailable"},
    )
    assert bad.status_code == 400
    assert "end must be after the start" in bad.content.decode()
    assert client_for(outsider).post(f"/availability/ranges/{entry.pk}/delete/").status_code == 404
    engineer_client.post(f"/availability/ranges/{entry.pk}/delete/")
    assert not AvailabilityEntry.objects.exists()


def test_override_busy_block_only_for_its_owner(engineer_client, engineer, manager_client):
    block = BusyBlockFactory(connection__user=engineer)
    assert (
        manager_client.post(
            f"/availability/busy/{block.pk}/override/", {"overridden": "1"}
        ).status_code
        == 404
    )
    engineer_client.post(f"/availability/busy/{block.pk}/override/", {"overridden": "1"})
    assert BusyBlock.objects.get(pk=block.pk).overridden
    engineer_client.post(f"/availability/busy/{block.pk}/override/", {"overridden": "0"})
    assert not BusyBlock.objects.get(pk=block.pk).overridden


def test_confirm_and_reopen_month(engineer_client, engineer):
    engineer_client.post("/availability/confirm/", {"month": "2026-11"})
    assert MonthConfirmation.objects.filter(user=engineer, month=date(2026, 11, 1)).exists()
    page = engineer_client.get("/availability/").content.decode()
    assert 'name="reopen_month" value="2026-11"' in page
    assert 'name="reopen_month" value="2026-10"' not in page
    assert "I’m done for November" not in page and "I’m done for October" in page
    engineer_client.post("/availability/confirm/", {"reopen_month": "2026-11"})
    assert not MonthConfirmation.objects.exists()
    page = engineer_client.get("/availability/").content.decode()
    assert "I’m done for November" in page and 'name="reopen_month"' not in page


def test_registered_shift_sources_show_on_the_grid(engineer_client, engineer):
    from scheduling.availability import hooks

    def shifts(user, first, last):
        return {date(2026, 10, 29): ["Primary 09:00"]} if user == engineer else {}

    hooks.SHIFT_SOURCES.add(shifts)
    try:
        page = engineer_client.get("/availability/").content.decode()
    finally:
        hooks.SHIFT_SOURCES.remove(shifts)
    classes, _ = cell(page, "2026-10-29")
    assert "av-shift" in classes
    assert page.count('<span class="av-shift-label">Primary 09:00</span>') == 1
    assert "Thursday 29 October: not marked, on shift" in page
    assert "av-shift" not in cell(page, "2026-10-28")[0]


def test_sync_task_returns_quietly_when_the_connection_is_gone(db, monkeypatch):
    from scheduling.availability import connections
    from scheduling.availability.tasks import sync_connection

    imported = []
    monkeypatch.setattr(connections, "import_connection", lambda **kw: imported.append(kw))
    result = sync_connection.apply(args=(987654,))
    assert result.successful() and result.result is None
    assert imported == []
    ready = ConnectionFactory()
    sync_connection.apply(args=(ready.pk,))  # the same task imports a connection that exists
    assert [kw["connection"].pk for kw in imported] == [ready.pk]
