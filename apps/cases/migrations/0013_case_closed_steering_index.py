"""The steering figures' closed and open-a-year-ago cases from the index alone (built CONCURRENTLY)."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('cases', '0012_steering_indexes'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='case',
            index=models.Index(fields=['closed_at'], include=('id', 'status', 'closing_reason', 'opened_at', 'team'), name='case_closed_steering'),
        ),
    ]
