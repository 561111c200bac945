"""Team stamps and cached page parts: renewed by writes, kept until a moment, CSRF per request."""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django.utils.safestring import SafeString

from accounts import fragments, stamps
from accounts.fragments import next_midnight
from tests.factories import MembershipFactory
from tests.oncall.factories import utc
from tests.requirements.factories import RequirementFactory
from tests.services import wait_until


def test_saving_a_watched_row_renews_only_its_teams_stamp(team, other_team, engineer):
    mine, theirs = stamps.stamps([team.pk]), stamps.stamps([other_team.pk])
    engineer.display_name = "Renamed"
    engineer.save()
    assert stamps.stamps([team.pk]) != mine
    assert stamps.stamps([other_team.pk]) == theirs


def test_signing_in_renews_no_stamp(team, engineer):
    from tests.factories import PASSWORD

    before = stamps.stamps([team.pk])
    client = Client()
    response = client.post("/accounts/login/", {"login": engineer.email, "password": PASSWORD})
    assert response.status_code == 302
    engineer.refresh_from_db()
    assert engineer.last_login is not None
    assert stamps.stamps([team.pk]) == before


def test_a_cached_part_is_kept_until_its_team_changes_or_its_moment_passes(team):
    built = []

    def build() -> fragments.Part:
        built.append(1)
        return fragments.Part(len(built), until=timezone.now() + timedelta(minutes=5))

    with time_machine.travel(utc(2026, 10, 25, 0, 58), tick=False):
        assert fragments.cached("x", teams=[team.pk], build=build) == 1
        assert fragments.cached("x", teams=[team.pk], build=build) == 1
        stamps.touch(teams=[team.pk])
        assert fragments.cached("x", teams=[team.pk], build=build) == 2
    with time_machine.travel(utc(2026, 10, 25, 1, 3), tick=False):  # until was 01:03
        assert fragments.cached("x", teams=[team.pk], build=build) == 3


def test_nothing_is_cached_when_the_page_cache_is_off(team, settings):
    settings.PAGE_CACHE = False
    values = iter(range(10))
    first = fragments.cached("x", teams=[team.pk], build=lambda: fragments.Part(next(values)))
    second = fragments.cached("x", teams=[team.pk], build=lambda: fragments.Part(next(values)))
    assert (first, second) == (0, 1)


def test_next_midnight_follows_the_zone_across_the_clock_change(team):
    london = team.tz  # Europe/London: BST ends at 01:00 UTC on 25 October 2026
    assert next_midnight(london, utc(2026, 10, 24, 12)) == utc(2026, 10, 24, 23)
    assert next_midnight(london, utc(2026, 10, 25, 12)) == utc(2026, 10, 26, 0)


def test_a_cached_dashboard_carries_each_visitors_own_csrf_token(team, engineer):
    requirement = RequirementFactory(team=team, title="Read the runbook")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for client in (first, second):
        client.force_login(engineer)
    assert "Read the runbook" in first.get("/").content.decode()
    page = second.get("/").content.decode()  # the panels come from the cache now
    # The attest form's token is the visitor's own, written outside the cached panels and tied
    # to the form by its id (a browser sends it with the form).
    form = re.search(r'<form method="post" id="([^"]+)" action="[^"]*/attest/"', page).group(1)
    token = re.search(rf'name="csrfmiddlewaretoken" value="([^"]+)" form="{form}"', page).group(1)
    response = second.post(
        f"/teams/{team.slug}/requirements/{requirement.pk}/attest/",
        {"csrfmiddlewaretoken": token, "next": "/"},
    )
    assert response.status_code == 302
    assert requirement.completions.filter(user=engineer).exists()


def test_the_dashboard_shows_a_new_team_at_once(engineer, other_team):
    client = Client()
    client.force_login(engineer)
    client.get("/")
    MembershipFactory(team=other_team, user=engineer)
    assert other_team.name in client.get("/").content.decode()


def test_readers_that_miss_together_wait_for_one_build(team, monkeypatch):
    stamp = stamps.stamps([team.pk])  # created before the threads race for it
    builds, values, waiting = [], [], []
    wait_for_part = fragments._wait_for

    def counted_wait(*args, **kwargs):
        waiting.append(1)
        return wait_for_part(*args, **kwargs)

    monkeypatch.setattr(fragments, "_wait_for", counted_wait)

    def build() -> fragments.Part:
        builds.append(1)
        # The part is done only once every other reader is waiting for it, not building it.
        wait_until("the other three readers waiting", lambda: len(waiting) == 3, timeout=10)
        return fragments.Part("grid")

    def read() -> None:
        values.append(fragments.cached("grid", teams=[team.pk], build=build))

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert values == ["grid"] * 4
    assert len(builds) == 1
    assert stamps.stamps([team.pk]) == stamp


def test_a_cache_that_is_down_costs_a_build_not_the_page(team, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    for name in ("get", "get_many", "add", "set", "set_many", "delete"):
        monkeypatch.setattr(fragments.cache, name, down)
        monkeypatch.setattr(stamps.cache, name, down)
    started = time.monotonic()
    assert fragments.cached("x", teams=[team.pk], build=lambda: fragments.Part(7)) == 7
    assert time.monotonic() - started < 1  # no waiting on a claim nobody can hold
    stamps.touch(teams=[team.pk])  # a write still succeeds; the renewal is only logged


def test_a_cached_part_holds_plain_values_only(team):
    with pytest.raises(TypeError, match="plain values"):
        fragments.cached("x", teams=[team.pk], build=lambda: fragments.Part({"team": team}))
    part = fragments.Part({"html": SafeString("<p>"), "n": 1, "ids": ("a",)})
    assert fragments.cached("y", teams=[team.pk], build=lambda: part) == {
        "html": "<p>",
        "n": 1,
        "ids": ["a"],
    }
    stored = cache.get(f"part:y:{stamps.stamps([team.pk])}")
    assert type(stored["value"]["html"]) is str  # not SafeString: nothing of ours is pickled


def test_post_forms_in_a_cached_part_need_an_id():
    html = '<form method="get"></form><form id="a" method="post"></form><form method="POST">'
    with pytest.raises(ValueError, match="needs an id"):
        fragments.post_form_ids(html)
    assert fragments.post_form_ids(html.rsplit("<form", 1)[0]) == ["a"]
