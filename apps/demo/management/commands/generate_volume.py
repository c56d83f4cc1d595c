from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.core.dbroles import as_owner
from apps.demo import seed, volume


class Command(BaseCommand):
    help = (
        "Legt auf den Demodaten ein Datenvolumen wie nach Jahren Betrieb an (für Messungen): "
        "--size small (1.000 Fälle) oder full (100.000 Fälle, 1 Mio. Notizen und "
        "Protokolleinträge). Nur in der Entwicklung (DJANGO_DEBUG=true)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=sorted(volume.SIZES), default="small")
        parser.add_argument("--seed", type=int, default=1, help="Zufallsstartwert (Standard 1)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "generate_volume läuft nur in der Entwicklung (DJANGO_DEBUG=true): Es schreibt "
                "erfundene Daten in großer Menge und gehört nie in eine echte Datenbank."
            )
        try:
            if not seed.demo_accounts_exist():
                self.stdout.write("Keine Demodaten gefunden; lege sie zuerst an …")
                seed.run(seed=options["seed"])
            self.stdout.write(f"Datenvolumen „{options['size']}“ (Startwert {options['seed']}):")
            # As the owner of the tables: the application role may not switch the row
            # triggers off, and a million rows through them take hours instead of minutes.
            with as_owner():
                report = volume.Generator(
                    options["size"], options["seed"], log=self.stdout.write
                ).run()
        except seed.SeedError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Fertig in {report.seconds:.0f} s."))
        for name, count in report.counts.items():
            self.stdout.write(f"  {name:<20} {count:>10,}".replace(",", "."))
        self.stdout.write(
            f"Fall mit {volume.TIMELINE_CASE_ENTRIES} Verlaufseinträgen: "
            f"Nr. {report.timeline_case_id}"
        )
