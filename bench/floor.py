"""How close a Django page can come to the raw twin: the filtered case list, step by step.

One client, in-process, production settings (DEBUG off), the page of the raw twin
(``CASE_FILTER`` in bench/pages.py, as the Familienamt). Prints the CPU of this
process per request for: the whole page; the same view with its rows fetched but
no template rendered; and a view that only
answers the same number of bytes behind the whole middleware chain (session,
user and roles read). The differences are what the templates and the view with
its queries cost; the last is the floor every Django page here stands on.

Usage: DATABASE_URL=... .venv/bin/python bench/floor.py [--repeat 200]
"""

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import CASE_FILTER  # noqa: E402
from bench.run import server_env  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    os.environ.update(server_env(secrets.token_urlsafe(32)))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weimar_sozialraum.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.http import HttpResponse
    from django.test import Client
    from django.urls import clear_url_caches, path

    from apps.cases import views
    from apps.organisation.models import Team
    from weimar_sozialraum import urls

    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    settings.ALLOWED_HOSTS = ["testserver"]
    west = Team.objects.get(sozialraum__slug="west").pk
    page = "/faelle/?" + CASE_FILTER.format(team_west=west)
    client = Client(secure=True)
    client.post("/anmelden/", {"username": "familienamt", "password": settings.DEMO_PASSWORD})
    size = len(client.get(page).content)

    def measure(label: str, url: str) -> None:
        for _ in range(5):
            client.get(url)
        cpu = []
        for _ in range(args.repeat):
            started = time.process_time()
            response = client.get(url)
            cpu.append((time.process_time() - started) * 1000)
        assert response.status_code == 200, response.status_code
        print(f"{label:58} {statistics.median(cpu):6.2f} {min(cpu):6.2f}")

    print(f"{'CPU ms per request (median, least)':58} {'med':>6} {'least':>6}")
    measure("the whole page", page)
    render = views.render

    def rows_only(request: Any, template: str, context: dict[str, Any]) -> HttpResponse:
        return HttpResponse(b"x" * size)  # the page's rows are fetched by then

    views.render = rows_only  # type: ignore[assignment]
    measure("the view with its rows, no template", page)
    views.render = render
    urls.urlpatterns.insert(0, path("floor/", lambda request: HttpResponse(b"x" * size)))
    clear_url_caches()
    measure("no view: middleware, session, user and roles", "/floor/")


if __name__ == "__main__":
    main()
