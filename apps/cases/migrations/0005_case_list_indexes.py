"""Indexes matching the case list's sort and filters, and a partial one for open cases.

Built concurrently: on a database with years of cases the table stays writable.
"""

from django.conf import settings
from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ('cases', '0004_case_family_goals_assessment'),
        ('organisation', '0002_weimar_master_data'),
        ('referrals', '0002_seed_emergency_contacts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        RemoveIndexConcurrently(
            model_name='case',
            name='cases_case_team_id_846f88_idx',
        ),
        AddIndexConcurrently(
            model_name='case',
            index=models.Index(fields=['opened_at', 'id'], name='case_opened'),
        ),
        AddIndexConcurrently(
            model_name='case',
            index=models.Index(fields=['team', 'opened_at', 'id'], name='case_team_opened'),
        ),
        AddIndexConcurrently(
            model_name='case',
            index=models.Index(fields=['status', 'opened_at', 'id'], name='case_status_opened'),
        ),
        AddIndexConcurrently(
            model_name='case',
            index=models.Index(fields=['team', 'status', 'opened_at', 'id'], name='case_team_status_opened'),
        ),
        AddIndexConcurrently(
            model_name='case',
            index=models.Index(condition=models.Q(('status', 'closed'), _negated=True), fields=['team', 'whose_move', 'whose_move_since', 'id'], include=('status',), name='case_open_team_move'),
        ),
    ]
