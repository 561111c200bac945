"""The email outbox: one row per key, claimed race-free, retried with back-off, swept."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage
from django.utils import timezone

from rota import outbox
from rota.cache import FailSafeRedisCache
from rota.models import OutboundEmail
from tests import services

pytestmark = pytest.mark.django_db


def _queue(key: str = "test:1") -> list[int]:
    return outbox.mail(key=key, kind="test", subject="Hello", body="Body", to=["a@example.com"])


def test_the_same_key_is_written_and_sent_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _queue()
        again = _queue()
    assert len(first) == 1 and again == []
    assert [m.subject for m in mail.outbox] == ["Hello"]
    assert mail.outbox[0].extra_headers["Message-ID"].endswith("@localhost>")
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT
    assert outbox.deliver(first[0]) == OutboundEmail.Status.SENT  # a duplicate task: nothing
    assert len(mail.outbox) == 1


def test_a_failed_send_backs_off_and_the_sweep_sends_it_when_due(monkeypatch):
    (pk,) = _queue()
    with monkeypatch.context() as patch:
        patch.setattr(
            EmailMessage, "send", lambda self, *a, **k: (_ for _ in ()).throw(OSError("refused"))
        )
        assert outbox.deliver(pk) == OutboundEmail.Status.PENDING
    row = OutboundEmail.objects.get()
    assert row.attempts == 1 and "refused" in row.last_error
    assert row.next_attempt_at > timezone.now()
    assert outbox.sweep() == 0  # backing off
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert outbox.sweep() == 1
    assert len(mail.outbox) == 1


def test_a_claim_left_by_a_dead_worker_expires(settings):
    (pk,) = _queue()
    now = timezone.now()
    assert outbox.claim(pk, now)  # a worker takes it, then dies
    assert not outbox.claim(pk, now)  # nobody else may send it meanwhile
    assert outbox.due_ids(now) == []
    later = now + timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS + 1)
    assert outbox.due_ids(later) == [pk]
    with time_machine.travel(later):
        assert outbox.deliver(pk) == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1


def test_after_the_last_attempt_the_email_is_marked_failed_not_dropped(monkeypatch):
    (pk,) = _queue()
    OutboundEmail.objects.filter(pk=pk).update(attempts=outbox.MAX_ATTEMPTS - 1)
    monkeypatch.setattr(
        EmailMessage, "send", lambda self, *a, **k: (_ for _ in ()).throw(OSError("x"))
    )
    assert outbox.deliver(pk) == OutboundEmail.Status.FAILED
    assert OutboundEmail.objects.filter(pk=pk).exists()


def test_a_cache_that_is_down_answers_misses_and_skips_itself_for_a_while():
    cache = FailSafeRedisCache(
        f"redis://127.0.0.1:{services.free_port()}/0",
        {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}},
    )
    assert cache.get("k") is None
    assert not cache.available  # the next calls do not wait for the dead server
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set("k", 1) is None
    assert cache.add("k", 1) is True
    assert cache.get_or_set("k", lambda: 5) == 5
    with pytest.raises(ValueError):
        cache.incr("k")


def test_a_cache_that_is_up_behaves_as_redis_cache(private_redis):
    cache = FailSafeRedisCache(private_redis.url(0), {})
    cache.set("k", 1, timeout=None)
    assert cache.get("k") == 1 and cache.incr("k") == 2
    with pytest.raises(ValueError):
        cache.incr("missing")
    assert cache.available
    private_redis.stop()
    assert cache.get("k") is None
