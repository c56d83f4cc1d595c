from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.core.dbroles import as_owner, provision_app_role
from apps.operations import backup


class Command(BaseCommand):
    help = (
        "Stellt eine Sicherung (manage.py backup) in die leere Datenbank wieder her, samt "
        "hochgeladener Dateien. Eine nicht leere Datenbank nur mit --force (wird ersetzt)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="Pfad der Sicherung (.tar)")
        parser.add_argument(
            "--force", action="store_true", help="Eine nicht leere Datenbank ersetzen."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Only the owner may create the tables; the dump carries no grants, so the
        # application role gets its rights (and no more) afterwards, as after migrate.
        with as_owner() as connection:
            try:
                manifest = backup.restore(options["archive"], force=options["force"])
            except backup.BackupError as error:
                raise CommandError(str(error)) from None
            provision_app_role(connection, self.stdout)
        self.stdout.write(
            f"Wiederhergestellt: Sicherung vom {manifest['created_at']} "
            f"(PostgreSQL {manifest['server_major']})."
        )
