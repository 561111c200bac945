"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

# Each entry appears in the navigation once its URL exists; apps add their pages by URL name.
NAV = [
    ("Dashboard", "dashboard"),
    ("My shifts", "oncall:my_shifts"),
    ("On call", "oncall:now_all"),
    ("Availability", "availability:month"),
    ("Calendars", "calendars:home"),
    ("Profile", "profile"),
]


def _nav_items() -> list[tuple[str, str, str]]:
    items = []
    for label, name in NAV:
        try:
            items.append((label, name, reverse(name)))
        except NoReverseMatch:
            continue
    return items


def site(request: HttpRequest) -> dict:
    """Expose the site URL and the navigation."""
    return {"SITE_URL": settings.SITE_URL, "nav_items": _nav_items()}
