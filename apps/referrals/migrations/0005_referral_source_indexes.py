"""Indexes on the requests table, built without locking it (CONCURRENTLY)."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('referrals', '0004_request_sources_office_intake_counselling'),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='referral',
            index=models.Index(fields=['source', 'received_at'], name='referrals_r_source_2d0f7c_idx'),
        ),
        AddIndexConcurrently(
            model_name='referral',
            index=models.Index(fields=['recorded_by_team', 'status'], name='referrals_r_recorde_d60c12_idx'),
        ),
    ]
