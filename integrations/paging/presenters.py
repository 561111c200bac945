"""What the Integrations page shows of a team's paging tools, in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse

from accounts.models import Team
from integrations.paging.forms import FeedForm, HistoryForm, LinkForm
from integrations.paging.models import CallLog, OverrideState, PagingFeed, ScheduleLink

RECENT_CALLS = 8


def paging_section(request: HttpRequest, team: Team) -> dict:
    """Return the links with pending counts and recent calls, and the role feeds."""
    links = list(
        ScheduleLink.objects.filter(team=team).annotate(
            pending=Count("overrides", filter=Q(overrides__state=OverrideState.PENDING)),
            synced=Count("overrides", filter=Q(overrides__state=OverrideState.SYNCED)),
        )
    )
    calls = list(
        CallLog.objects.filter(link__team=team).order_by("-at", "-id")[
            : RECENT_CALLS * max(1, len(links))
        ]
    )
    for link in links:
        link.recent_calls = [c for c in calls if c.link_id == link.pk][:RECENT_CALLS]
    feeds = [
        {
            "feed": row,
            "url": request.build_absolute_uri(reverse("paging:feed", args=[row.token])),
        }
        for row in PagingFeed.objects.filter(team=team)
    ]
    return {
        "links": links,
        "feeds": feeds,
        "pending": sum(link.pending for link in links),
        "link_form": LinkForm(),
        "feed_form": FeedForm(),
        "history_form": HistoryForm(),
    }
