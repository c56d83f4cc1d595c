"""The main navigation, derived from the access rules of the views it links to.

An entry names a label and a URL name; whether a person sees it is the
``access_rule`` of the view behind that URL (see :mod:`apps.core.access`),
so the menu never offers a page the role may not open, nor hides one it may.
URL names are strings: core imports none of the apps it links to.
"""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.urls import NoReverseMatch, get_urlconf, resolve, reverse

from apps.core.access import AUTHENTICATED, PUBLIC, access_rule_of


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str


# In the order of the menu. Only pages people start their work from belong here.
NAVIGATION: tuple[NavEntry, ...] = (
    NavEntry("Eingang", "referrals:queue"),
    NavEntry("Anfragen", "referrals:list"),
    NavEntry("Schulbegleitung anfragen", "referrals:create"),
    NavEntry("Kinderschutz melden", "referrals:child_protection"),
    NavEntry("Anfrage aufnehmen", "referrals:office_intake"),
    NavEntry("Fälle", "cases:list"),
    NavEntry("Suche", "cases:search"),
    NavEntry("Aufgaben", "casework:my_tasks"),
    NavEntry("Beratungskontakte", "referrals:counselling"),
    NavEntry("Fallberatung", "conferences:list"),
    NavEntry("Schulbegleitung", "schoolsupport:year"),
    NavEntry("Sozialraumarbeit", "neighbourhood:overview"),
    NavEntry("Auskunft (Art. 15)", "audit:access_request"),
    NavEntry("Zugriffsprotokoll", "audit:list"),
    NavEntry("Aufbewahrung", "audit:retention"),
    NavEntry("Freigaben", "accounts:approvals"),
    NavEntry("Steuerung", "reports:steering"),
    NavEntry("Berichte", "reports:report_list"),
    NavEntry("Budget", "reports:budget_list"),
)


def allows(rule: object, roles: frozenset[str]) -> bool:
    """Whether a view's access rule lets someone with ``roles`` (and logged in) open it."""
    if rule in (PUBLIC, AUTHENTICATED):
        return True
    return isinstance(rule, frozenset) and bool(rule & roles)


@cache
def _target(url_name: str, urlconf: str) -> tuple[str, object] | None:
    """The URL and the access rule behind a URL name (None: the app is not mounted).

    Cached per URLconf: the URLs do not change while the process runs, but a
    test (or a request) may route through another URLconf.
    """
    try:
        url = reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None
    return url, access_rule_of(resolve(url, urlconf=urlconf).func)


def navigation_for(roles: frozenset[str]) -> list[dict[str, str]]:
    """The menu entries for someone holding ``roles``: label and URL."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    entries = []
    for entry in NAVIGATION:
        target = _target(entry.url_name, urlconf)
        if target is not None and allows(target[1], roles):
            entries.append({"label": entry.label, "url": target[0]})
    return entries
