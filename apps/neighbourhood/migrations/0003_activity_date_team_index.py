# Indexes for the steering figures, built without locking the tables.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("neighbourhood", "0002_activity_hours_spent_alter_activity_participants_and_more"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='activity',
            index=models.Index(fields=['date', 'team'], name='activity_date_team_idx'),
        ),
    ]
