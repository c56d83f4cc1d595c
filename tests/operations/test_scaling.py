"""Past one machine: a replica for the reports, Redis for cache and sessions."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import ResolverMatch

from apps.core.replica import REPLICA, ReplicaReadsMiddleware, ReplicaRouter, replica_reads

BASE_DIR = Path(__file__).resolve().parent.parent.parent
User = get_user_model()


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setitem(connections.settings, REPLICA, connections.settings["default"])


def test_reads_go_to_the_replica_only_inside_replica_reads(with_replica):
    router = ReplicaRouter()

    assert router.db_for_read(User) is None
    with replica_reads():
        assert router.db_for_read(User) == REPLICA
        assert router.db_for_write(User) is None  # writes always to the primary
    assert router.db_for_read(User) is None


def test_without_a_replica_everything_reads_from_the_primary():
    with replica_reads():
        assert ReplicaRouter().db_for_read(User) is None


def test_the_replica_is_never_migrated():
    assert ReplicaRouter().allow_migrate(REPLICA, "cases") is False
    assert ReplicaRouter().allow_migrate("default", "cases") is None


def _through_middleware(method: str, namespace: str) -> str | None:
    seen = {}

    def view(request):
        seen["db"] = ReplicaRouter().db_for_read(User)
        return HttpResponse()

    request = getattr(RequestFactory(), method)("/x")
    request.resolver_match = ResolverMatch(view, (), {}, namespaces=[namespace])
    middleware = ReplicaReadsMiddleware(
        lambda r: middleware.process_view(r, view, (), {}) or view(r)
    )
    middleware(request)
    assert ReplicaRouter().db_for_read(User) is None  # reset after the response
    return seen["db"]


def test_get_requests_of_the_reports_read_from_the_replica(with_replica, settings):
    settings.REPLICA_READ_NAMESPACES = ["reports"]

    assert _through_middleware("get", "reports") == REPLICA
    assert _through_middleware("post", "reports") is None
    assert _through_middleware("get", "cases") is None


def _settings_with(**env: str) -> dict:
    script = (
        "import django, json; django.setup()\n"
        "from django.conf import settings as s\n"
        "from django.core.cache import cache\n"
        "cache.set('probe', 42)\n"
        "print(json.dumps({'databases': sorted(s.DATABASES), "
        "'mirror': s.DATABASES.get('replica', {}).get('TEST', {}).get('MIRROR'), "
        "'cache': s.CACHES['default']['BACKEND'], 'sessions': s.SESSION_ENGINE, "
        "'probe': cache.get('probe')}))\n"
    )
    clean = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=clean | {"DJANGO_SETTINGS_MODULE": "weimar_sozialraum.settings", **env},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_replica_url_adds_the_replica_database():
    loaded = _settings_with(DATABASE_REPLICA_URL="postgres://reader@replica.invalid:5432/weimar")

    assert loaded["databases"] == ["default", "replica"]
    assert loaded["mirror"] == "default"  # tests read the primary


def test_without_redis_sessions_stay_in_the_database():
    loaded = _settings_with()

    assert loaded["sessions"] == "django.contrib.sessions.backends.db"


def _redis_is_up() -> bool:
    import socket

    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.skipif(not _redis_is_up(), reason="kein Redis auf 127.0.0.1:6379")
def test_with_redis_cache_and_sessions_are_shared_between_web_nodes():
    loaded = _settings_with(REDIS_URL="redis://127.0.0.1:6379/15")

    assert loaded["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert loaded["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert loaded["probe"] == 42  # a real round trip through Redis
