"""Project-level views: the health check."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from rota import health


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer 200 when database, broker, beat and workers are alive, 503 naming what is not."""
    healthy, checks, failing = health.status()
    body: dict[str, object] = {"status": "ok" if healthy else "unhealthy", "checks": checks}
    if not healthy:
        body["failing"] = failing
    return JsonResponse(body, status=200 if healthy else 503)
