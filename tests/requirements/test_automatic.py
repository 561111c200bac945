"""The automatic-check registry and the built-in checks."""

from __future__ import annotations

import datetime as dt

import pytest
from allauth.mfa.models import Authenticator

from scheduling.requirements import services
from scheduling.requirements.automatic import automatic_check, get_check, unregister
from scheduling.requirements.forms import RequirementForm
from scheduling.requirements.models import Kind
from scheduling.requirements.state import State, load_standing
from tests.factories import MembershipFactory
from tests.requirements.factories import RequirementFactory

ON = dt.date(2026, 5, 1)


def states(team, users, requirement):
    standing = load_standing(team=team, users=users)
    return {
        user.pk: next(
            c for c in standing.cells(user.pk) if c.requirement.pk == requirement.pk
        ).state
        for user in users
    }


def test_oncall_phone_check(team, engineer, manager):
    engineer.oncall_phone = ""
    engineer.save()
    phone = RequirementFactory(team=team, kind=Kind.AUTOMATIC, check_key="oncall_phone")
    assert states(team, [engineer, manager], phone) == {
        engineer.pk: State.NOT_MET,
        manager.pk: State.MET,
    }
    assert services.eligible_roles(user=engineer, team=team, on=ON) == frozenset({"shadow"})


def test_mfa_check(team, engineer, manager):
    Authenticator.objects.create(user=manager, type=Authenticator.Type.TOTP, data={})
    Authenticator.objects.create(user=engineer, type=Authenticator.Type.RECOVERY_CODES, data={})
    mfa = RequirementFactory(team=team, kind=Kind.AUTOMATIC, check_key="mfa_enabled")
    assert states(team, [engineer, manager], mfa) == {
        engineer.pk: State.NOT_MET,
        manager.pk: State.MET,
    }


def test_a_check_registered_later_by_another_app_is_used_with_its_params(team, engineer, manager):
    seen = {}

    @automatic_check("test_shifts", "Has completed N shifts", params=("count",))
    def shifts(*, team, users, on, params):
        seen.update(params)
        return {user.pk: user.pk == engineer.pk for user in users}

    try:
        requirement = RequirementFactory(
            team=team, kind=Kind.AUTOMATIC, check_key="test_shifts", params={"count": 3}
        )
        assert states(team, [engineer, manager], requirement) == {
            engineer.pk: State.MET,
            manager.pk: State.NOT_MET,
        }
        assert seen == {"count": 3}
        assert requirement.check_label == "Has completed 3 shifts"
    finally:
        unregister("test_shifts")


def test_an_unregistered_check_is_not_available_and_does_not_crash(team, engineer, engineer_client):
    gone = RequirementFactory(
        team=team, kind=Kind.AUTOMATIC, check_key="retired_check", applies_to="primary"
    )
    assert get_check("retired_check") is None
    assert states(team, [engineer], gone) == {engineer.pk: State.UNAVAILABLE}
    # It cannot be verified, so it does not count as met.
    assert "primary" not in services.eligible_roles(user=engineer, team=team, on=ON)
    page = engineer_client.get(f"/teams/{team.slug}/requirements/")
    assert page.status_code == 200
    assert "Not available" in page.content.decode()


def test_the_form_offers_registered_checks_and_requires_one(team, manager):
    @automatic_check("test_count", "Has done N things", params=("count",))
    def things(*, team, users, on, params):
        return {}

    try:
        form = RequirementForm(team=team)
        keys = [key for key, _ in form.fields["check_key"].choices]
        assert {"oncall_phone", "mfa_enabled", "test_count"} <= set(keys)
        data = {"title": "Shifts", "kind": "automatic", "applies_to": "both", "check_key": ""}
        form = RequirementForm(data, team=team)
        assert not form.is_valid()
        assert "check_key" in form.errors
        form = RequirementForm({**data, "check_key": "test_count"}, team=team)
        assert not form.is_valid()
        assert "count" in form.errors
        form = RequirementForm({**data, "check_key": "test_count", "count": "4"}, team=team)
        assert form.is_valid(), form.errors
        assert form.requirement_fields()["params"] == {"count": 4}
    finally:
        unregister("test_count")


@pytest.mark.parametrize("size", [3, 40])
def test_checks_run_in_bulk(team, size, django_assert_max_num_queries):
    users = [MembershipFactory(team=team).user for _ in range(size)]
    RequirementFactory(team=team, kind=Kind.AUTOMATIC, check_key="mfa_enabled")
    RequirementFactory(team=team, kind=Kind.AUTOMATIC, check_key="oncall_phone")
    # requirements, and the one MFA query; the phone check reads loaded users.
    with django_assert_max_num_queries(2):
        load_standing(team=team, users=users)
