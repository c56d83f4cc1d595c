from django.db import transaction

from apps.accounts.models import User
from apps.cases.models import Case, CaseEvent
from apps.core.uploads import CONTENT_TYPES, scanning_enabled
from apps.documents.models import CaseDocument


@transaction.atomic
def document_add(*, case: Case, actor: User, kind: str, title: str, upload: object) -> CaseDocument:
    """Store a checked upload (see ``apps.core.uploads.checked_upload``) on the case."""
    name = getattr(upload, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower()
    document = CaseDocument.objects.create(
        case=case,
        kind=kind,
        title=title,
        file=upload,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
        size=getattr(upload, "size", 0) or 0,
        scanned=scanning_enabled(),
        uploaded_by=actor,
    )
    CaseEvent.objects.create(
        case=case,
        actor=actor,
        from_status=case.status,
        to_status=case.status,
        summary=f"Dokument hochgeladen: {document.get_kind_display()}",
    )
    return document
