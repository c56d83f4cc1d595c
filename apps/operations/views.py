"""Health and metrics endpoints for load balancers, orchestrators and Prometheus.

No login and no data: the answers name checks and counts only. ``/metrics``
is refused unless the client address is in ``METRICS_ALLOWED_NETWORKS``.
"""

import ipaddress
import json

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from apps.core.access import public
from apps.core.net import client_ip
from apps.operations import health
from apps.operations.metrics import exposition


def _json(payload: dict[str, object], status: int = 200) -> HttpResponse:
    return HttpResponse(
        json.dumps(payload, ensure_ascii=False), status=status, content_type="application/json"
    )


@public
@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Touches nothing else, so a database outage
    does not make the orchestrator restart healthy web processes."""
    return _json({"status": "ok"})


@public
@require_GET
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    failed = health.failing()
    if failed:
        return _json({"status": "nicht bereit", "failed": failed}, status=503)
    return _json({"status": "ok"})


@public
@require_GET
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    address = client_ip(request)
    if address is None or not any(
        ipaddress.ip_address(address) in network for network in settings.METRICS_ALLOWED_NETWORKS
    ):
        raise PermissionDenied
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
