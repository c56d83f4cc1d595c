from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.demo import seed


class Command(BaseCommand):
    help = (
        "Legt erfundene Demodaten für Weimar an (Büros, Schulen, Straßen, Konten). "
        "Nur in der Entwicklung (DJANGO_DEBUG=true); mehrfach ausführbar."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Zufallsstartwert (Standard 1)")
        parser.add_argument(
            "--scale", type=int, default=1, help="Vervielfacht die Datenmenge (Standard 1)"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Nichts tun, wenn die Demokonten schon angelegt sind",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo läuft nur in der Entwicklung (DJANGO_DEBUG=true): Die Demodaten "
                "haben ein öffentlich bekanntes Passwort und gehören nie in eine echte Datenbank."
            )
        if options["scale"] < 1:
            raise CommandError("--scale muss mindestens 1 sein.")
        if options["if_empty"] and seed.demo_accounts_exist():
            self.stdout.write("Demodaten sind schon vorhanden; nichts zu tun.")
            return
        try:
            ctx = seed.run(seed=options["seed"], scale=options["scale"])
        except seed.SeedError as error:
            raise CommandError(str(error)) from error

        self.stdout.write(self.style.SUCCESS("Demodaten angelegt: " + ", ".join(ctx.summary)))
        self.stdout.write(f"\nDemokonten (Passwort für alle: {settings.DEMO_PASSWORD}):")
        width = max(len(account.username) for account in ctx.accounts)
        for account in ctx.accounts:
            self.stdout.write(
                f"  {account.username:<{width}}  {account.name}, {account.description}"
            )
