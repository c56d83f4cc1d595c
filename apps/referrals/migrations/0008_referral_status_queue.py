"""The queue filtered by one status, in the queue's order (urgent first, then the longest
waiting), built without locking the table (CONCURRENTLY)."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("referrals", "0007_submission_key_not_a_guard"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="referral",
            index=models.Index(
                fields=["status", "-urgent", "received_at", "id"], name="referral_status_queue"
            ),
        ),
    ]
