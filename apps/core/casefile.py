"""Sections of the case file page contributed by apps above ``cases``.

``cases`` renders the case page but must not import ``casework``; casework
registers a provider here in ``AppConfig.ready``. Each provider gets the
request and the (already visibility-checked) case.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from apps.core.startpage import StartSection

CaseSectionProvider = Callable[[HttpRequest, Any], StartSection | None]
_providers: list[CaseSectionProvider] = []


def register(provider: CaseSectionProvider) -> CaseSectionProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def sections_for(request: HttpRequest, case: Any) -> list[StartSection]:
    found = [s for provider in _providers if (s := provider(request, case)) is not None]
    return sorted(found, key=lambda section: section.order)
