"""A person's standing is the same through a stretch; the rota's plain rows read as the models."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from scheduling.requirements.models import Kind, Status
from scheduling.requirements.state import CompletionRow, load_standing
from tests.requirements.factories import CompletionFactory, RequirementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(team, engineer):
    """Production access from 5 Jan until 20 Jan (exclusive), a renewal pending, a rejection."""
    access = RequirementFactory(team=team, title="Production access", kind=Kind.APPROVAL)
    CompletionFactory(
        requirement=access,
        user=engineer,
        valid_from=date(2027, 1, 5),
        valid_until=date(2027, 1, 20),
    )
    CompletionFactory(requirement=access, user=engineer, status=Status.PENDING, valid_from=None)
    training = RequirementFactory(team=team, title="Incident training", kind=Kind.ATTESTATION)
    CompletionFactory(requirement=training, user=engineer, status=Status.REJECTED, valid_from=None)
    return access, training


def test_stretches_start_where_a_completion_starts_or_ends(history, team, engineer):
    standing = load_standing(team=team, users=[engineer])
    assert standing.edges(engineer.pk) == [date(2027, 1, 5), date(2027, 1, 20)]
    assert standing.stretch(engineer.pk, date(2027, 1, 4)) is None
    assert standing.stretch(engineer.pk, date(2027, 1, 5)) == date(2027, 1, 5)
    assert standing.stretch(engineer.pk, date(2027, 1, 19)) == date(2027, 1, 5)
    assert standing.stretch(engineer.pk, date(2027, 1, 20)) == date(2027, 1, 20)


def test_plain_rows_give_every_day_the_cells_the_models_give(history, team, engineer):
    models = load_standing(team=team, users=[engineer])
    rows = load_standing(team=team, users=[engineer], deciders=False)
    assert all(isinstance(c, CompletionRow) for cs in rows.completions.values() for c in cs)
    day = date(2027, 1, 1)
    while day < date(2027, 2, 1):
        expected = [(c.requirement.pk, c.state, c.met) for c in models.cells(engineer.pk, day)]
        got = [(c.requirement.pk, c.state, c.met) for c in rows.cells(engineer.pk, day)]
        assert got == expected, day
        # What is met, and why not, holds through the stretch.
        first = rows.stretch(engineer.pk, day) or date(2027, 1, 1)
        same = [
            (c.requirement.pk, c.met) for c in rows.cells(engineer.pk, max(first, date(2027, 1, 1)))
        ]
        assert [(c.requirement.pk, c.met) for c in rows.cells(engineer.pk, day)] == same
        day += timedelta(days=1)
