"""The "Änderungen" section of the case page.

The section is a placeholder that htmx fills from the history page's preview,
so opening a case costs no history queries; without JavaScript it is a link.
"""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from apps.accounts.models import CASEWORK_ROLES, User
from apps.core.startpage import StartSection


def case_changes_section(request: HttpRequest, case: Any) -> StartSection | None:
    user = request.user
    if not isinstance(user, User) or not user.role_names & CASEWORK_ROLES:
        return None
    history_url = reverse("history:case", args=[case.pk])
    return StartSection(
        title="Änderungen",
        template="history/case_section.html",
        context={"history_url": history_url, "preview_url": f"{history_url}?vorschau=1"},
    )
