"""Extension points: one typed mechanism for everything apps add to pages below them.

A :class:`Slot` is declared once, in the module of the page that shows it,
with a docstring-like ``contract`` (what providers get and must return) and
its named ``places`` in page order. An app above registers a provider for a
place in its ``AppConfig.ready``::

    startpage.SECTIONS.provide("tasks", start_tasks_section)

Order on the page is the order of the places, not a number each app picks;
an unknown place is an error at start-up, so a typo cannot hide a section.
Several providers may share a place (they keep the order they registered in).
"""

from collections.abc import Callable
from typing import Any


class Slot[F: Callable[..., Any]]:
    def __init__(self, name: str, places: tuple[str, ...], contract: str) -> None:
        self.name = name
        self.places = places
        self.contract = contract
        self._providers: dict[str, list[F]] = {place: [] for place in places}

    def provide(self, place: str, provider: F) -> F:
        """Register ``provider`` at ``place`` (once; registering again changes nothing)."""
        if place not in self._providers:
            raise LookupError(f"Slot {self.name!r} has no place {place!r}: {self.places}")
        if provider not in self._providers[place]:
            self._providers[place].append(provider)
        return provider

    def providers(self) -> list[tuple[str, F]]:
        """``(place, provider)`` in page order."""
        return [(place, p) for place in self.places for p in self._providers[place]]

    def __repr__(self) -> str:
        return f"<Slot {self.name}: {', '.join(self.places)}>"
