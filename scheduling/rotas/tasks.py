"""Celery tasks of the rota: thin wrappers that take primary keys."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="rotas.tasks.recommend")
def recommend(recommendation_id: int) -> None:
    """Run the engine for a queued recommendation."""
    from scheduling.rotas.services import run_recommendation

    run_recommendation(recommendation_id=recommendation_id)


@shared_task(name="rotas.tasks.recommend_many")
def recommend_many(recommendation_ids: list[int]) -> None:
    """Run several teams' queued recommendations one after another."""
    from scheduling.rotas.services.recommend import run_recommendations

    run_recommendations(recommendation_ids=recommendation_ids)


@shared_task(name="rotas.tasks.send_publish_emails")
def send_publish_emails(version_id: int, user_ids: list[int]) -> None:
    """Email each affected person their shifts in the published version."""
    from scheduling.rotas import progress
    from scheduling.rotas.emails import send_rota_emails
    from scheduling.rotas.models import RotaVersion

    version = RotaVersion.objects.select_related("period__team").filter(pk=version_id).first()
    if version is None:
        return
    try:
        send_rota_emails(version=version, user_ids=user_ids)
    finally:
        progress.finish(period_id=version.period_id)
