"""Factories for requirements and completions."""

from __future__ import annotations

import datetime

import factory

from scheduling.requirements.models import Completion, Kind, Requirement, Status
from tests.factories import TeamFactory, UserFactory


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement

    team = factory.SubFactory(TeamFactory)
    title = factory.Sequence(lambda n: f"Requirement {n}")
    description = "Why it matters."
    instructions = "How to get it."
    kind = Kind.ATTESTATION
    applies_to = "both"
    validity_days = None


class CompletionFactory(factory.django.DjangoModelFactory):
    """An accepted completion of the requirement's current version, from valid_from."""

    class Meta:
        model = Completion

    requirement = factory.SubFactory(RequirementFactory)
    user = factory.SubFactory(UserFactory)
    version = factory.LazyAttribute(lambda o: o.requirement.version)
    status = Status.ACCEPTED
    valid_from = factory.LazyFunction(lambda: datetime.date(2026, 1, 1))
    valid_until = factory.LazyAttribute(
        lambda o: o.requirement.valid_until_for(o.valid_from) if o.valid_from else None
    )
