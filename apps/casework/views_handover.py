"""Handing a case to another Sozialraum team: propose, look, accept or decline.

The receiving team does not see the case before it accepts; the handover
page shows it only what the decision needs (reference, the child's name and
date of birth, school, reason), never notes. Until the answer, the sending
team stays responsible.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.models import CASEWORK_ROLES
from apps.cases.models import Case
from apps.casework import services
from apps.casework.models import CaseHandover, CaseNote
from apps.casework.views import _case
from apps.core import forms as core_forms
from apps.core import submissions
from apps.core.access import roles_required
from apps.core.http import AuthenticatedHttpRequest
from apps.core.paging import CURSOR_PARAM, keyset_page
from apps.core.refusals import StaleRecord
from apps.core.submissions import SubmissionKeyMixin
from apps.organisation.models import Team
from apps.referrals.workflow import TransitionNotAllowed

HANDOVERS_LISTED = 25
INCOMING_CURSOR = "offen_nach"
CONFIDED_NOTES_LISTED = 50


class TeamField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Team) -> str:
        return f"{obj.name} (Sozialraum {obj.sozialraum})"


class HandoverProposeForm(SubmissionKeyMixin, core_forms.Form):
    to_team = TeamField(
        label="An welches Team?",
        queryset=Team.objects.none(),
        empty_label="Bitte wählen",
        widget=forms.Select,
        error_messages={
            "required": "Bitte wählen Sie das Team, das den Fall übernehmen soll.",
            "invalid_choice": "Bitte wählen Sie ein anderes als das jetzt zuständige Team.",
        },
    )
    reason = forms.CharField(
        label="Grund der Übergabe",
        help_text="Zum Beispiel: Umzug der Familie in einen anderen Sozialraum. "
        "Das aufnehmende Team liest den Grund, bevor es den Fall sieht.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Bitte begründen Sie die Übergabe."},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_team"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Team.objects.exclude(pk=case.team_id).select_related("sozialraum")

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Bitte begründen Sie die Übergabe.")
        return reason


class HandoverDeclineForm(core_forms.Form):
    decline_reason = forms.CharField(
        label="Grund der Ablehnung",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Bitte begründen Sie die Ablehnung."},
    )

    def clean_decline_reason(self) -> str:
        reason: str = self.cleaned_data["decline_reason"].strip()
        if not reason:
            raise forms.ValidationError("Bitte begründen Sie die Ablehnung.")
        return reason


def _handover(request: AuthenticatedHttpRequest, case_pk: int, handover_pk: int) -> CaseHandover:
    """A handover from or to the user's team (Familienamt: any); 404 otherwise."""
    return get_object_or_404(
        CaseHandover.objects.visible_to(request.user)
        .filter(case_id=case_pk)
        .select_related(
            "case__person", "case__school", "from_team", "to_team", "proposed_by", "decided_by"
        ),
        pk=handover_pk,
    )


def _detail_response(
    request: AuthenticatedHttpRequest, handover: CaseHandover, *, decline_form: Any = None
) -> HttpResponse:
    user = request.user
    may_decide = services.may_decide_handover(user, handover)
    # The child's details serve the decision or the case's own team, nobody
    # after the case left them (or was never taken).
    sees_case = Case.objects.visible_to(user).filter(pk=handover.case_id).exists()
    return render(
        request,
        "casework/handover.html",
        {
            "handover": handover,
            "case": handover.case,
            "show_person": sees_case or may_decide,
            "sees_case": sees_case,
            "may_decide": may_decide,
            "decline_form": decline_form or HandoverDeclineForm(),
        },
    )


