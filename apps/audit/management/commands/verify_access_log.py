from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.audit import anchor
from apps.audit.chain import verify_chain
from apps.audit.models import AccessLogEntry


class Command(BaseCommand):
    help = (
        "Prüft die Hash-Kette des Zugriffsprotokolls und den letzten signierten Prüfpunkt: "
        "meldet bearbeitete, fehlende, abgeschnittene oder neu verkettete Einträge."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="ZEILE",
            help="Eine Prüfpunkt-Zeile aus dem Systemprotokoll oder der E-Mail zusätzlich prüfen.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"Zugriffsprotokoll gebrochen bei Eintrag {broken.seq} (id {broken.entry_id}): "
                f"{broken.reason}. {checked} Einträge davor sind in Ordnung."
            )
        try:
            given = [anchor.Checkpoint.parse(line) for line in options["checkpoint"]]
        except ValueError as error:
            raise CommandError(str(error)) from None
        latest = anchor.latest_stored()
        checkpoints = given + ([latest] if latest is not None else [])
        if found := anchor.problems(checkpoints):
            raise CommandError("Zugriffsprotokoll passt nicht zum Prüfpunkt: " + " ".join(found))
        last = AccessLogEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        summary = f"Zugriffsprotokoll in Ordnung: {checked} Einträge geprüft."
        if last:
            summary += f" Letzter Eintrag {last[0]}, Hash {last[1]}."
        if checkpoints:
            newest = max(checkpoints, key=lambda c: c.seq)
            summary += f" Bestätigt durch den Prüfpunkt bis Eintrag {newest.seq}."
        else:
            summary += " Noch kein Prüfpunkt (manage.py checkpoint_access_log)."
        self.stdout.write(summary)
