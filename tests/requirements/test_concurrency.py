"""Race-free claims on PostgreSQL: simultaneous requests and decisions."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from scheduling.requirements import services
from scheduling.requirements.models import Completion, Kind, Status
from tests.factories import MembershipFactory, TeamFactory
from tests.requirements.factories import RequirementFactory


def in_threads(function, count: int = 4) -> list:
    """Run function in several threads released at once; return results or exceptions."""
    barrier = threading.Barrier(count)
    results: list = []

    def work() -> None:
        try:
            barrier.wait()
            results.append(function())
        except Exception as error:  # collected for the assertions
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_create_one(postgres):
    team = TeamFactory()
    engineer = MembershipFactory(team=team).user
    access = RequirementFactory(team=team, kind=Kind.APPROVAL)
    results = in_threads(lambda: services.request_approval(requirement=access, user=engineer).pk)
    assert len(set(results)) == 1, results
    assert Completion.objects.filter(requirement=access).count() == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_simultaneous_decisions_decide_once(postgres):
    team = TeamFactory()
    engineer = MembershipFactory(team=team).user
    managers = [MembershipFactory(team=team, role="manager").user for _ in range(4)]
    access = RequirementFactory(team=team, kind=Kind.APPROVAL)
    request = services.request_approval(requirement=access, user=engineer)
    queue = list(managers)

    def decide():
        return services.decide(
            completion=request, by=queue.pop(), approve=True, is_manager=True
        ).status

    results = in_threads(decide)
    assert results.count(Status.ACCEPTED) == 1
    assert sum(isinstance(r, services.AlreadyDecided) for r in results) == 3
