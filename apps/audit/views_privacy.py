"""Retention overview with legal holds, and the right-of-access export (Art. 15 GDPR).

Names and dates of birth travel only in POST bodies, never in URLs. The
overview shows records by Aktenzeichen only: the data protection officer sees
it too and must not see case content.
"""

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from apps.accounts.models import FAMILIENAMT_ROLES, Role, User
from apps.audit import export, retention
from apps.audit.log import log_access
from apps.audit.models import Action, LegalHold, RetentionRule
from apps.cases.duplicates import name_key
from apps.cases.models import Case, Person
from apps.core import forms as core_forms
from apps.core import submissions
from apps.core.access import roles_required
from apps.core.forms import DateInput
from apps.core.htmx import partial_template
from apps.core.http import AuthenticatedHttpRequest
from apps.core.submissions import SubmissionKeyMixin
from apps.referrals.models import Referral

RETENTION_TEMPLATE = "audit/retention.html"
REQUEST_TEMPLATE = "audit/export_request.html"
EXPORT_TEMPLATE = "audit/export.html"
PREVIEW_DAYS = 365
SHOWN_ITEMS = 200
SEARCH_LIMIT = 20
HOLD_SET = "Die Löschsperre ist gesetzt: der Datensatz wird nicht gelöscht."


# --- retention ------------------------------------------------------------------------------


