"""Documents on a case: list, upload, download (each download is in the access log).

The access-log middleware records every request to these URLs against the
case (``apps.audit.registry``: namespace ``documents``, object ``document_pk``).
"""

from django.contrib import messages
from django.http import (
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.models import CASEWORK_ROLES
from apps.cases.models import Case
from apps.core import submissions, uploads
from apps.core.access import roles_required
from apps.core.http import AuthenticatedHttpRequest
from apps.core.uploads import scanning_enabled
from apps.documents.forms import DocumentForm
from apps.documents.models import CaseDocument
from apps.documents.services import document_add


def _case(request: AuthenticatedHttpRequest, case_pk: int) -> Case:
    return get_object_or_404(Case.objects.visible_to(request.user), pk=case_pk)


def _page(
    request: AuthenticatedHttpRequest, case: Case, form: DocumentForm, status: int = 200
) -> HttpResponse:
    documents = (
        CaseDocument.objects.filter(case=case)
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-pk")
    )
    return render(
        request,
        "documents/document_list.html",
        {"case": case, "documents": documents, "form": form, "scanning": scanning_enabled()},
        status=status,
    )


@require_GET
@roles_required(*CASEWORK_ROLES)
def document_list(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    return _page(request, _case(request, case_pk), DocumentForm())


@submissions.creates
@require_POST
@roles_required(*CASEWORK_ROLES)
def document_upload(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    case = _case(request, case_pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, case, form, status=400)
    user, data = request.user, form.cleaned_data
    submissions.once(
        user,
        form.submission_key,
        lambda: document_add(
            case=case, actor=user, kind=data["kind"], title=data["title"], upload=data["file"]
        ),
    )
    messages.success(request, "Das Dokument ist gespeichert.")
    return HttpResponseRedirect(reverse("documents:list", args=[case.pk]))


@require_GET
@roles_required(*CASEWORK_ROLES)
def document_download(
    request: AuthenticatedHttpRequest, case_pk: int, document_pk: int
) -> HttpResponseBase:
    case = _case(request, case_pk)
    document = get_object_or_404(CaseDocument.objects.filter(case=case), pk=document_pk)
    stem = document.download_name(case).rsplit(".", 1)[0]
    return uploads.download(document.file, stem, document.content_type)
