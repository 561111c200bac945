"""Project-level views: the health check."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from rota import health


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the database, broker and worker are alive, 503 naming what is not."""
    healthy, checks = health.status()
    body: dict[str, object] = {"status": "ok" if healthy else "unhealthy", "checks": checks}
    if not healthy:
        body["failing"] = [
            name for name, text in checks.items() if not text.startswith(("ok", "eager"))
        ]
    return JsonResponse(body, status=200 if healthy else 503)
