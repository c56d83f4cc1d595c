"""The triage queue's open requests and its bounded counts, each with an index.

Built concurrently: on a database with years of requests the table stays writable.
"""

from django.conf import settings
from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('organisation', '0002_weimar_master_data'),
        ('referrals', '0002_seed_emergency_contacts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexConcurrently(
            model_name='referral',
            index=models.Index(condition=models.Q(('status__in', ['in_triage', 'question', 'received'])), fields=['received_at', 'id'], name='referral_open_received'),
        ),
        AddIndexConcurrently(
            model_name='referral',
            index=models.Index(fields=['received_at', 'status', 'kind'], name='referral_received'),
        ),
    ]
