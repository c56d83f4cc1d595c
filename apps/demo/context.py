"""What every seeding step shares: the seed, the scale and what earlier steps left behind."""

import random
from collections.abc import Callable
from dataclasses import dataclass, field

TEAM_ACCOUNTS = {
    # team username → (Sozialraum slug, employer of the named account)
    "team-west": ("west", "AWO"),
    "team-nord": ("nord-schoendorf", "Caritas"),
    "team-mitte": ("mitte-sued", "Diakonie"),
}


class SeedError(Exception):
    """The demo data cannot be written without harming real data."""


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    description: str


@dataclass
class SeedContext:
    seed: int
    scale: int
    password_hash: str
    accounts: list[DemoAccount] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    # Cases the requests step opened in this run; later steps write their
    # case files. A re-run that finds the requests already there adds nothing.
    new_case_ids: list[int] = field(default_factory=list)

    def rng(self, step: str) -> random.Random:
        return random.Random(f"{self.seed}:{step}")


Step = Callable[[SeedContext], None]
