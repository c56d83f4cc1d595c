"""What waits for a person: sections that the domain apps add to the start page.

The start page lives in ``accounts``, which must not import the apps above
it; those apps register a section function here in ``AppConfig.ready``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


@dataclass
class StartSection:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50

    def render(self, request: HttpRequest) -> SafeString:
        """The section's HTML; its template sees ``context``, ``section``, ``request``,
        ``user`` and ``csrf_token``.

        A plain context, not a RequestContext: the page around the sections has run
        the context processors once already (header, navigation, unread count); a
        case page with eight sections would otherwise run them nine times.
        """
        context = {
            **self.context,
            "section": self,
            "request": request,
            "user": getattr(request, "user", None),
            "csrf_token": get_token(request),
        }
        return mark_safe(render_to_string(self.template, context))


SectionProvider = Callable[[HttpRequest], StartSection | None]
_providers: list[SectionProvider] = []


def register(provider: SectionProvider) -> SectionProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def sections_for(request: HttpRequest) -> list[StartSection]:
    found = [section for provider in _providers if (section := provider(request)) is not None]
    return sorted(found, key=lambda section: section.order)
