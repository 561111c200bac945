"""States of each kind, expiry relative to a shift date, versions, and eligible roles."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scheduling.requirements import services
from scheduling.requirements.models import Kind, Status
from scheduling.requirements.state import State, load_standing
from tests.factories import MembershipFactory
from tests.requirements.factories import CompletionFactory, RequirementFactory

D = dt.date


def cell(team, user, requirement, on=None):
    standing = load_standing(team=team, users=[user])
    return next(c for c in standing.cells(user.pk, on) if c.requirement.pk == requirement.pk)


@time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_attestation_is_not_met_then_met_when_confirmed(team, engineer):
    runbook = RequirementFactory(team=team)
    assert cell(team, engineer, runbook).state == State.NOT_MET
    services.attest(requirement=runbook, user=engineer)
    found = cell(team, engineer, runbook)
    assert found.state == State.MET
    assert found.completion.valid_from == D(2026, 6, 1)
    assert found.completion.valid_until is None


@time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False)
def test_new_version_asks_everyone_to_confirm_again(team, engineer, manager):
    runbook = RequirementFactory(team=team)
    services.attest(requirement=runbook, user=engineer)
    services.new_version(requirement=runbook, by=manager)
    runbook.refresh_from_db()
    stale = cell(team, engineer, runbook)
    assert runbook.version == 2
    assert stale.state == State.NOT_MET
    assert stale.outdated
    services.attest(requirement=runbook, user=engineer)
    assert cell(team, engineer, runbook).state == State.MET


def test_expiry_states_relative_to_the_day(team, engineer):
    certificate = RequirementFactory(team=team, kind=Kind.EVIDENCE, validity_days=30)
    CompletionFactory(requirement=certificate, user=engineer, valid_from=D(2026, 1, 1))
    # valid_until is 31 January: valid from <= day < until.
    assert cell(team, engineer, certificate, D(2025, 12, 31)).state == State.NOT_MET
    assert cell(team, engineer, certificate, D(2026, 1, 1)).state == State.MET
    assert cell(team, engineer, certificate, D(2026, 1, 16)).state == State.MET
    expiring = cell(team, engineer, certificate, D(2026, 1, 17))
    assert (expiring.state, expiring.days_left, expiring.label) == (
        State.EXPIRING,
        14,
        "Expires in 14 days",
    )
    assert cell(team, engineer, certificate, D(2026, 1, 30)).label == "Expires in 1 day"
    assert cell(team, engineer, certificate, D(2026, 1, 31)).state == State.EXPIRED


def test_a_completion_that_expires_before_the_shift_does_not_count(team, engineer):
    runbook = RequirementFactory(team=team, validity_days=10, applies_to="primary")
    CompletionFactory(requirement=runbook, user=engineer, valid_from=D(2026, 3, 20))
    assert "primary" in services.eligible_roles(user=engineer, team=team, on=D(2026, 3, 29))
    assert services.eligible_roles(user=engineer, team=team, on=D(2026, 3, 30)) == frozenset(
        {"shadow", "secondary"}
    )
    assert "primary" not in services.eligible_roles(user=engineer, team=team, on=D(2026, 3, 19))


@time_machine.travel(dt.datetime(2026, 3, 29, 23, 30, tzinfo=dt.UTC), tick=False)
def test_today_is_the_teams_date_across_the_dst_change(team, engineer):
    """At 23:30 UTC on 29 March London is already at 00:30 on the 30th (BST began that day)."""
    runbook = RequirementFactory(team=team, validity_days=10)
    CompletionFactory(requirement=runbook, user=engineer, valid_from=D(2026, 3, 20))
    assert cell(team, engineer, runbook).state == State.EXPIRED
    services.attest(requirement=runbook, user=engineer)
    assert cell(team, engineer, runbook).completion.valid_from == D(2026, 3, 30)


def test_pending_request_and_rejection(team, engineer):
    access = RequirementFactory(team=team, kind=Kind.APPROVAL, validity_days=90)
    CompletionFactory(requirement=access, user=engineer, status=Status.PENDING, valid_from=None)
    assert cell(team, engineer, access, D(2026, 2, 1)).state == State.PENDING
    access.completions.update(status=Status.REJECTED, comment="Do the training first")
    found = cell(team, engineer, access, D(2026, 2, 1))
    assert found.state == State.NOT_MET
    assert found.rejected.comment == "Do the training first"


def test_a_renewal_pending_while_still_met_shows_met(team, engineer):
    access = RequirementFactory(team=team, kind=Kind.APPROVAL, validity_days=90)
    CompletionFactory(requirement=access, user=engineer, valid_from=D(2026, 1, 1))
    CompletionFactory(requirement=access, user=engineer, status=Status.PENDING, valid_from=None)
    found = cell(team, engineer, access, D(2026, 3, 25))
    assert found.state == State.EXPIRING
    assert found.pending is not None
    assert cell(team, engineer, access, D(2026, 4, 2)).state == State.PENDING


def test_roles_need_every_requirement_that_applies(team, engineer):
    both = RequirementFactory(team=team, applies_to="both")
    primary_only = RequirementFactory(team=team, applies_to="primary")
    on = D(2026, 5, 1)
    assert services.eligible_roles(user=engineer, team=team, on=on) == frozenset({"shadow"})
    CompletionFactory(requirement=both, user=engineer)
    assert services.eligible_roles(user=engineer, team=team, on=on) == frozenset(
        {"shadow", "secondary"}
    )
    CompletionFactory(requirement=primary_only, user=engineer)
    assert services.eligible_roles(user=engineer, team=team, on=on) == frozenset(
        {"shadow", "secondary", "primary"}
    )


def test_archived_requirements_and_non_members(team, engineer, outsider, manager):
    old = RequirementFactory(team=team)
    services.archive_requirement(requirement=old, by=manager)
    assert services.eligible_roles(user=engineer, team=team, on=D(2026, 5, 1)) == frozenset(
        {"shadow", "primary", "secondary"}
    )
    assert services.eligible_roles(user=outsider, team=team, on=D(2026, 5, 1)) == frozenset()


def test_eligible_roles_for_team_matches_eligible_roles(team, engineer, manager):
    runbook = RequirementFactory(team=team, validity_days=10, applies_to="secondary")
    CompletionFactory(requirement=runbook, user=engineer, valid_from=D(2026, 3, 25))
    dates = [D(2026, 3, 24), D(2026, 3, 25), D(2026, 4, 3), D(2026, 4, 4)]
    result = services.eligible_roles_for_team(team=team, dates=dates)
    assert set(result) == {engineer.pk, manager.pk}
    for user in (engineer, manager):
        for day in dates:
            assert result[user.pk][day] == services.eligible_roles(user=user, team=team, on=day)
    assert [("secondary" in result[engineer.pk][d]) for d in dates] == [False, True, True, False]


def _team_queries(team, dates) -> int:
    with CaptureQueriesContext(connection) as queries:
        services.eligible_roles_for_team(team=team, dates=dates)
    return len(queries)


def test_eligible_roles_for_team_runs_constant_queries(team):
    for kind, key in ((Kind.ATTESTATION, ""), (Kind.APPROVAL, ""), (Kind.AUTOMATIC, "mfa_enabled")):
        RequirementFactory(team=team, kind=kind, check_key=key)
    for _ in range(3):
        MembershipFactory(team=team)
    few = _team_queries(team, [D(2026, 5, 1)])
    for _ in range(30):
        requirement = team.requirements.first()
        CompletionFactory(requirement=requirement, user=MembershipFactory(team=team).user)
    many = _team_queries(team, [D(2026, 5, 1) + dt.timedelta(days=n) for n in range(60)])
    assert few == many
