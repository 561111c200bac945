"""Celery tasks of the rota: thin wrappers that take primary keys."""

from __future__ import annotations

from celery import shared_task

from scheduling.rotas import progress
from scheduling.rotas.services import recommend as recommend_service


@shared_task(name="rotas.tasks.recommend")
def recommend(recommendation_id: int) -> None:
    """Run the engine for a queued recommendation."""
    recommend_service.run_recommendation(recommendation_id=recommendation_id)


@shared_task(name="rotas.tasks.recommend_many")
def recommend_many(recommendation_ids: list[int]) -> None:
    """Run several teams' queued recommendations one after another."""
    recommend_service.run_recommendations(recommendation_ids=recommendation_ids)


@shared_task(name="rotas.tasks.finish_announcing")
def finish_announcing(period_id: int) -> None:
    """Clear the period's "telling the team" mark once the announcement's tasks were queued."""
    progress.finish(period_id=period_id)
