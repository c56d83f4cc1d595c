import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db.models import Q

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def real_queue(settings, monkeypatch):
    """Tasks go into the PostgreSQL queue instead of running at once."""
    settings.TASKS = DATABASE_QUEUE
    settings.TASK_RETRY_BASE_SECONDS = 60
    # The worker drops connections that are not in autocommit mode; inside the
    # test's transaction that would be the test's own connection.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


@pytest.fixture
def run_worker():
    def _run() -> None:
        call_command("worker", "--batch", "--interval", "0", verbosity=0)

    return _run


@pytest.fixture
def operator_client(client, admin_user):
    """The administration account with the rights the demo gives it over background work."""
    admin_user.user_permissions.set(
        Permission.objects.filter(
            Q(content_type__app_label="operations")
            | Q(content_type__app_label="django_tasks_database")
        )
    )
    client.force_login(admin_user)
    return client
