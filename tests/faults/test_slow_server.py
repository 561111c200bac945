"""A CalDAV server that does not answer holds one slot of the io worker, not the others:
another person's delivery is not delayed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date

import pytest

from calendars import services as calendars
from calendars.models import Delivery, PushTarget
from scheduling.rotas.services.publishing import publish
from tests.calendars.conftest import daily_shifts
from tests.calendars.factories import PeriodFactory, SeatFactory
from tests.factories import MembershipFactory, TeamFactory
from tests.faults.helpers import HookedProxy
from tests.services import wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_worker_pool() -> tuple[str, int]:
    """As compose runs the io worker: several slots, so one slow server takes only one."""
    return ("threads", 4)


@pytest.fixture
def celery_worker_env() -> dict[str, str]:
    """Let the slow server's request outlive the test, so it is held, not timed out, throughout."""
    return {"URL_FETCH_TIMEOUT": "120"}


@pytest.fixture
def proxies(radicale) -> Iterator[tuple[HookedProxy, HookedProxy, threading.Event]]:
    slow, fast = HookedProxy(radicale.port), HookedProxy(radicale.port)
    done = threading.Event()

    def answer_when_the_test_is_done(path: str) -> bool:
        done.wait(timeout=120)
        return True

    slow.before_put = answer_when_the_test_is_done
    try:
        yield slow, fast, done
    finally:
        done.set()
        slow.close()
        fast.close()


def test_a_slow_calendar_server_does_not_delay_another_persons_delivery(
    celery_worker, radicale, proxies
):
    slow, fast, done = proxies
    team = TeamFactory(timezone="Europe/London")
    manager = MembershipFactory(team=team, role="manager").user
    alice, bob = MembershipFactory(team=team).user, MembershipFactory(team=team).user
    for account, user, proxy in (("alice", alice, slow), ("bob", bob, fast)):
        calendars.connect_push(
            user=user,
            server_url=proxy.url,
            username=account,
            password=radicale.users[account],
            calendar_name="On call",
        )
    period = PeriodFactory(team=team)
    for shift in daily_shifts(team, period, date(2027, 3, 26), 2):
        SeatFactory(shift=shift, role="primary", proposed_holder=alice)
        SeatFactory(shift=shift, role="secondary", proposed_holder=bob)

    publish(period=period, by=manager, confirm_unfilled=True)
    # Alice's server holds her push until the test ends: bob's delivery must not wait for it.
    wait_until(
        "bob's delivery",
        lambda: (
            Delivery.objects.filter(entry__user=bob).exists()
            and not Delivery.objects.filter(entry__user=bob, pending=True).exists()
        ),
        timeout=90,
    )
    assert not done.is_set()
    assert PushTarget.objects.filter(user=alice, pushing_until__isnull=False).exists()
    assert Delivery.objects.filter(entry__user=alice, pending=True).exists()
    done.set()
