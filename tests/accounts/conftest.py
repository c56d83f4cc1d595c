import pytest

from apps.demo import seed


@pytest.fixture
def demo_data(db) -> seed.SeedContext:
    """The demo seeder's offices, schools and accounts (password DEMO_PASSWORD)."""
    return seed.run(seed=1, scale=1)
