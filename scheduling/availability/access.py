"""Who may see or change availability objects: a person's own, fetched through them."""

from __future__ import annotations

from django.http import Http404

from accounts.models import User
from scheduling.availability.models import AvailabilityEntry, BusyBlock, CalendarConnection


def own_connection_or_404(user: User, connection_id: int) -> CalendarConnection:
    """Return the person's own calendar connection; anyone else's is a 404."""
    connection = CalendarConnection.objects.filter(user=user, pk=connection_id).first()
    if connection is None:
        raise Http404("No such calendar.")
    return connection


def own_block_or_404(user: User, block_id: int) -> BusyBlock:
    """Return one of the person's own busy blocks."""
    block = BusyBlock.objects.filter(user=user, pk=block_id).first()
    if block is None:
        raise Http404("No such busy time.")
    return block


def own_time_range_or_404(user: User, entry_id: int) -> AvailabilityEntry:
    """Return one of the person's own time-range entries."""
    entry = AvailabilityEntry.objects.time_ranges().filter(user=user, pk=entry_id).first()
    if entry is None:
        raise Http404("No such entry.")
    return entry
