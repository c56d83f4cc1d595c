"""Indexes for the steering figures' period bounds, built without locking the table (CONCURRENTLY)."""

from django.conf import settings
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('cases', '0011_case_help_kind_open_is_empty'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='case',
            index=models.Index(fields=['opened_at'], include=('id', 'referral'), name='case_opened_referral'),
        ),
        AddIndexConcurrently(
            model_name='decision',
            index=models.Index(fields=['decided_at'], include=('case',), name='decision_decided_at'),
        ),
    ]
