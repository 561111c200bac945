"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

# Each entry appears in the navigation once its URL exists; apps add their pages by URL name.
NAV = [
    ("Dashboard", "dashboard"),
    ("Teams", "team_list"),
    ("My shifts", "oncall:my_shifts"),
    ("On call", "oncall:now_all"),
    ("Availability", "availability:month"),
    ("Calendars", "calendars:home"),
    ("Profile", "profile"),
    ("Mailbox", "devmail:list"),  # development only (DEBUG)
]


def _nav_items(path: str) -> list[tuple[str, str, bool]]:
    """Return (label, address, current): an entry is current on its page and the pages below it."""
    items = []
    for label, name in NAV:
        try:
            href = reverse(name)
        except NoReverseMatch:
            continue
        items.append((label, href, path == href or (href != "/" and path.startswith(href))))
    return items


def site(request: HttpRequest) -> dict:
    """Expose the site URL and the navigation."""
    return {"SITE_URL": settings.SITE_URL, "nav_items": _nav_items(request.path)}
