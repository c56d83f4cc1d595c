from django.apps import AppConfig
from django.http import HttpRequest

from apps.core.startpage import SECTIONS, StartSection

START_LIST_SIZE = 3


def upcoming_conferences(request: HttpRequest) -> StartSection | None:
    """Team members: their team's next conferences (no case data, only date, place, count)."""
    from django.db.models import Count
    from django.utils import timezone

    from apps.accounts.models import Role
    from apps.conferences.models import Conference

    user = request.user
    if Role.TEAM not in getattr(user, "role_names", frozenset()):
        return None
    conferences = (
        Conference.objects.filter(team__in=user.teams, starts_at__gte=timezone.now())  # type: ignore[union-attr]
        .select_related("team")
        .annotate(item_count=Count("agenda_items"))
        .order_by("starts_at", "pk")
    )
    return StartSection(
        title="Nächste Fallberatungen",
        template="conferences/start_upcoming.html",
        context={"conferences": list(conferences[:START_LIST_SIZE])},
    )


class ConferencesConfig(AppConfig):
    name = "apps.conferences"
    label = "conferences"
    verbose_name = "Fallberatung"

    def ready(self) -> None:
        SECTIONS.provide("conferences", upcoming_conferences)
