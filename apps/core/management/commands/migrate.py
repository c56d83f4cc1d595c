"""``migrate`` as the owner of the tables, with a lock timeout, then the grants.

- The application role may not change the schema, so this command switches
  to the owner (``DATABASE_URL``) for itself and, afterwards, grants the
  application role its rights on every table (``apps.core.dbroles``).
- A schema change waits for an ACCESS EXCLUSIVE lock; while it waits, every
  request touching that table waits behind it. With ``lock_timeout`` the
  migration gives up instead (and can simply be run again), and the site
  keeps answering.

The one ``migrate`` of the project: a second override in a later app would
never run (Django takes the first app's command).
"""

from typing import Any

from django.conf import settings
from django.core.management.commands.migrate import Command as DjangoMigrate

from apps.core.dbroles import as_owner, provision_app_role


class Command(DjangoMigrate):
    help = (
        "Migriert als Eigentümer-Rolle (DATABASE_URL) mit Sperr-Zeitlimit und gibt danach der "
        "Anwendungsrolle ihre Rechte (Zugriffsprotokoll nur anhängen und lesen)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with as_owner(options["database"]) as connection:
            with connection.cursor() as cursor:
                # SET for the session: it holds across the migrations' own transactions.
                cursor.execute(
                    "SELECT set_config('lock_timeout', %s, false)",
                    [settings.MIGRATE_LOCK_TIMEOUT],
                )
            super().handle(*args, **options)
            if not options.get("plan") and not options.get("check_unapplied"):
                provision_app_role(connection, self.stdout)
