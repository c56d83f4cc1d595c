from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from apps.operations.schedule import jobs


class Command(BaseCommand):
    help = "Schreibt für jeden geplanten Auftrag einen systemd-Timer (Standard: deploy/systemd)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, default=settings.BASE_DIR / "deploy" / "systemd")

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["dir"]
        wanted = {f"sozialraum-job-{job.name}.timer": job for job in jobs().values()}
        for stale in directory.glob("sozialraum-job-*.timer"):
            if stale.name not in wanted:
                stale.unlink()
        for name, job in wanted.items():
            (directory / name).write_text(job.systemd_timer())
            self.stdout.write(str(directory / name))
