"""The stamp guard: a product write passes only once the team it wrote has a new stamp."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accounts import stamps
from accounts.models import Membership, User
from scheduling.requirements.models import Requirement
from scheduling.rotas.models import Seat
from tests.factories import MembershipFactory
from tests.oncall.factories import SeatFactory
from tests.requirements.factories import RequirementFactory
from tests.stamp_guard import ROOT, StampGuard

# Code compiled under this name runs with frames in the product tree, as product code does.
PRODUCT_FILE = str(ROOT / "accounts" / "guard_probe.py")


@pytest.fixture
def _stamp_guard() -> Iterator[None]:
    """Replace the suite's guard here: these tests install their own and read what it kept."""
    yield


@pytest.fixture
def guard(db) -> Iterator[StampGuard]:
    watching = StampGuard()
    stamps.listeners.append(watching.touched)
    try:
        with connection.execute_wrapper(watching):
            yield watching
    finally:
        stamps.listeners.remove(watching.touched)


def product(code: str, **names) -> None:
    """Run ``code`` as if it were a line of the product."""
    exec(compile(code, PRODUCT_FILE, "exec"), {"stamps": stamps, **names})


def test_a_product_write_followed_by_a_touch_of_its_team_passes(guard, team):
    requirement = RequirementFactory(team=team)
    product(
        "Requirement.objects.filter(pk=pk).update(title='Renamed')\nstamps.touch(teams=[team])",
        Requirement=Requirement,
        pk=requirement.pk,
        team=team.pk,
    )
    assert guard.pending == []


def test_a_save_passes_because_the_watch_touches_the_rows_team(guard, team):
    requirement = RequirementFactory(team=team)
    product("requirement.title = 'Renamed'\nrequirement.save()", requirement=requirement)
    assert guard.pending == []


def test_a_write_followed_by_a_touch_of_another_team_fails(guard, team, other_team):
    requirement = RequirementFactory(team=team)
    product(
        "Requirement.objects.filter(pk=pk).update(title='Renamed')\nstamps.touch(teams=[other])",
        Requirement=Requirement,
        pk=requirement.pk,
        other=other_team.pk,
    )
    assert [write.teams for write in guard.pending] == [{team.pk}]
    where = "requirements_requirement written at accounts/guard_probe.py:1"
    assert guard.messages == [f"{where} (team {team.pk} not touched)"]


def test_a_write_with_no_touch_fails(guard, team):
    requirement = RequirementFactory(team=team)
    product(
        "Requirement.objects.filter(pk=pk).update(title='Renamed')",
        Requirement=Requirement,
        pk=requirement.pk,
    )
    assert [write.teams for write in guard.pending] == [{team.pk}]


def test_the_team_of_a_row_is_found_through_its_parent(guard, team, other_team):
    seat = SeatFactory(shift__period__team=team)
    code = "Seat.objects.filter(pk=pk).update(role='secondary')\nstamps.touch(teams=[touched])"
    product(code, Seat=Seat, pk=seat.pk, touched=other_team.pk)
    assert [write.teams for write in guard.pending] == [{team.pk}]
    product(code, Seat=Seat, pk=seat.pk, touched=team.pk)
    assert guard.pending == []


def test_inserted_and_deleted_rows_need_a_touch_of_their_team(guard, team, other_team):
    product(
        "Requirement.objects.bulk_create([Requirement(team_id=team, title='New')])",
        Requirement=Requirement,
        team=team.pk,
    )
    RequirementFactory(team=other_team)  # setup: ignored
    product(
        "Requirement.objects.filter(team_id=other)._raw_delete(using='default')",
        Requirement=Requirement,
        other=other_team.pk,
    )
    assert [write.teams for write in guard.pending] == [{team.pk}, {other_team.pk}]
    stamps.touch(teams=[team.pk, other_team.pk])
    assert guard.pending == []


def test_a_row_moved_to_another_team_needs_both_teams_touched(guard, team, other_team, engineer):
    code = "Membership.objects.filter(user=user).update(team_id=other)\nstamps.touch(teams=[other])"
    product(code, Membership=Membership, user=engineer, other=other_team.pk)
    assert [write.teams for write in guard.pending] == [{team.pk}]


def test_a_write_rolled_back_to_a_savepoint_needs_no_touch(guard, team):
    requirement = RequirementFactory(team=team)
    code = (
        "try:\n"
        "    with transaction.atomic():\n"
        "        Requirement.objects.filter(pk=pk).update(title='Renamed')\n"
        "        raise ValueError\n"
        "except ValueError:\n"
        "    pass\n"
    )
    product(code, transaction=transaction, Requirement=Requirement, pk=requirement.pk)
    assert guard.pending == []
    requirement.refresh_from_db()
    assert requirement.title != "Renamed"


def test_a_write_kept_by_a_released_savepoint_still_needs_a_touch(guard, team):
    requirement = RequirementFactory(team=team)
    code = "with transaction.atomic():\n    Requirement.objects.filter(pk=pk).update(title='New')\n"
    product(code, transaction=transaction, Requirement=Requirement, pk=requirement.pk)
    assert [write.teams for write in guard.pending] == [{team.pk}]


def test_an_update_of_only_unseen_columns_needs_no_touch(guard, engineer):
    product(
        "User.objects.filter(pk=pk).update(last_login=now)",
        User=User,
        pk=engineer.pk,
        now=timezone.now(),
    )
    assert guard.pending == []
    product("User.objects.filter(pk=pk).update(display_name='New')", User=User, pk=engineer.pk)
    assert len(guard.pending) == 1


def test_a_tests_own_setup_writes_are_ignored(guard, team):
    requirement = RequirementFactory(team=team)
    MembershipFactory(team=team)
    Requirement.objects.filter(pk=requirement.pk).update(title="Renamed")
    requirement.delete()
    assert guard.pending == []