class HoldForm(SubmissionKeyMixin, core_forms.Form):
    TARGETS = [
        ("case", "Fall (Aktenzeichen)"),
        ("referral", "Anfrage (Aktenzeichen)"),
        ("person", "Person (Nummer)"),
    ]

    target = forms.ChoiceField(label="Was soll gesperrt werden?", choices=TARGETS)
    reference = forms.CharField(
        label="Aktenzeichen oder Personen-Nummer",
        max_length=40,
        error_messages={"required": "Bitte geben Sie das Aktenzeichen oder die Nummer an."},
    )
    reason = forms.CharField(
        label="Grund der Sperre",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="Zum Beispiel ein laufendes Gerichtsverfahren. Bitte keine Inhalte aus der Akte.",
        error_messages={"required": "Bitte geben Sie den Grund der Sperre an."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        target, reference = data.get("target"), (data.get("reference") or "").strip()
        if not target or not reference:
            return data
        found: Case | Referral | Person | None = None
        if target == "case":
            found = Case.objects.filter(reference=reference).first()
        elif target == "referral":
            found = Referral.objects.filter(reference=reference).first()
        elif reference.isdigit():
            found = Person.objects.filter(pk=int(reference)).first()
        if found is None:
            self.add_error(
                "reference", "Dazu ist kein Datensatz vorhanden. Bitte prüfen Sie die Angabe."
            )
            return data
        if LegalHold.objects.active().filter(**{target: found}).exists():
            self.add_error("reference", "Für diesen Datensatz besteht bereits eine Löschsperre.")
        data["record"] = found
        return data


def _retention_context(
    request: AuthenticatedHttpRequest, hold_form: HoldForm | None = None
) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    items = retention.due_until(today + datetime.timedelta(days=PREVIEW_DAYS))
    due_now = [item for item in items if item.due_date <= today]
    upcoming = [item for item in items if item.due_date > today]
    may_hold = user.has_role(Role.FAMILIENAMT_LEITUNG)
    return {
        "rules": list(RetentionRule.objects.all()),
        "due_now": due_now[:SHOWN_ITEMS],
        "due_now_more": max(0, len(due_now) - SHOWN_ITEMS),
        "upcoming": upcoming[:SHOWN_ITEMS],
        "upcoming_more": max(0, len(upcoming) - SHOWN_ITEMS),
        "preview_until": today + datetime.timedelta(days=PREVIEW_DAYS),
        "holds": list(LegalHold.objects.active().select_related("case", "referral", "created_by")),
        "may_hold": may_hold,
        "hold_form": hold_form or (HoldForm() if may_hold else None),
    }


@require_GET
@roles_required(Role.FAMILIENAMT_LEITUNG, Role.DATENSCHUTZ)
def retention_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, RETENTION_TEMPLATE, _retention_context(request))


@submissions.creates
@require_POST
@roles_required(Role.FAMILIENAMT_LEITUNG)
def hold_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = HoldForm(request.POST)
    if submissions.sent_before(form, request.user) is not None:
        messages.success(request, HOLD_SET)
        return redirect("audit:retention")
    if not form.is_valid():
        messages.error(
            request, "Die Löschsperre wurde nicht gesetzt. Bitte prüfen Sie die Angaben."
        )
        return render(request, RETENTION_TEMPLATE, _retention_context(request, form), status=400)
    record = form.cleaned_data["record"]
    target = form.cleaned_data["target"]

    def create() -> LegalHold:
        hold = LegalHold.objects.create(
            **{target: record},
            reason=form.cleaned_data["reason"],
            created_by=request.user,
        )
        log_access(
            request,
            Action.WRITE,
            record,
            case_id=record.pk if target == "case" else None,
            purpose="Löschsperre gesetzt",
        )
        return hold

    with transaction.atomic():  # the hold and its log entry, or neither
        submissions.once(request.user, form.submission_key, create)
    messages.success(request, HOLD_SET)
    return redirect("audit:retention")


@require_POST
@roles_required(Role.FAMILIENAMT_LEITUNG)
def hold_release(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    hold = get_object_or_404(LegalHold.objects.active(), pk=pk)
    with transaction.atomic():
        hold.released_at = timezone.now()
        hold.released_by = request.user
        hold.save(update_fields=["released_at", "released_by"])
        record = hold.case or hold.referral or hold.person
        log_access(
            request,
            Action.WRITE,
            record,
            case_id=hold.case_id,
            purpose="Löschsperre aufgehoben",
        )
    messages.success(request, "Die Löschsperre ist aufgehoben.")
    return redirect("audit:retention")


# --- right of access --------------------------------------------------------------------


class PersonSearchForm(core_forms.Form):
    last_name = forms.CharField(
        label="Nachname",
        max_length=100,
        error_messages={"required": "Bitte geben Sie den Nachnamen an."},
    )
    first_name = forms.CharField(label="Vorname", max_length=100, required=False)
    date_of_birth = forms.DateField(
        label="Geburtsdatum",
        widget=DateInput(),
        error_messages={
            "required": "Bitte geben Sie das Geburtsdatum an.",
            "invalid": "Bitte geben Sie ein gültiges Datum an.",
        },
    )


class ExportForm(core_forms.Form):
    FORMATS = [("html", "Lesbar (HTML, zum Drucken)"), ("json", "Maschinenlesbar (JSON)")]

    person = forms.IntegerField(widget=forms.HiddenInput)
    purpose = forms.CharField(
        label="Anlass der Auskunft",
        max_length=180,
        help_text="Zum Beispiel: Auskunftsantrag der Sorgeberechtigten vom 03.11.2026. Ohne Namen.",
        error_messages={"required": "Bitte geben Sie den Anlass der Auskunft an."},
    )
    format = forms.ChoiceField(
        label="Format", choices=FORMATS, initial="html", widget=forms.RadioSelect
    )


def _export_form(person: Person, data: Any = None) -> ExportForm:
    """The export form of one found person (its own ids: several stand on one page)."""
    return ExportForm(data, initial={"person": person.pk}, auto_id=f"auskunft-{person.pk}-%s")


def _search(user: User, form: PersonSearchForm) -> list[Person]:
    data = form.cleaned_data
    last_key = name_key("", data["last_name"]).strip()
    persons = Person.objects.visible_to(user).filter(
        date_of_birth=data["date_of_birth"], name_key__contains=last_key
    )
    if data.get("first_name"):
        persons = persons.filter(name_key__startswith=name_key(data["first_name"], "").strip())
    return list(persons.order_by("last_name", "first_name", "pk")[:SEARCH_LIMIT])


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@roles_required(*FAMILIENAMT_ROLES)
def access_request(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Find the person by name and date of birth (in the POST body), then export."""
    user = request.user
    context: dict[str, Any] = {"searched": False, "persons": []}
    if request.method == "POST":
        form = PersonSearchForm(request.POST)
        if form.is_valid():
            persons = _search(user, form)
            for person in persons:
                log_access(
                    request, Action.READ, person, purpose="Suche für Auskunft (Art. 15 DSGVO)"
                )
            context |= {
                "searched": True,
                "persons": persons,
                "results": [(person, _export_form(person)) for person in persons],
            }
    else:
        form = PersonSearchForm()
    context["form"] = form
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(
        request, partial_template(request, REQUEST_TEMPLATE, "results"), context, status=status
    )


@require_POST
@roles_required(*FAMILIENAMT_ROLES)
def access_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    person_id = request.POST.get("person", "")
    if not str(person_id).isdigit():
        messages.error(request, "Es wurde nichts exportiert: bitte wählen Sie eine Person aus.")
        return render(request, REQUEST_TEMPLATE, {"form": PersonSearchForm()}, status=400)
    person = get_object_or_404(Person.objects.visible_to(user), pk=int(person_id))
    form = _export_form(person, request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "Es wurde nichts exportiert: "
            + " ".join(str(error) for errors in form.errors.values() for error in errors),
        )
        context = {
            "form": PersonSearchForm(),
            "searched": True,
            "persons": [person],
            "results": [(person, form)],
        }
        return render(request, REQUEST_TEMPLATE, context, status=400)
    purpose = form.cleaned_data["purpose"]
    fmt = form.cleaned_data["format"]
    result = export.build(person, user=user, purpose=purpose)
    log_access(request, Action.EXPORT, person, purpose=f"{purpose} [{fmt.upper()}]")
    if fmt == "json":
        response = HttpResponse(
            result.as_json_text(), content_type="application/json; charset=utf-8"
        )
        stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
        response["Content-Disposition"] = (
            f'attachment; filename="auskunft-person-{person.pk}-{stamp}.json"'
        )
        return response
    return render(request, EXPORT_TEMPLATE, {"export": result})
