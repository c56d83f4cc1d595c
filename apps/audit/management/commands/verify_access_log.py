from typing import Any

from django.core.management.base import BaseCommand, CommandError

from apps.audit.chain import verify_chain
from apps.audit.models import AccessLogEntry


class Command(BaseCommand):
    help = "Prüft die Hash-Kette des Zugriffsprotokolls und meldet den ersten gebrochenen Eintrag."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"Zugriffsprotokoll gebrochen bei Eintrag {broken.seq} (id {broken.entry_id}): "
                f"{broken.reason}. {checked} Einträge davor sind in Ordnung."
            )
        last = AccessLogEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        # Keep this line elsewhere: only a recorded newest hash shows later that the tail was cut.
        anchor = f" Letzter Eintrag {last[0]}, Hash {last[1]}." if last else ""
        self.stdout.write(f"Zugriffsprotokoll in Ordnung: {checked} Einträge geprüft.{anchor}")
