from typing import Any

from django.core.management.base import BaseCommand

from apps.audit.anchor import write_checkpoint


class Command(BaseCommand):
    help = (
        "Signiert den aktuellen Stand des Zugriffsprotokolls (Prüfpunkt) und schreibt ihn ins "
        "Systemprotokoll, in die Datenbank und optional per E-Mail an den Datenschutz."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoint = write_checkpoint()
        self.stdout.write(checkpoint.line())
