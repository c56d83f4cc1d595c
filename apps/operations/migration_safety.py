"""Which migration operations hurt a live system, for the check in tests/test_migrations.py.

Every table that exists already may be large in a town's database. On such a
table PostgreSQL holds an ACCESS EXCLUSIVE lock (no reads, no writes) while it

- rewrites the table: a column changes its type;
- scans the whole table: a column becomes NOT NULL, a unique or check
  constraint is added;
- builds an index without CONCURRENTLY;
- or refuses outright: a NOT NULL column without a default.

Tables created in the same migration are empty, so anything goes there.
"""

from collections.abc import Iterator

from django.db import connection
from django.db.migrations import Migration
from django.db.migrations import operations as ops
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState
from django.db.models import NOT_PROVIDED, Field, ForeignKey, UniqueConstraint


def dangers(migration: Migration, loader: MigrationLoader) -> Iterator[str]:
    created = {op.name_lower for op in migration.operations if isinstance(op, ops.CreateModel)}
    before = None
    for op in migration.operations:
        model = getattr(op, "model_name_lower", None) or getattr(op, "name_lower", None)
        if model in created:
            continue
        if isinstance(op, ops.AddField):
            field = op.field
            # Django fills a blank text column with '' like it would with a default.
            no_default = (
                field.default is NOT_PROVIDED
                and field.db_default is NOT_PROVIDED
                and not (field.blank and field.empty_strings_allowed)
            )
            if not field.null and no_default and not field.many_to_many:
                yield f"AddField {model}.{op.name}: NOT NULL ohne Default"
        elif isinstance(op, ops.AddIndex) and not _concurrently(op):
            yield f"AddIndex {model}.{op.index.name}: ohne CONCURRENTLY (AddIndexConcurrently)"
        elif isinstance(op, ops.AddConstraint):
            if isinstance(op.constraint, UniqueConstraint) or hasattr(op.constraint, "condition"):
                yield f"AddConstraint {model}.{op.constraint.name}: prüft die ganze Tabelle"
        elif isinstance(op, ops.AlterUniqueTogether) and op.unique_together:
            yield f"AlterUniqueTogether {model}: Index ohne CONCURRENTLY"
        elif isinstance(op, ops.AlterField):
            if before is None:
                node = (migration.app_label, migration.name)
                # A migration not yet on disk (the tests' examples) sees today's state.
                known = node in loader.graph.nodes
                before = loader.project_state(node if known else None, at_end=not known)
            old = before.models[migration.app_label, op.model_name_lower].fields.get(op.name)
            if old is None:
                continue
            if _column_type(old, before) != _column_type(op.field, before, migration, loader):
                yield f"AlterField {model}.{op.name}: Typwechsel schreibt die Tabelle neu"
            if old.null and not op.field.null:
                yield f"AlterField {model}.{op.name}: NOT NULL prüft die ganze Tabelle"


def _column_type(
    field: Field,
    state: ProjectState,
    migration: Migration | None = None,
    loader: MigrationLoader | None = None,
) -> str | None:
    """The column type; a foreign key's is its target's, looked up in a rendered state.

    An operation's field is unbound: a foreign key cannot resolve its target by
    itself, and the target may be created in the same migration (hence the
    state at the migration's end when there is one).
    """
    if not field.is_relation or field.many_to_many:
        return field.db_type(connection)
    if migration is not None and loader is not None:
        node = (migration.app_label, migration.name)
        if node in loader.graph.nodes:
            state = loader.project_state(node, at_end=True)
    assert isinstance(field, ForeignKey)  # the only relation with a column of its own
    remote = field.remote_field.model
    target = state.apps.get_model(remote) if isinstance(remote, str) else remote
    to_field = field.to_fields[0] if field.to_fields else None
    target_field = target._meta.get_field(to_field) if to_field else target._meta.pk
    assert isinstance(target_field, Field)
    return str(target_field.rel_db_type(connection))


def _concurrently(op: ops.AddIndex) -> bool:
    from django.contrib.postgres.operations import AddIndexConcurrently

    return isinstance(op, AddIndexConcurrently)


def project_migrations(loader: MigrationLoader) -> Iterator[Migration]:
    """Our apps' migrations, without the initial ones (they create the app's tables)."""
    for _key, migration in sorted(loader.disk_migrations.items()):
        if type(migration).__module__.startswith("apps.") and not migration.initial:
            yield migration
