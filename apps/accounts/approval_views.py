"""The Leitung's page of pending account changes (four eyes, see apps.accounts.approvals)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from apps.accounts import approvals
from apps.accounts.models import ApprovalRequest, Role, User
from apps.core import forms as core_forms
from apps.core import startpage
from apps.core.access import roles_required
from apps.core.http import AuthenticatedHttpRequest

TEMPLATE = "accounts/approvals.html"


class DecisionForm(core_forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Freigeben"), ("decline", "Ablehnen")],
        error_messages={
            "required": "Bitte wählen Sie „Freigeben“ oder „Ablehnen“.",
            "invalid_choice": "Bitte wählen Sie „Freigeben“ oder „Ablehnen“.",
        },
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label="Begründung",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Nötig bei einer Ablehnung; die Administration sieht sie.",
        error_messages={"max_length": "Die Begründung darf höchstens 2.000 Zeichen lang sein."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "decline" and not data.get("reason", "").strip():
            self.add_error("reason", "Bitte begründen Sie die Ablehnung.")
        return data


def _form(approval: ApprovalRequest, data: Any = None) -> DecisionForm:
    return DecisionForm(data, auto_id=f"id_%s_{approval.pk}")


def _page(
    request: AuthenticatedHttpRequest, failed: DecisionForm | None = None, failed_pk: int = 0
) -> dict:
    user = request.user
    rows = [
        {
            "approval": approval,
            "may_decide": approvals.may_decide(approval, user),
            "form": failed if failed is not None and approval.pk == failed_pk else _form(approval),
        }
        for approval in approvals.pending()
    ]
    return {"rows": rows}


@require_GET
@roles_required(Role.FAMILIENAMT_LEITUNG)
def approval_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, TEMPLATE, _page(request))


@require_POST
@roles_required(Role.FAMILIENAMT_LEITUNG)
def approval_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    approval = get_object_or_404(ApprovalRequest, pk=pk)
    form = _form(approval, request.POST)
    if not form.is_valid():
        messages.error(request, "Es wurde nichts entschieden. Bitte prüfen Sie die Angaben.")
        return render(request, TEMPLATE, _page(request, form, approval.pk), status=400)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        approvals.decide(
            approval.pk,
            by=request.user,
            approve=approve,
            reason=form.cleaned_data["reason"].strip(),
        )
    except PermissionDenied:
        messages.error(
            request,
            "Über einen eigenen Antrag oder das eigene Konto entscheidet eine andere Person "
            "der Leitung.",
        )
        return render(request, TEMPLATE, _page(request), status=403)
    except approvals.AlreadyDecided:
        messages.info(request, "Über diesen Antrag wurde bereits entschieden.")
        return HttpResponseRedirect(reverse("accounts:approvals"))
    messages.success(
        request,
        f"{approval.what} für {approval.subject}: " + ("freigegeben." if approve else "abgelehnt."),
    )
    return HttpResponseRedirect(reverse("accounts:approvals"))


def start_section(request: HttpRequest) -> startpage.StartSection | None:
    """On the Leitung's start page: how many account changes wait for a decision."""
    user = request.user
    if not isinstance(user, User) or not user.has_role(Role.FAMILIENAMT_LEITUNG):
        return None
    count = ApprovalRequest.objects.filter(status=ApprovalRequest.Status.PENDING).count()
    if not count:
        return None
    return startpage.StartSection(
        title="Freigaben",
        template="accounts/approvals_start.html",
        context={"count": count},
    )
