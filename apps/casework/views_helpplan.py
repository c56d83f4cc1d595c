"""The help plan (Hilfeplan, § 36 SGB VIII): read, print, update as a new version, compare.

Whoever sees the case sees its help plan; the case's team and the
Familienamt write it (school leaders never reach these views). A save names
the version it was based on; when someone saved a newer one meanwhile, the
save is refused with a comparison and the typed text comes back in the form.
"""

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from apps.accounts.models import CASEWORK_ROLES
from apps.cases.forms import case_scope
from apps.cases.models import Case
from apps.casework import services
from apps.casework.forms import INVALID_DATE
from apps.casework.models import (
    REVIEW_AFTER_MONTHS,
    Attainment,
    HelpPlanGoal,
    HelpPlanVersion,
    add_months,
)
from apps.casework.views import _case
from apps.core import drafts
from apps.core import forms as core_forms
from apps.core.access import roles_required
from apps.core.forms import DateInput, FilterForm, required_when
from apps.core.http import AuthenticatedHttpRequest
from apps.core.refusals import compare, refused_response

STEP_ROWS_EXTRA = 2
STEP_ROWS_MAX = 30


# Forms -------------------------------------------------------------------------


@drafts.draftable("casework.helpplan", scope=case_scope(*CASEWORK_ROLES), also_prefixes=("steps-",))
class HelpPlanForm(core_forms.Form):
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    meeting_date = forms.DateField(
        label="Datum des Hilfeplangesprächs",
        widget=DateInput(),
        error_messages={
            "required": "Bitte geben Sie an, wann das Hilfeplangespräch war.",
            "invalid": INVALID_DATE,
        },
    )
    participants = forms.CharField(
        label="Teilnehmende am Gespräch",
        help_text="Eine Person je Zeile, mit ihrer Rolle (z. B. Mutter, Klassenlehrerin).",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Bitte nennen Sie, wer am Gespräch teilgenommen hat."},
    )
    need = forms.CharField(
        label="Bedarf",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Bitte beschreiben Sie den Bedarf."},
    )
    help_kind = forms.CharField(
        label="Art der Hilfe",
        max_length=200,
        widget=forms.TextInput,
        error_messages={"required": "Bitte geben Sie die Art der Hilfe an."},
    )
    family_goals = forms.CharField(
        label="Ziele der Familie in ihren eigenen Worten",
        help_text="Was die Familie erreichen will, so wie sie es sagt – ohne Bewertung.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    assessment = forms.CharField(
        label="Fachliche Einschätzung",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    goals = forms.CharField(
        label="Vereinbarte Ziele",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Bitte halten Sie die vereinbarten Ziele fest."},
    )
    next_review = forms.DateField(
        label="Nächste Überprüfung",
        help_text="Leer lassen: sechs Monate nach dem Gespräch.",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": INVALID_DATE},
    )

    def __init__(self, *args: Any, goals: list[HelpPlanGoal] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # At a review every goal of the current version gets its attainment.
        self.goal_fields = []
        for goal in goals or []:
            name = f"ziel_{goal.pk}"
            self.fields[name] = forms.ChoiceField(
                label=f"Ziel {goal.position}: {goal.text}",
                choices=[("", "bitte wählen"), *Attainment.choices],
                widget=forms.Select,
                error_messages={
                    "required": f"Bitte geben Sie an, wie weit Ziel {goal.position} erreicht ist."
                },
            )
            self.goal_fields.append((goal.pk, name))

    def service_data(self) -> dict[str, Any]:
        """The cleaned values the service takes, with the attainments by goal id."""
        goal_names = {name for _, name in self.goal_fields}
        data = {k: v for k, v in self.cleaned_data.items() if k not in goal_names}
        data["attainments"] = {pk: self.cleaned_data[name] for pk, name in self.goal_fields}
        return data

    @property
    def goal_bound_fields(self) -> list[forms.BoundField]:
        return [self[name] for _, name in self.goal_fields]

    def clean_meeting_date(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["meeting_date"]
        if day > timezone.localdate():
            raise forms.ValidationError("Das Gespräch kann nicht in der Zukunft liegen.")
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        meeting = data.get("meeting_date")
        if meeting is None:
            return data
        review = data.get("next_review") or add_months(meeting, REVIEW_AFTER_MONTHS)
        if review <= meeting:
            self.add_error("next_review", "Die Überprüfung muss nach dem Hilfeplangespräch liegen.")
        data["next_review"] = review
        return data


class StepForm(core_forms.Form):
    step = required_when(
        forms.CharField(label="Schritt", max_length=300, required=False),
        "wenn Sie Verantwortliche oder Frist eintragen",
    )
    responsible = required_when(
        forms.CharField(label="Wer ist verantwortlich?", max_length=120, required=False),
        "wenn Sie einen Schritt eintragen",
    )
    due = forms.DateField(
        label="Bis wann?",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": INVALID_DATE},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("step") and (data.get("responsible") or data.get("due")):
            self.add_error("step", "Bitte beschreiben Sie den Schritt.")
        if data.get("step") and not data.get("responsible"):
            self.add_error(
                "responsible", "Bitte nennen Sie, wer für den Schritt verantwortlich ist."
            )
        return data


StepFormSet = forms.formset_factory(
    StepForm, extra=0, max_num=STEP_ROWS_MAX, validate_max=True, absolute_max=STEP_ROWS_MAX
)


def _step_formset(
    data: QueryDict | None = None, initial: list[dict[str, Any]] | None = None
) -> forms.BaseFormSet:
    rows = [*(initial or []), *({} for _ in range(STEP_ROWS_EXTRA))]
    if data is not None:
        return StepFormSet(data, prefix="steps")
    # Unbound rows are shown with these values; blank ones are ignored on save.
    return StepFormSet(initial=rows, prefix="steps")


def _steps_from(formset: forms.BaseFormSet) -> list[dict[str, str]]:
    steps = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", {})
        if data.get("step"):
            due = data.get("due")
            steps.append(
                {
                    "step": data["step"],
                    "responsible": data["responsible"],
                    "due": due.isoformat() if due else "",
                }
            )
    return steps


def _initial_from(version: HelpPlanVersion | None, case: Case) -> dict[str, Any]:
    today = timezone.localdate()
    if version is None:
        return {"based_on": 0, "meeting_date": today, "help_kind": case.help_kind_label}
    initial: dict[str, Any] = {name: getattr(version, name) for name in version.TEXT_FIELDS}
    initial.update(based_on=version.number, meeting_date=today)
    return initial


def _steps_initial(version: HelpPlanVersion | None) -> list[dict[str, Any]]:
    if version is None:
        return []
    return [
        {
            "step": step.get("step", ""),
            "responsible": step.get("responsible", ""),
            "due": datetime.date.fromisoformat(step["due"]) if step.get("due") else None,
        }
        for step in version.steps
    ]


def _rows_typed(data: QueryDict | dict[str, Any]) -> list[dict[str, Any]]:
    total = data.get("steps-TOTAL_FORMS", "")
    count = min(int(total), STEP_ROWS_MAX - STEP_ROWS_EXTRA) if total.isdigit() else 0
    rows = [
        {name: data.get(f"steps-{index}-{name}", "") for name in ("step", "responsible", "due")}
        for index in range(count)
    ]
    return [row for row in rows if any(row.values())]


# Comparing two versions -------------------------------------------------------


LABELS = {
    "meeting_date": "Datum des Gesprächs",
    "participants": "Teilnehmende",
    "need": "Bedarf",
    "help_kind": "Art der Hilfe",
    "family_goals": "Ziele der Familie (eigene Worte)",
    "assessment": "Fachliche Einschätzung",
    "goals": "Vereinbarte Ziele",
    "steps": "Schritte",
    "next_review": "Nächste Überprüfung",
}


def _date_text(day: datetime.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def texts_of(version: HelpPlanVersion) -> dict[str, str]:
    texts = {name: getattr(version, name) for name in version.TEXT_FIELDS}
    texts.update(
        meeting_date=_date_text(version.meeting_date),
        next_review=_date_text(version.next_review),
        steps="\n".join(version.steps_as_lines),
    )
    return texts


def _typed_texts(form: HelpPlanForm, steps: list[dict[str, str]]) -> dict[str, str]:
    """What the person typed, in the shape of a saved version, to compare with the current one."""
    unsaved = HelpPlanVersion(
        steps=steps,
        meeting_date=form.cleaned_data["meeting_date"],
        next_review=form.cleaned_data["next_review"],
        **{name: form.cleaned_data[name] for name in HelpPlanVersion.TEXT_FIELDS},
    )
    return texts_of(unsaved)


# Views --------------------------------------------------------------------------


class VersionPairForm(FilterForm):
    """Which two versions to compare (the view reads and checks the numbers itself)."""

    von = forms.TypedChoiceField(label="ältere Fassung", coerce=int)
    mit = forms.TypedChoiceField(label="neuere Fassung", coerce=int)

    def __init__(self, versions: list[HelpPlanVersion], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        choices = [(v.number, f"Fassung {v.number} ({v.meeting_date:%d.%m.%Y})") for v in versions]
        for name in ("von", "mit"):
            field = self.fields[name]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = choices


def _versions(case: Case, user: Any) -> list[HelpPlanVersion]:
    """The list of versions without their text, newest first: one query however many."""
    return list(
        HelpPlanVersion.objects.visible_to(user)
        .filter(plan__case=case)
        .select_related("created_by")
        .only(
            "plan_id",
            "number",
            "created_at",
            "meeting_date",
            "next_review",
            "created_by",
            "created_by__first_name",
            "created_by__last_name",
            "created_by__username",
        )
        .order_by("-number")
    )


def _version(case: Case, user: Any, number: int) -> HelpPlanVersion:
    return get_object_or_404(
        HelpPlanVersion.objects.visible_to(user)
        .filter(plan__case=case)
        .select_related("created_by", "plan"),
        number=number,
    )


def _latest(case: Case, user: Any) -> HelpPlanVersion | None:
    return (
        HelpPlanVersion.objects.visible_to(user)
        .filter(plan__case=case)
        .select_related("created_by", "plan")
        .order_by("-number")
        .first()
    )


@require_GET
@roles_required(*CASEWORK_ROLES)
def helpplan_detail(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    user = request.user
    case = _case(request, case_pk)
    current = _latest(case, user)
    return render(
        request,
        "casework/helpplan.html",
        {
            "case": case,
            "version": current,
            "versions": _versions(case, user) if current else [],
            "is_current": True,
        },
    )


@require_GET
@roles_required(*CASEWORK_ROLES)
def helpplan_version(request: AuthenticatedHttpRequest, case_pk: int, number: int) -> HttpResponse:
    user = request.user
    case = _case(request, case_pk)
    version = _version(case, user, number)
    versions = _versions(case, user)
    return render(
        request,
        "casework/helpplan.html",
        {
            "case": case,
            "version": version,
            "versions": versions,
            "is_current": versions[0].number == version.number,
        },
    )


@require_http_methods(["GET", "POST"])
@roles_required(*CASEWORK_ROLES)
def helpplan_edit(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    # Who sees the case writes its help plan: the case's team and the Familienamt.
    user = request.user
    case = _case(request, case_pk)
    current = _latest(case, user)
    context: dict[str, Any] = {"case": case, "current": current}
    goals = list(current.goal_items.all()) if current is not None else []
    if request.method == "GET":
        initial, draft = drafts.initial_with_draft(
            user, HelpPlanForm, case.pk, _initial_from(current, case)
        )
        context["form"] = HelpPlanForm(initial=initial, goals=goals)
        rows = _rows_typed(draft.data) if draft else _steps_initial(current)
        context["steps"] = _step_formset(initial=rows)
        context["draft"] = draft
        return render(request, "casework/helpplan_form.html", context)

    if "more_rows" in request.POST:
        # Only more rows were asked for: show what was typed, unchecked, with room for more.
        context["form"] = HelpPlanForm(initial=request.POST.dict(), goals=goals)
        context["steps"] = _step_formset(initial=_rows_typed(request.POST))
        return render(request, "casework/helpplan_form.html", context)

    # The goals to judge are those of the version the person started from.
    based_on = request.POST.get("based_on", "")
    if current is not None and based_on.isdigit() and int(based_on) != current.number:
        goals = list(
            HelpPlanGoal.objects.filter(version__plan__case=case, version__number=int(based_on))
        )
    form = HelpPlanForm(request.POST, goals=goals)
    steps = _step_formset(request.POST)
    context.update(form=form, steps=steps)
    if not (form.is_valid() and steps.is_valid()):
        return render(request, "casework/helpplan_form.html", context)
    typed_steps = _steps_from(steps)
    try:
        version = services.helpplan_add_version(
            case=case,
            actor=user,
            steps=typed_steps,
            **form.service_data(),
        )
    except services.GoalsNotAssessed as error:
        form.add_error(None, str(error))
        return render(request, "casework/helpplan_form.html", context)
    except services.StaleHelpPlan as stale:
        # Nothing of theirs is lost: the form keeps what they typed, now based
        # on the current version, and the comparison shows what differs.
        data = request.POST.copy()
        data["based_on"] = str(stale.current.number)
        context.update(
            current=stale.current,
            refusal_left=f"Gespeichert: Fassung {stale.current.number}",
            form=HelpPlanForm(data, goals=list(stale.current.goal_items.all())),
            steps=_step_formset(data),
        )
        return refused_response(
            request,
            "casework/helpplan_form.html",
            context,
            stale,
            labels=LABELS,
            saved=texts_of(stale.current),
            typed=_typed_texts(form, typed_steps),
        )
    drafts.discard(user, HelpPlanForm, case.pk)
    messages.success(request, f"Der Hilfeplan ist als Fassung {version.number} gespeichert.")
    return HttpResponseRedirect(reverse("casework:helpplan", args=[case.pk]))


def _number(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


@require_GET
@roles_required(*CASEWORK_ROLES)
def helpplan_compare(request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
    user = request.user
    case = _case(request, case_pk)
    versions = _versions(case, user)
    numbers = [v.number for v in versions]
    older = _number(request.GET.get("von"))
    newer = _number(request.GET.get("mit"))
    if older is None and newer is None and len(numbers) >= 2:
        older, newer = numbers[1], numbers[0]
    context: dict[str, Any] = {
        "case": case,
        "versions": versions,
        "older": older,
        "newer": newer,
        "form": VersionPairForm(versions, initial={"von": older, "mit": newer}),
    }
    if older is None or newer is None or older not in numbers or newer not in numbers:
        context["error"] = "Bitte wählen Sie zwei vorhandene Fassungen zum Vergleich."
    elif older == newer:
        context["error"] = "Bitte wählen Sie zwei verschiedene Fassungen."
    else:
        pair = {
            v.number: v
            for v in HelpPlanVersion.objects.visible_to(user)
            .filter(plan__case=case, number__in=[older, newer])
            .select_related("created_by")
        }
        context.update(
            old=pair[older],
            new=pair[newer],
            diff=compare(LABELS, texts_of(pair[older]), texts_of(pair[newer])),
            left_title=f"Fassung {older}",
            right_title=f"Fassung {newer}",
        )
    return render(request, "casework/helpplan_compare.html", context)
