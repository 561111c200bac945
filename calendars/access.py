"""Who may see or change calendar settings: one helper per object type."""

from __future__ import annotations

from django.http import Http404

from accounts.access import manager_membership_or_403, membership_or_404
from accounts.models import Membership, User
from scheduling.availability.models import CalendarConnection, ConnectionKind


def team_membership_or_404(user: User, slug: str) -> Membership:
    """Return the user's membership of the team (its feed is for members only)."""
    return membership_or_404(user, slug)


def team_manager_or_403(user: User, slug: str) -> Membership:
    """Return the manager's membership; 404 for non-members, 403 for engineers."""
    return manager_membership_or_403(user, slug)


def own_caldav_account_or_404(user: User, connection_id: int) -> CalendarConnection:
    """Return one of the person's own CalDAV availability accounts by id; anyone else's is a 404."""
    connection = CalendarConnection.objects.filter(
        user=user, kind=ConnectionKind.CALDAV, pk=connection_id
    ).first()
    if connection is None:
        raise Http404("No such calendar account.")
    return connection
