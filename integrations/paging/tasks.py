"""Paging jobs: sync one schedule link, import history, and the minute sweep."""

from __future__ import annotations

from celery import shared_task

from integrations.paging import sync
from integrations.paging.models import ScheduleLink


@shared_task
def sync_link(link_id: int) -> int:
    """Plan and push one schedule link's overrides."""
    return sync.sync(link_id=link_id)


@shared_task
def sweep() -> int:
    """Plan every link and push what is due (each minute); catches missed signals and retries."""
    return sum(sync.sync(link_id=pk) for pk in ScheduleLink.objects.values_list("pk", flat=True))
