"""The daily warning job: engineers 14 days before expiry, managers of lapsing eligibility."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core import mail

from scheduling.requirements import tasks
from scheduling.requirements.models import Completion
from tests.requirements.factories import CompletionFactory, RequirementFactory


def run(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        tasks.warn_expiring.delay()


def test_warns_14_days_before_and_only_once(
    team, engineer, manager, django_capture_on_commit_callbacks
):
    runbook = RequirementFactory(team=team, title="Runbook", validity_days=30)
    # valid until 31 March; 14 days before is 17 March.
    CompletionFactory(requirement=runbook, user=engineer, valid_from=dt.date(2026, 3, 1))
    with time_machine.travel(dt.datetime(2026, 3, 16, 12, tzinfo=dt.UTC), tick=False):
        run(django_capture_on_commit_callbacks)
    # 15 days before: no engineer warning yet, but the managers hear it lapses within 31 days.
    assert [m.to for m in mail.outbox] == [[manager.contact_email]]
    assert "Eddie Engineer: Runbook" in mail.outbox[0].body
    with time_machine.travel(dt.datetime(2026, 3, 17, 12, tzinfo=dt.UTC), tick=False):
        run(django_capture_on_commit_callbacks)
        run(django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[manager.contact_email], [engineer.contact_email]]
    assert mail.outbox[1].subject.removeprefix("[Rota] ") == "Runbook expires on 31 Mar"
    assert "14 days" in mail.outbox[1].body


def test_the_warning_day_is_the_teams_date_across_dst(
    team, engineer, django_capture_on_commit_callbacks
):
    runbook = RequirementFactory(team=team, validity_days=30)
    # valid until 12 April; 14 days before is 29 March, the day BST starts.
    CompletionFactory(requirement=runbook, user=engineer, valid_from=dt.date(2026, 3, 13))
    with time_machine.travel(dt.datetime(2026, 3, 28, 23, 30, tzinfo=dt.UTC), tick=False):
        run(django_capture_on_commit_callbacks)  # 23:30 GMT, still the 28th in London
    assert not Completion.objects.filter(expiry_warned_at__isnull=False).exists()
    with time_machine.travel(dt.datetime(2026, 3, 29, 23, 30, tzinfo=dt.UTC), tick=False):
        run(django_capture_on_commit_callbacks)  # 00:30 BST on the 30th: past the 14-day mark
    assert Completion.objects.filter(expiry_warned_at__isnull=False).count() == 1


def test_renewed_and_never_expiring_completions_are_not_warned(
    team, engineer, manager, django_capture_on_commit_callbacks
):
    runbook = RequirementFactory(team=team, validity_days=30)
    forever = RequirementFactory(team=team)
    CompletionFactory(requirement=runbook, user=engineer, valid_from=dt.date(2026, 3, 1))
    CompletionFactory(requirement=runbook, user=engineer, valid_from=dt.date(2026, 3, 20))
    CompletionFactory(requirement=forever, user=engineer, valid_from=dt.date(2026, 3, 1))
    with time_machine.travel(dt.datetime(2026, 3, 25, 12, tzinfo=dt.UTC), tick=False):
        run(django_capture_on_commit_callbacks)
    # Only the renewal (until 19 April) is within the managers' 31 days, and not yet 14 days out.
    assert [m.to for m in mail.outbox] == [[manager.contact_email]]
    assert "19 Apr" in mail.outbox[0].body and "31 Mar" not in mail.outbox[0].body
