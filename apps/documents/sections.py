"""What documents add to the case page and its timeline."""

from typing import Any

from django.http import HttpRequest

from apps.accounts.models import CASEWORK_ROLES, User
from apps.core import timeline
from apps.core.startpage import StartSection
from apps.documents.models import CaseDocument

ON_CASE_PAGE = 10


def documents_section(request: HttpRequest, case: Any) -> StartSection | None:
    user = request.user
    if not isinstance(user, User) or not user.role_names & CASEWORK_ROLES:
        return None
    documents = list(
        CaseDocument.objects.filter(case=case).order_by("-uploaded_at", "-pk")[: ON_CASE_PAGE + 1]
    )
    return StartSection(
        "Dokumente",
        "documents/section.html",
        {
            "case": case,
            "documents": documents[:ON_CASE_PAGE],
            "more": len(documents) > ON_CASE_PAGE,
        },
    )


def _document(document: CaseDocument, user: object) -> timeline.EntryText:
    return timeline.EntryText(
        title=f"Dokument: {document.get_kind_display()}",
        text=document.title,
        url=document.get_absolute_url(),
        download=True,
        actor=str(document.uploaded_by),
    )


def provide_timeline() -> None:
    """Each document uploaded to the case (called from ``ready``)."""
    timeline.provide_rows(
        timeline.DOCUMENTS,
        "Dokumente",
        lambda request, case: CaseDocument.objects.filter(case=case).select_related("uploaded_by"),
        "uploaded_at",
        _document,
    )
