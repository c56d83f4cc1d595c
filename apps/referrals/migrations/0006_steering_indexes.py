"""Indexes for the steering figures' period bounds, built without locking the table (CONCURRENTLY)."""

from django.conf import settings
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('organisation', '0003_school_years'),
        ('referrals', '0005_referral_source_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='referral',
            index=models.Index(fields=['received_at'], include=('id', 'status', 'kind', 'source', 'team', 'sozialraum', 'school'), name='referral_received_steering'),
        ),
        AddIndexConcurrently(
            model_name='referralevent',
            index=models.Index(fields=['at'], include=('referral', 'from_status', 'to_status'), name='referral_event_at'),
        ),
    ]
