"""Sign-in limits that cannot lock out an office: the client address behind a trusted proxy,
per-account and per-address counts, and limits that keep working while the cache is down."""

from __future__ import annotations

import logging

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts import signin_limits
from rota.clientip import client_address
from tests.factories import PASSWORD, MembershipFactory
from tests.services import free_port

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def _fresh_limits():
    signin_limits._forget_health()
    signin_limits._fallback.clear()
    yield
    signin_limits._forget_health()
    signin_limits._fallback.clear()


def _sign_in(email: str, password: str, *, peer: str, forwarded: str | None = None) -> bool:
    client = Client()
    headers = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    client.post(reverse("account_login"), {"login": email, "password": password}, **headers)
    return "_auth_user_id" in client.session


def test_two_clients_behind_one_trusted_proxy_do_not_lock_each_other_out(team, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    mistyper, colleague = (MembershipFactory(team=team).user for _ in range(2))
    strangers = [f"nobody{n}@example.com" for n in range(settings.SIGN_IN_FAILURES_PER_ADDRESS)]
    with time_machine.travel(timezone.now(), tick=False):
        # One client fails on its own account and on many others: its address is locked...
        for login in [mistyper.email] * 5 + strangers:
            assert not _sign_in(login, "wrong", peer=PROXY, forwarded="198.51.100.1")
        assert not _sign_in(mistyper.email, PASSWORD, peer=PROXY, forwarded="198.51.100.1")
        # ...the other client behind the same proxy signs in at once.
        assert _sign_in(colleague.email, PASSWORD, peer=PROXY, forwarded="198.51.100.2")


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(team, settings):
    """Otherwise an attacker would pick a fresh address for every guess."""
    settings.TRUSTED_PROXIES = []
    settings.SIGN_IN_FAILURES_PER_ADDRESS = 5
    people = [MembershipFactory(team=team).user for _ in range(6)]
    with time_machine.travel(timezone.now(), tick=False):
        for n, person in enumerate(people[:5]):
            assert not _sign_in(person.email, "wrong", peer=PROXY, forwarded=f"192.0.2.{n}")
        assert not _sign_in(people[5].email, PASSWORD, peer=PROXY, forwarded="192.0.2.99")


def test_a_few_mistakes_behind_an_untrusted_shared_address_lock_only_the_account(team):
    """An office whose proxy is not configured still signs in: the address limit is generous."""
    people = [MembershipFactory(team=team).user for _ in range(3)]
    with time_machine.travel(timezone.now(), tick=False):
        for _ in range(5):
            assert not _sign_in(people[0].email, "wrong", peer="203.0.113.9")
        assert not _sign_in(people[0].email, PASSWORD, peer="203.0.113.9")
        assert _sign_in(people[1].email, PASSWORD, peer="203.0.113.9")


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("198.51.100.7", "1.2.3.4", "198.51.100.7"),  # not a proxy: the header is ignored
        (PROXY, "198.51.100.1", "198.51.100.1"),
        (PROXY, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # what the client claimed is skipped
        (PROXY, "198.51.100.1, 10.0.0.3", "198.51.100.1"),  # two trusted hops
        (PROXY, "garbage, 198.51.100.1", "198.51.100.1"),
        (PROXY, "198.51.100.1, garbage", PROXY),  # a garbled hop: trust what we know
        (PROXY, "", PROXY),
        (PROXY, "[2001:db8::1]:443", "2001:db8::1"),
        (PROXY, "198.51.100.1:5555", "198.51.100.1"),
        ("::ffff:10.0.0.2", "198.51.100.1", "198.51.100.1"),
    ],
)
def test_the_client_address(settings, peer, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


@pytest.fixture
def cache_down(settings):
    """Point the cache at a port where nothing listens."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    settings.PAGE_CACHE = False


def test_with_the_cache_down_sign_in_works_and_failures_are_still_limited(team, cache_down, caplog):
    person, other = (MembershipFactory(team=team).user for _ in range(2))
    with (
        caplog.at_level(logging.WARNING, logger="accounts.signin_limits"),
        time_machine.travel(timezone.now(), tick=False),
    ):
        assert _sign_in(other.email, PASSWORD, peer="203.0.113.5")
        for _ in range(5):
            assert not _sign_in(person.email, "wrong", peer="203.0.113.5")
        assert not _sign_in(person.email, PASSWORD, peer="203.0.113.5")
        assert _sign_in(other.email, PASSWORD, peer="203.0.113.5")
    assert "cache is unreachable" in caplog.text


def test_a_cache_that_silently_drops_writes_counts_in_memory(team, monkeypatch):
    """A cache wrapper that turns errors into misses must not switch the limits off."""
    monkeypatch.setattr(signin_limits.cache, "set", lambda *a, **k: None)
    monkeypatch.setattr(signin_limits.cache, "get", lambda *a, **k: None)
    person = MembershipFactory(team=team).user
    with time_machine.travel(timezone.now(), tick=False):
        for _ in range(5):
            assert not _sign_in(person.email, "wrong", peer="203.0.113.5")
        assert not _sign_in(person.email, PASSWORD, peer="203.0.113.5")
