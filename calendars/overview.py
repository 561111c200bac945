"""The manager's view of the team's calendar channels."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q

from accounts.models import Membership, Team, User
from calendars.models import CalendarPreferences, Channel, Delivery, PushTarget


@dataclass
class MemberChannels:
    user: User
    role: str
    channels: list[str] = field(default_factory=list)
    feed_read_at: datetime | None = None
    push: PushTarget | None = None
    pending: int = 0


def team_rows(team: Team) -> list[MemberChannels]:
    """Return each member with the channels their shifts reach them by (constant queries)."""
    members = list(
        Membership.objects.filter(team=team).select_related("user").order_by("user__display_name")
    )
    user_ids = [m.user_id for m in members]
    prefs = {p.user_id: p for p in CalendarPreferences.objects.filter(user_id__in=user_ids)}
    targets = {t.user_id: t for t in PushTarget.objects.filter(user_id__in=user_ids)}
    pending = dict(
        Delivery.objects.filter(entry__user_id__in=user_ids, pending=True)
        .values("entry__user_id")
        .annotate(n=Count("id", filter=Q(pending=True)))
        .values_list("entry__user_id", "n")
    )
    rows = []
    for member in members:
        row = MemberChannels(
            user=member.user, role=member.get_role_display(), pending=pending.get(member.user_id, 0)
        )
        pref = prefs.get(member.user_id)
        if pref is not None:
            row.feed_read_at = pref.feed_read_at
            if pref.reads_feed():
                row.channels.append("Feed")
            if pref.email_invites:
                row.channels.append(Channel.EMAIL.label)
        target = targets.get(member.user_id)
        if target is not None:
            row.push = target
            row.channels.append("CalDAV" + (" (broken)" if target.is_broken else ""))
        rows.append(row)
    rows.sort(key=lambda r: (bool(r.channels), r.user.name.lower()))
    return rows
