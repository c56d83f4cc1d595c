"""The case page's section "Ressourcen im Sozialraum" (fallübergreifende Arbeit).

The section's template gets ``panel``; the link view renders the same
template's partial with the same panel, so the page and its swaps agree.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest

from apps.accounts.models import User
from apps.cases.models import Case
from apps.core.startpage import StartSection
from apps.neighbourhood.forms import LinkResourceForm
from apps.neighbourhood.models import ResourceCaseLink, may_use_neighbourhood


@dataclass
class CaseResourcesPanel:
    case: Case
    links: list[ResourceCaseLink]
    form: forms.BaseForm


def case_resources_panel(
    user: User, case: Case, *, form: forms.BaseForm | None = None
) -> CaseResourcesPanel:
    links = list(
        ResourceCaseLink.objects.visible_to(user)
        .filter(case=case)
        .select_related("resource__sozialraum", "created_by")
        .order_by("-created_at", "-pk")
    )
    return CaseResourcesPanel(
        case=case, links=links, form=form or LinkResourceForm(user=user, case=case)
    )


def case_resources_section(request: HttpRequest, case: Any) -> StartSection | None:
    user = request.user
    if not isinstance(user, User) or not may_use_neighbourhood(user):
        return None
    return StartSection(
        "Ressourcen im Sozialraum",
        "neighbourhood/section_case_resources.html",
        {"panel": case_resources_panel(user, case)},
    )
