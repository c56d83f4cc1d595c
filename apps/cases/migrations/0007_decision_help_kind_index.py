"""Index on the decisions table, built without locking it (CONCURRENTLY)."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('cases', '0006_help_kinds'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='decision',
            index=models.Index(fields=['help_kind', 'outcome', 'decided_at'], name='cases_decis_help_ki_8a45cc_idx'),
        ),
    ]