@submissions.creates
@require_http_methods(["GET", "POST"])
@roles_required(*CASEWORK_ROLES)
def handover_propose(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    user = request.user
    case = _case(request, case_pk)
    if not services.may_propose_handover(user, case):
        raise PermissionDenied
    pending = CaseHandover.objects.filter(case=case).pending().select_related("to_team").first()
    form = HandoverProposeForm(request.POST or None, case=case)
    context = {"case": case, "form": form, "pending": pending}
    earlier = submissions.sent_before(form, user)
    if earlier is None and request.method == "POST" and form.is_valid():
        try:
            earlier, _ = submissions.once(
                user,
                form.submission_key,
                lambda: services.case_handover_propose(
                    case_id=case.pk,
                    actor=user,
                    to_team=form.cleaned_data["to_team"],
                    reason=form.cleaned_data["reason"],
                ),
            )
        except TransitionNotAllowed as refused:
            messages.error(request, str(refused))
            return render(request, "casework/handover_propose.html", context)
    if earlier is not None:
        messages.success(
            request,
            f"Die Übergabe an {earlier.to_team.name} ist vorgeschlagen. "
            f"Bis das Team sie annimmt, bleibt {case.team.name} zuständig.",
        )
        return HttpResponseRedirect(f"{case.get_absolute_url()}#uebergabe")
    return render(request, "casework/handover_propose.html", context)


@require_GET
@roles_required(*CASEWORK_ROLES)
def handover_detail(
    request: AuthenticatedHttpRequest, case_pk: int, handover_pk: int
) -> HttpResponse:
    return _detail_response(request, _handover(request, case_pk, handover_pk))


@require_POST
@roles_required(*CASEWORK_ROLES)
def handover_accept(
    request: AuthenticatedHttpRequest, case_pk: int, handover_pk: int
) -> HttpResponse:
    handover = _handover(request, case_pk, handover_pk)
    if not services.may_decide_handover(request.user, handover):
        raise PermissionDenied  # visible, but only the receiving team answers
    try:
        services.case_handover_accept(handover_id=handover.pk, actor=request.user)
    except StaleRecord as stale:
        messages.error(request, stale.message)
        return HttpResponseRedirect(handover.get_absolute_url())
    messages.success(request, f"Ihr Team hat den Fall {handover.case.reference} übernommen.")
    return HttpResponseRedirect(handover.case.get_absolute_url())


@require_POST
@roles_required(*CASEWORK_ROLES)
def handover_decline(
    request: AuthenticatedHttpRequest, case_pk: int, handover_pk: int
) -> HttpResponse:
    handover = _handover(request, case_pk, handover_pk)
    if not services.may_decide_handover(request.user, handover):
        raise PermissionDenied
    form = HandoverDeclineForm(request.POST)
    if not form.is_valid():
        return _detail_response(request, handover, decline_form=form)
    try:
        services.case_handover_decline(
            handover_id=handover.pk,
            actor=request.user,
            reason=form.cleaned_data["decline_reason"],
        )
    except StaleRecord as stale:
        messages.error(request, stale.message)
    else:
        messages.success(
            request,
            f"Die Übergabe ist abgelehnt; der Fall bleibt bei {handover.from_team.name}.",
        )
    return HttpResponseRedirect(handover.get_absolute_url())


@require_GET
@roles_required(*CASEWORK_ROLES)
def handover_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    handovers = CaseHandover.objects.visible_to(user).select_related(
        "case", "from_team", "to_team", "proposed_by"
    )
    teams = user.teams
    incoming = handovers.pending()
    if not user.is_familienamt:
        incoming = incoming.filter(to_team__in=teams)
    outgoing = handovers.none() if user.is_familienamt else handovers.filter(from_team__in=teams)
    # Two lists on one page, each with its own cursor: the open ones oldest
    # first (the longest waiting on top), the team's own newest first.
    return render(
        request,
        "casework/handover_list.html",
        {
            "incoming": keyset_page(
                incoming, ("proposed_at", "pk"), request.GET.get(INCOMING_CURSOR), HANDOVERS_LISTED
            ),
            "incoming_param": INCOMING_CURSOR,
            "outgoing": keyset_page(
                outgoing, ("-proposed_at", "-pk"), request.GET.get(CURSOR_PARAM), HANDOVERS_LISTED
            ),
        },
    )


@require_GET
@roles_required(*CASEWORK_ROLES)
def handover_confided_notes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The author's own confided notes on cases that went to another team (§ 65 SGB VIII)."""
    user = request.user
    notes = (
        CaseNote.objects.visible_to(user)
        .filter(author=user, confided=True)
        .exclude(case__in=Case.objects.visible_to(user).values("pk"))
        .with_history_for(user)
        .select_related("case")
    )
    page = keyset_page(
        notes, ("-created_at", "-pk"), request.GET.get(CURSOR_PARAM), CONFIDED_NOTES_LISTED
    )
    return render(request, "casework/handover_confided_notes.html", {"notes": page, "page": page})
