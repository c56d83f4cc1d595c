"""One address per request; what it shows depends on who looks.

The Familienamt gets the triage page with its actions; school leaders and
team members get the status page (status, whose move, next step, questions).
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from apps.accounts.models import CASEWORK_ROLES, Role
from apps.core.access import roles_required
from apps.core.http import AuthenticatedHttpRequest
from apps.referrals.models import Referral
from apps.referrals.views import school, triage


@require_GET
@roles_required(*CASEWORK_ROLES, Role.SCHULLEITUNG)
def referral_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    referral = get_object_or_404(Referral.objects.visible_to(request.user), pk=pk)
    if request.user.is_familienamt:
        return triage.triage_detail(request, referral)
    return school.status_detail(request, referral)
