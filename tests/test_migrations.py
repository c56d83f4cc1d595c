"""Every model change ships with its migration.

This matters doubly here: the change-history triggers (apps/history) list the
columns of the tracked tables, so a column added without ``makemigrations
history`` would break writes to that table.
"""

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_missing_a_migration():
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as exit_:
        pytest.fail(f"makemigrations --check exited with {exit_.code}: a migration is missing")
