"""What the school loop adds to the request page, the start page and the case timeline."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.casework.models import HelpPlanVersion
from apps.consents import rules
from apps.core import timeline
from apps.core.startpage import StartSection
from apps.referrals import progress
from apps.schoolsupport import schoolyear
from apps.schoolsupport.forms import FeedbackForm
from apps.schoolsupport.models import SchoolFeedback
from apps.schoolsupport.selectors import running_grants

FEEDBACK_SHOWN = 5


def request_section(request: HttpRequest, referral: Any) -> StartSection | None:
    """For the school leader of the request: what was decided, the next review, feedback.

    Only with a valid consent for exchange with the school; without it the
    status line already says the request was taken up, and nothing more.
    """
    user = request.user
    if not isinstance(user, User) or Role.SCHULLEITUNG not in user.role_names:
        return None
    if referral.school is None or referral.school not in user.schools:
        return None
    case = progress.case_of(referral)
    if case is None or not rules.school_may_know(case, referral.school):
        return None
    grant = running_grants().filter(case=case).order_by("-decided_at").first()
    review = (
        HelpPlanVersion.objects.filter(plan__case=case)
        .order_by("-number")
        .only("next_review")
        .first()
    )
    own_feedback = list(
        SchoolFeedback.objects.filter(case=case, school=referral.school).order_by("-created_at")[
            :FEEDBACK_SHOWN
        ]
    )
    return StartSection(
        "Hilfe und Rückmeldung der Schule",
        "schoolsupport/request_section.html",
        {
            "referral": referral,
            "case": case,
            "grant": grant,
            "next_review": review.next_review if review else None,
            "may_send": case.status in ("running", "review"),
            "form": FeedbackForm(auto_id="rueckmeldung-%s"),
            "own_feedback": own_feedback,
        },
    )


def start_section(request: HttpRequest) -> StartSection | None:
    """School leaders, in the last weeks of the school year: pupils whose help ends."""
    user = request.user
    if not isinstance(user, User) or Role.SCHULLEITUNG not in user.role_names:
        return None
    today = timezone.localdate()
    end = schoolyear.year_of(today).end
    if (end - today).days > schoolyear.CONTINUATION_WINDOW_DAYS:
        return None
    from apps.schoolsupport.views import _ending_grants

    grants = _ending_grants(user, today)
    if not grants:
        return None
    return StartSection(
        "Schulbegleitung endet zum Schuljahresende",
        "schoolsupport/start_section.html",
        {"count": len(grants), "year_end": end},
    )


def _feedback(row: SchoolFeedback, user: object) -> timeline.EntryText:
    return timeline.EntryText(
        title=f"Rückmeldung der Schule: {row.get_overall_display()}",
        text=" · ".join(
            part
            for part in (
                f"Teilnahme am Unterricht: {row.get_participation_display()}",
                "Gesprächswunsch" if row.talk_wanted else "",
                row.note,
            )
            if part
        ),
        actor=row.school.name,
    )


def provide_timeline() -> None:
    """The school's feedback as note-like entries on the case timeline (from ``ready``)."""
    timeline.provide_rows(
        timeline.NOTES,
        "Notizen",
        lambda request, case: SchoolFeedback.objects.filter(case=case).select_related("school"),
        "created_at",
        _feedback,
    )
