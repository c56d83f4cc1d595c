"""One line per request for the logs and the metrics, with nothing personal in it.

The line names the URL pattern (``cases:detail``), never the path: paths
carry ids and query strings can carry search terms. The user appears as
their numeric id only.
"""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse

from apps.operations import metrics

logger = logging.getLogger("sozialraum.request")


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], *args: Any) -> Any:
        self.count += 1
        return execute(*args)


class RequestTelemetryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        queries = _QueryCounter()
        started = time.perf_counter()
        with connection.execute_wrapper(queries):
            response = self.get_response(request)
        duration = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unbekannt"
        metrics.REQUESTS.labels(view, request.method, f"{response.status_code // 100}xx").inc()
        metrics.LATENCY.labels(view).observe(duration)
        metrics.QUERIES.labels(view).observe(queries.count)
        user = getattr(request, "user", None)
        logger.info(
            "%s %s %s %.0f ms",
            request.method,
            view,
            response.status_code,
            duration * 1000,
            extra={
                "view": view,
                "method": request.method,
                "status": response.status_code,
                "duration_ms": round(duration * 1000, 1),
                "queries": queries.count,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response
