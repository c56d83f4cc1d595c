"""What documents add to the case page and its timeline."""

import datetime
from collections.abc import Collection
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


def document_entries(
    request: HttpRequest,
    case: Any,
    kinds: Collection[str],
    limit: int,
    before: datetime.datetime | None,
) -> list[timeline.TimelineEntry]:
    if timeline.DOCUMENTS not in kinds:
        return []
    documents = CaseDocument.objects.filter(case=case).select_related("uploaded_by")
    return [
        timeline.TimelineEntry(
            at=document.uploaded_at,
            kind=timeline.DOCUMENTS,
            kind_label=timeline.label(timeline.DOCUMENTS),
            title=f"Dokument: {document.get_kind_display()}",
            text=document.title,
            url=document.get_absolute_url(),
            download=True,
            actor=str(document.uploaded_by),
        )
        for document in timeline.newest(documents, "uploaded_at", before, limit)
    ]
