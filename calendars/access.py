"""Who may see or change calendar settings: one helper per object type."""

from __future__ import annotations

from django.http import Http404

from accounts.models import User
from scheduling.availability.models import CalendarConnection, ConnectionKind


def own_caldav_account_or_404(user: User, connection_id: int) -> CalendarConnection:
    """Return one of the person's own CalDAV availability accounts by id; anyone else's is a 404."""
    connection = CalendarConnection.objects.filter(
        user=user, kind=ConnectionKind.CALDAV, pk=connection_id
    ).first()
    if connection is None:
        raise Http404("No such calendar account.")
    return connection
