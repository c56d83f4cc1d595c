from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def access_log_key_is_its_own(**kwargs: Any) -> list[Warning]:
    if settings.ACCESS_LOG_KEY_FROM_ENVIRONMENT:
        return []
    return [
        Warning(
            "DJANGO_ACCESS_LOG_KEY ist nicht gesetzt; die Prüfpunkte des Zugriffsprotokolls "
            "werden mit einem aus DJANGO_SECRET_KEY abgeleiteten Schlüssel signiert. "
            "Ein eigener Schlüssel (DJANGO_ACCESS_LOG_KEY oder DJANGO_ACCESS_LOG_KEY_FILE) "
            "überlebt einen Wechsel des SECRET_KEY.",
            id="audit.W001",
        )
    ]
