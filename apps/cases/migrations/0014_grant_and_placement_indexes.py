"""The steering figures' grants and their cases' placement from indexes alone (built CONCURRENTLY)."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('cases', '0013_case_closed_steering_index'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='case',
            index=models.Index(fields=['id'], include=('sozialraum', 'team', 'school'), name='case_id_placement'),
        ),
        AddIndexConcurrently(
            model_name='decision',
            index=models.Index(condition=models.Q(('outcome', 'granted')), fields=['valid_until'], include=('valid_from', 'case', 'provider', 'pool', 'help_kind', 'hours_per_week'), name='decision_granted_until'),
        ),
    ]
