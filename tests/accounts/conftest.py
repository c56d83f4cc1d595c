import pytest

from apps.demo import seed


@pytest.fixture
def demo_data(demo_for_module, db) -> seed.SeedContext:
    """The demo seeder's offices, schools, accounts and cases (password DEMO_PASSWORD)."""
    return demo_for_module
