"""``flush`` as the owner: the application role may not empty the access log."""

from typing import Any

from django.core.management.commands.flush import Command as DjangoFlush

from apps.core.dbroles import as_owner


class Command(DjangoFlush):
    def handle(self, **options: Any) -> None:
        with as_owner(options["database"]):
            super().handle(**options)
