from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from apps.accounts.models import Role

FA = {Role.FAMILIENAMT, Role.FAMILIENAMT_LEITUNG}


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    roles: frozenset[str]


# The main navigation per role. URL names are strings, so accounts does not
# import the apps above it; a role sees only the entries it may open.
NAVIGATION = (
    ("Eingang", "referrals:queue", FA),
    ("Anfragen", "referrals:list", {Role.SCHULLEITUNG}),
    ("Schulbegleitung anfragen", "referrals:create", {Role.SCHULLEITUNG}),
    ("Kinderschutz melden", "referrals:child_protection", {Role.SCHULLEITUNG}),
    ("Fälle", "cases:list", FA | {Role.TEAM}),
    ("Suche", "cases:search", FA | {Role.TEAM}),
    ("Aufgaben", "casework:my_tasks", FA | {Role.TEAM}),
    ("Fallberatung", "conferences:list", {Role.TEAM}),
    ("Sozialraumarbeit", "neighbourhood:overview", FA | {Role.TEAM}),
    ("Auskunft (Art. 15)", "audit:access_request", FA),
    ("Zugriffsprotokoll", "audit:list", {Role.DATENSCHUTZ}),
    ("Aufbewahrung", "audit:retention", {Role.FAMILIENAMT_LEITUNG, Role.DATENSCHUTZ}),
    ("Steuerung", "reports:steering", FA | {Role.TRAEGER_LEITUNG}),
    ("Berichte", "reports:report_list", FA | {Role.STADTRAT, Role.TRAEGER_LEITUNG}),
    ("Budget", "reports:budget_list", FA | {Role.TRAEGER_LEITUNG}),
)


def current_roles(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_roles": [], "navigation": []}
    roles = user.role_names
    navigation = []
    for label, name, allowed in NAVIGATION:
        if roles & allowed:
            try:
                navigation.append({"label": label, "url": reverse(name)})
            except Exception:  # noqa: BLE001 - an app not mounted yet has no entry
                continue
    return {
        "current_roles": getattr(user, "active_roles", []),
        "navigation": navigation,
        "session_timeout": settings.SESSION_COOKIE_AGE,
        "session_timeout_minutes": settings.SESSION_COOKIE_AGE // 60,
    }
