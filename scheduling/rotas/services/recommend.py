"""Run the engine for a period as a Celery task, and accept its draft."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import audit, stamps
from accounts.models import User
from rota.queue import after_commit
from scheduling.engine import solution_to_dict, solve
from scheduling.rotas import commitments, tasks
from scheduling.rotas import problem as problem_builder
from scheduling.rotas.errors import WrongState
from scheduling.rotas.models import PeriodState, Recommendation, RotaPeriod, Seat

log = logging.getLogger(__name__)
ACTIVE = (Recommendation.Status.QUEUED, Recommendation.Status.RUNNING)
STALE_AFTER = timedelta(minutes=15)


def request_recommendation(
    *, period: RotaPeriod, by: User | None, enqueue: bool = True
) -> Recommendation:
    """Queue an engine run for the period (or return the one already under way)."""
    if period.state == PeriodState.DRAFT:
        raise WrongState("Open the period for availability before asking for a recommendation.")
    with transaction.atomic():
        RotaPeriod.objects.select_for_update().filter(pk=period.pk).first()
        # A run that never finished (a worker lost mid-task) must not block the page forever.
        stale = timezone.now() - STALE_AFTER
        period.recommendations.filter(status__in=ACTIVE, created_at__lt=stale).update(
            status=Recommendation.Status.FAILED,
            error="The engine did not answer in time; try again.",
            finished_at=timezone.now(),
        )
        running = period.recommendations.filter(status__in=ACTIVE).first()
        if running is not None:
            return running
        recommendation = Recommendation.objects.create(period=period, requested_by=by)
        audit.record(
            action="rota.recommend_requested",
            summary=f"{by.name if by else 'Rota'} asked for a recommendation for {period}",
            actor=by,
            team=period.team,
            target=period,
        )
        if enqueue:
            # A broker outage must not fail the request after commit (the page shows it queued).
            after_commit(tasks.recommend, recommendation.pk)
    return recommendation


def recommend_periods(*, periods: Iterable[RotaPeriod], by: User | None) -> list[Recommendation]:
    """Queue the periods' runs as one task that solves them one after another.

    Each run sees the drafts the earlier ones wrote, so a person in several teams is never
    proposed for two of them at once.
    """
    with transaction.atomic():
        recommendations = [request_recommendation(period=p, by=by, enqueue=False) for p in periods]
        queued = [r.pk for r in recommendations if r.status == Recommendation.Status.QUEUED]
        if queued:
            transaction.on_commit(lambda: tasks.recommend_many.delay(queued))
    return recommendations


def run_recommendations(*, recommendation_ids: Iterable[int]) -> None:
    """Run queued recommendations in order (the multi-team flow)."""
    for recommendation_id in recommendation_ids:
        run_recommendation(recommendation_id=recommendation_id)


def run_recommendation(*, recommendation_id: int) -> Recommendation | None:
    """Claim a queued recommendation, solve, and write proposed holders to unlocked seats."""
    claimed = Recommendation.objects.filter(
        pk=recommendation_id, status=Recommendation.Status.QUEUED
    ).update(status=Recommendation.Status.RUNNING)
    if not claimed:
        return None
    recommendation = Recommendation.objects.select_related("period__team", "requested_by").get(
        pk=recommendation_id
    )
    period = recommendation.period
    stamps.touch(teams=[period.team_id])  # the page shows the run as running
    try:
        pp = problem_builder.build(period)
        solution = solve(
            pp.problem, time_limit=settings.ROTA_SOLVE_SECONDS, workers=settings.ROTA_SOLVE_WORKERS
        )
        result = solution_to_dict(solution)
        result["dropped_fixed"] = pp.dropped_fixed
    except Exception as error:  # noqa: BLE001 (the manager sees the reason on the page)
        log.exception("Recommendation %s failed", recommendation_id)
        Recommendation.objects.filter(pk=recommendation_id).update(
            status=Recommendation.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        stamps.touch(teams=[period.team_id])
        return recommendation
    with transaction.atomic():
        period = RotaPeriod.objects.select_for_update().get(pk=period.pk)
        seats = list(
            Seat.objects.filter(shift__period=period, locked=False).select_related("shift")
        )
        for seat in seats:
            seat.proposed_holder_id = problem_builder.user_id_of(
                result["assignments"].get(str(seat.pk))
            )
            seat.version += 1  # an edit made from the page before this run sees it changed
        _drop_new_clashes(period, seats, pp.rest)
        Seat.objects.bulk_update(seats, ["proposed_holder", "version"])
        stamps.touch(teams=[period.team_id])
        if period.state in (PeriodState.DRAFT, PeriodState.COLLECTING):
            period.state = PeriodState.RECOMMENDED
            period.save(update_fields=["state"])
        recommendation.status = Recommendation.Status.DONE
        recommendation.solution = result
        recommendation.finished_at = timezone.now()
        recommendation.save(update_fields=["status", "solution", "finished_at"])
        filled = sum(1 for v in result["assignments"].values() if v)
        audit.record(
            action="rota.recommended",
            summary=f"The engine recommended a rota for {period}: {filled} of"
            f" {len(result['assignments'])} seats filled ({result['status']})",
            actor=recommendation.requested_by,
            team=period.team,
            target=period,
            recommendation=recommendation.pk,
        )
    return recommendation


def _drop_new_clashes(period: RotaPeriod, seats: list[Seat], rest: timedelta) -> None:
    """Empty seats another team filled with the same person while the engine ran."""
    if not seats:
        return
    start = min(s.shift.starts_at for s in seats) - rest
    end = max(s.shift.ends_at for s in seats) + rest
    held = {s.proposed_holder_id for s in seats if s.proposed_holder_id}
    elsewhere = commitments.for_users(
        user_ids=held, start=start, end=end, exclude_period_id=period.pk
    )
    for seat in seats:
        holder_id = seat.proposed_holder_id
        mine = elsewhere.get(holder_id) if holder_id is not None else None
        if mine and commitments.clashing(mine, seat.shift.starts_at, seat.shift.ends_at, rest):
            seat.proposed_holder_id = None


def accept_recommendation(
    *, period: RotaPeriod, by: User, seat_ids: Iterable[int] | None = None
) -> int:
    """Lock the recommended holders (all, or the chosen seats) so later runs keep them."""
    with transaction.atomic():
        RotaPeriod.objects.select_for_update().filter(pk=period.pk).first()
        seats = Seat.objects.filter(
            shift__period=period, proposed_holder__isnull=False, locked=False
        )
        if seat_ids is not None:
            seats = seats.filter(pk__in=list(seat_ids))
        count = seats.update(locked=True)
        audit.record(
            action="rota.recommendation_accepted",
            summary=f"{by.name} accepted {count} recommended seat{'s' if count != 1 else ''}"
            f" of {period}",
            actor=by,
            team=period.team,
            target=period,
            seats=count,
        )
    return count
