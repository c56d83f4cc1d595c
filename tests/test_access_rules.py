"""Deny by default: every URL of the project names who may use its view.

Walks the whole URLconf, so a pattern added by any later feature is checked
without touching this file.
"""

from collections.abc import Iterator

import pytest
from django.contrib import admin
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, path
from django.urls.resolvers import RoutePattern

from apps.core.access import access_rule_of, authenticated

pytestmark = pytest.mark.django_db

# The Django admin enforces its own rule: AdminSite.has_permission lets only
# active staff in (tested below), and only administrators are staff.
EXEMPT_NAMESPACES = {"admin"}

# What the admin may show: master data and accounts. Case content must never
# appear there (separation of duties); add a model here only if it holds no
# personal data of clients.
# otp_totp/otp_static: admins reset a lost second factor (no case content).
# operations: scheduled jobs and worker heartbeats (names and times only).
ADMIN_APPS = {"organisation", "accounts", "auth", "otp_totp", "otp_static", "operations"}
# Schulbegleitung providers and school pools, retention periods: master data.
# The task queue: task names, states, ids and scrubbed error frames, no content.
ADMIN_MODELS = {
    "cases.provider",
    "cases.pool",
    "cases.closingreason",
    "cases.helpkind",
    "referrals.requestsource",
    "audit.retentionrule",
    "reports.budget",
    "reports.providerrate",
    "django_tasks_database.dbtaskresult",
}


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, object]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in EXEMPT_NAMESPACES:
                continue
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner.strip(":"))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield f"{prefix}{entry.pattern} ({name or 'ohne Namen'})", entry.callback


def views_without_access_rule(resolver: URLResolver) -> list[str]:
    return [label for label, view in _walk(resolver.url_patterns) if access_rule_of(view) is None]


def test_every_view_declares_an_access_rule():
    missing = views_without_access_rule(get_resolver())

    assert not missing, (
        "Views ohne Zugriffsregel (public, authenticated oder roles_required aus "
        f"apps.core.access): {', '.join(missing)}"
    )


def test_the_walk_sees_the_project_urls():
    labels = [label for label, _ in _walk(get_resolver().url_patterns)]

    assert any("(accounts:start)" in label for label in labels)
    assert any("(accounts:login)" in label for label in labels)
    assert not any(label.startswith("verwaltung/") for label in labels)


def _undeclared(request):
    return HttpResponse()


@authenticated
def _declared(request):
    return HttpResponse()


def test_a_view_without_rule_is_reported_by_its_pattern_even_inside_includes():
    resolver = URLResolver(
        RoutePattern(""),
        [
            path("offen/", _declared, name="declared"),
            path("bereich/", ([path("vergessen/", _undeclared, name="forgotten")], "demo", "demo")),
        ],
    )

    assert views_without_access_rule(resolver) == ["bereich/vergessen/ (demo:forgotten)"]


def test_admin_role_user_can_open_the_admin(client, admin_user):
    client.force_login(admin_user)

    assert client.get("/verwaltung/").status_code == 200


def test_familienamt_user_is_sent_to_the_admin_login(client, familienamt_worker):
    client.force_login(familienamt_worker)

    response = client.get("/verwaltung/")

    assert response.status_code == 302
    assert response.url == "/verwaltung/login/?next=/verwaltung/"


def test_admin_shows_only_master_data_and_accounts():
    not_allowed = [
        model._meta.label_lower
        for model in admin.site._registry
        if model._meta.app_label not in ADMIN_APPS and model._meta.label_lower not in ADMIN_MODELS
    ]
    # Models with personal data answer visible_to(user); none of them belongs in the admin.
    scoped = [
        model._meta.label_lower
        for model in admin.site._registry
        if hasattr(model._default_manager.all(), "visible_to")
    ]

    assert not not_allowed, f"Im Admin registriert, aber nicht freigegeben: {not_allowed}"
    assert not scoped, f"Modelle mit Personendaten im Admin: {scoped}"
