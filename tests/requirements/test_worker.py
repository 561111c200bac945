"""The daily warning job in a real Celery worker, mailing through a real SMTP server."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduling.requirements import tasks
from scheduling.requirements.models import Completion
from tests.factories import MembershipFactory, TeamFactory
from tests.requirements.factories import CompletionFactory, RequirementFactory
from tests.services import wait_until

pytestmark = pytest.mark.services


@pytest.fixture
def celery_worker_env(smtp_sink) -> dict[str, str]:
    _sink, port = smtp_sink
    return {"EMAIL_URL": f"smtp://127.0.0.1:{port}"}


def test_warn_expiring_runs_in_a_worker_and_mails_once(celery_worker, smtp_sink, redis_url):
    sink, _port = smtp_sink
    team = TeamFactory()
    MembershipFactory(team=team, role="manager", user__email="boss@example.com")
    engineer = MembershipFactory(team=team, user__email="eng@example.com").user
    runbook = RequirementFactory(team=team, title="Runbook", validity_days=30)
    today = dt.datetime.now(team.tz).date()
    # Expires in 10 days: the engineer is warned, and the managers hear it lapses.
    CompletionFactory(requirement=runbook, user=engineer, valid_from=today - dt.timedelta(days=20))
    for _ in range(2):
        tasks.warn_expiring.delay().get(timeout=30)
    wait_until("two mails", lambda: len(sink.messages) >= 2, timeout=20)
    # A third mail (a warning sent twice) would come from a task those runs sent: let it finish.
    wait_until("the worker to finish the mails", lambda: celery_worker.idle(redis_url))
    recipients = sorted(message["To"] for message in sink.messages)
    assert recipients == ["boss@example.com", "eng@example.com"], celery_worker.log.read_text()[
        -2000:
    ]
    assert Completion.objects.filter(expiry_warned_at__isnull=False).count() == 1
