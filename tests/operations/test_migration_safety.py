"""The check that flags migrations which would lock a live database, and migrate's lock timeout."""

import pytest
from django.contrib.postgres.operations import AddIndexConcurrently
from django.core.management import call_command
from django.db import connection, migrations, models
from django.db.migrations.loader import MigrationLoader

from apps.operations.migration_safety import dangers


@pytest.fixture(scope="module")
def loader() -> MigrationLoader:
    return MigrationLoader(None, ignore_no_migrations=True)


def _check(loader, *operations) -> list[str]:
    migration = migrations.Migration("0999_example", "cases")
    migration.operations = list(operations)
    return list(dangers(migration, loader))


def test_a_plain_index_on_an_existing_table_is_flagged_a_concurrent_one_is_not(loader):
    index = models.Index(fields=["opened_on"], name="case_opened_idx")

    assert _check(loader, migrations.AddIndex("case", index)) == [
        "AddIndex case.case_opened_idx: ohne CONCURRENTLY (AddIndexConcurrently)"
    ]
    assert _check(loader, AddIndexConcurrently("case", index)) == []


def test_a_not_null_column_needs_a_default(loader):
    bare = migrations.AddField("case", "hours", models.IntegerField())
    with_default = migrations.AddField("case", "hours", models.IntegerField(default=0))
    nullable = migrations.AddField("case", "hours", models.IntegerField(null=True))

    assert _check(loader, bare) == ["AddField case.hours: NOT NULL ohne Default"]
    assert _check(loader, with_default) == _check(loader, nullable) == []


def test_a_type_change_and_a_new_not_null_are_flagged(loader):
    retyped = migrations.AlterField("case", "assessment", models.CharField(max_length=50))

    assert _check(loader, retyped) == [
        "AlterField case.assessment: Typwechsel schreibt die Tabelle neu"
    ]


def test_anything_goes_on_a_table_created_in_the_same_migration(loader):
    create = migrations.CreateModel("Fresh", [("id", models.BigAutoField(primary_key=True))])
    index = migrations.AddIndex("fresh", models.Index(fields=["id"], name="fresh_idx"))
    field = migrations.AddField("fresh", "n", models.IntegerField())

    assert _check(loader, create, index, field) == []


@pytest.mark.django_db
def test_migrate_waits_for_a_lock_only_as_long_as_configured(settings):
    settings.MIGRATE_LOCK_TIMEOUT = "3s"

    call_command("migrate", verbosity=0)

    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone() == ("3s",)
