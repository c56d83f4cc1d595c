"""Intake from anyone: the Familienamt and the teams record requests and short counselling.

A family at the office or on the phone, a Kita, a doctor, the police, another
office, an anonymous caller, the young person: the source is recorded as data
(the statistics ask "Anregung durch"), routing and duplicate check are those
of a school's request. School leaders use their own form, not this one.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from apps.accounts.models import CASEWORK_ROLES, Role
from apps.core import drafts, submissions
from apps.core.access import roles_required
from apps.core.http import AuthenticatedHttpRequest
from apps.referrals.forms import NEW_INTAKE, CounsellingContactForm, OfficeIntakeForm
from apps.referrals.models import CounsellingContact
from apps.referrals.services import may_open_at_office, referral_record

RECENT_CONTACTS = 10


@submissions.creates
@require_http_methods(["GET", "POST"])
@roles_required(*CASEWORK_ROLES)
def office_intake(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    # A long call is typed as it goes: the draft comes back (a fresh submission key each time).
    initial, draft = drafts.initial_with_draft(
        user,
        OfficeIntakeForm,
        NEW_INTAKE,
        {"channel": "office"},
    )
    form = OfficeIntakeForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        # A team member records for their own team (the first, if they belong to several).
        team = None if user.is_familienamt else (user.teams[0] if user.teams else None)
        referral, created = submissions.once(
            user,
            form.submission_key,
            lambda: referral_record(
                author=user,
                source=data["source"],
                channel=data["channel"],
                kind=data["kind"],
                fields={name: data[name] for name in OfficeIntakeForm.REFERRAL_FIELDS},
                recorded_by_team=team,
            ),
        )
        drafts.discard(user, OfficeIntakeForm, NEW_INTAKE)
        if not created:
            messages.info(
                request,
                f"Diese Anfrage ist bereits aufgenommen ({referral.reference}); "
                "sie wurde nicht ein zweites Mal angelegt.",
            )
        elif team is not None and may_open_at_office(referral, user):
            messages.success(
                request,
                f"Anfrage {referral.reference} aufgenommen. Sie gehört zu Ihrem Team: Sie können "
                "den Fall jetzt selbst eröffnen (Erstberatung). Das Familienamt sieht die Anfrage.",
            )
        else:
            messages.success(
                request,
                f"Anfrage {referral.reference} aufgenommen ({referral.team or 'Team offen'}). "
                "Das Familienamt ist benachrichtigt.",
            )
        return redirect(referral)
    return render(
        request,
        "referrals/office_intake.html",
        {"form": form, "draft": draft if request.method != "POST" else None},
    )


@submissions.creates
@require_http_methods(["GET", "POST"])
@roles_required(Role.TEAM)
def counselling_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A short counselling contact without a case; the page lists the team's latest."""
    user = request.user
    form = CounsellingContactForm(
        request.POST if request.method == "POST" else None, teams=user.teams
    )
    if form.is_valid():

        def create() -> CounsellingContact:
            contact = form.save(commit=False)
            contact.recorded_by = user
            contact.save()
            return contact

        contact, _ = submissions.once(user, form.submission_key, create)
        messages.success(
            request, f"Beratungskontakt vom {contact.date:%d.%m.%Y} gezählt (ohne Namen)."
        )
        return redirect("referrals:counselling")
    recent = (
        CounsellingContact.objects.visible_to(user)
        .select_related("team", "source")
        .order_by("-date", "-pk")[:RECENT_CONTACTS]
    )
    return render(request, "referrals/counselling_form.html", {"form": form, "recent": recent})
