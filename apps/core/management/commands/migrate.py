"""``migrate`` as the owner of the tables, then the application role's grants."""

from typing import Any

from django.core.management.commands.migrate import Command as DjangoMigrate

from apps.core.dbroles import as_owner, provision_app_role


class Command(DjangoMigrate):
    help = (
        "Migriert als Eigentümer-Rolle (DATABASE_URL) und gibt danach der Anwendungsrolle "
        "ihre Rechte (Zugriffsprotokoll nur anhängen und lesen)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with as_owner(options["database"]) as connection:
            super().handle(*args, **options)
            if not options.get("plan") and not options.get("check_unapplied"):
                provision_app_role(connection, self.stdout)
