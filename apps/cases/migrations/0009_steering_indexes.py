# Indexes for the steering figures, built without locking the tables.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0008_closing_reason_gender_child_protection"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='decision',
            index=models.Index(fields=['outcome', 'valid_from'], name='cases_decis_outcome_3c6e53_idx'),
        ),
        AddIndexConcurrently(
            model_name='decision',
            index=models.Index(fields=['case', 'decided_at'], name='cases_decis_case_id_5b87dd_idx'),
        ),
        AddIndexConcurrently(
            model_name='case',
            index=models.Index(fields=['closed_at', 'closing_reason'], name='cases_case_closed__5bda12_idx'),
        ),
    ]
