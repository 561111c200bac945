"""A button's address opened as a page: a friendly 405 that leads back to the page it belongs to."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse


def page_it_belongs_to(path: str) -> str:
    """Return the nearest parent path that is a page (e.g. the period of a seat's action)."""
    parts = [p for p in path.split("/") if p]
    while parts:
        parts.pop()
        candidate = "/" + "/".join(parts) + "/" if parts else "/"
        try:
            resolve(candidate)
        except Resolver404:
            continue
        return candidate
    return reverse("dashboard")


class FriendlyMethodNotAllowedMiddleware:
    """Answer a GET of a POST-only URL with a page that links back, not a blank 405."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code != 405
            or getattr(response, "streaming", False)
            or request.method not in ("GET", "HEAD")
            or response.content
            or "html" not in request.headers.get("Accept", "text/html")
        ):
            return response
        friendly = render(
            request, "405.html", {"back": page_it_belongs_to(request.path)}, status=405
        )
        if response.has_header("Allow"):
            friendly["Allow"] = response["Allow"]
        return friendly
