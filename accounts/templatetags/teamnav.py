"""The team's navigation, shown by base.html on every page under /teams/<slug>/."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from accounts.models import Membership

register = template.Library()

# (label, URL name, managers only). A page is one line here; it shows once its URL exists.
# The first group is what everyone uses; the managers' pages sit under "Manage".
TEAM_PAGES = [
    ("Members", "team_detail", False),
    ("Rota", "rotas:periods", False),
    ("On call now", "oncall:now", False),
    ("Cover requests", "cover:team", False),
    ("Requirements", "requirements:team", False),
]
MANAGE_PAGES = [
    ("Availability", "availability:team", True),
    ("Reports", "oncall:report", True),
    ("Pay", "pay:report", True),
    ("Audit log", "oncall:audit", True),
    ("Calendar channels", "calendars:team_channels", True),
    ("Integrations", "webhooks:integrations", True),
    ("API tokens", "oncall:tokens", True),
    ("Settings", "team_settings", True),
]


@dataclass
class Link:
    label: str
    href: str
    current: bool = False


def _links(pages: list[tuple[str, str, bool]], slug: str, manager: bool) -> list[Link]:
    links = []
    for label, name, managers_only in pages:
        if managers_only and not manager:
            continue
        try:
            links.append(Link(label, reverse(name, args=[slug])))
        except NoReverseMatch:
            continue
    return links


def _mark_current(links: list[Link], path: str) -> None:
    """Mark the link whose address is the longest start of the path (Members only when exact)."""
    team_home = links[0].href if links else ""
    matches = [
        link
        for link in links
        if path == link.href or (link.href != team_home and path.startswith(link.href))
    ]
    if matches:
        max(matches, key=lambda link: len(link.href)).current = True


@register.inclusion_tag("teams/_nav.html", takes_context=True)
def team_nav(context: template.Context) -> dict:
    """Return the team navigation's links for the team page being shown, or nothing."""
    request = context.get("request")
    if not isinstance(request, HttpRequest):
        return {}
    match = request.resolver_match
    if match is None or not match.route.startswith("teams/"):
        return {}
    slug = match.kwargs.get("slug") or ""
    user = request.user
    if not slug or not user.is_authenticated:
        return {}
    membership = context.get("membership")
    if not isinstance(membership, Membership) or membership.team.slug != slug:
        membership = (
            Membership.objects.select_related("team").filter(user=user, team__slug=slug).first()
        )
    if membership is None:
        return {}
    main = _links(TEAM_PAGES, slug, membership.is_manager)
    manage = _links(MANAGE_PAGES, slug, membership.is_manager)
    _mark_current(main + manage, request.path)
    return {
        "nav_team": membership.team,
        "main": main,
        "manage": manage,
        "manage_current": next((link for link in manage if link.current), None),
    }
