"""``migrate`` with a lock timeout, so a migration never queues behind long work.

A schema change waits for an ACCESS EXCLUSIVE lock; while it waits, every
request touching that table waits behind it. With ``lock_timeout`` the
migration gives up instead (and can simply be run again), and the site
keeps answering.
"""

from typing import Any

from django.conf import settings
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections


class Command(DjangoMigrate):
    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        with connection.cursor() as cursor:
            # SET for the session: it holds across the migrations' own transactions.
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, false)", [settings.MIGRATE_LOCK_TIMEOUT]
            )
        super().handle(*args, **options)
