"""The in-app inbox: each person sees and marks only their own notifications."""

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from apps.core.access import authenticated
from apps.core.http import AuthenticatedHttpRequest
from apps.core.paging import CURSOR_PARAM, keyset_page
from apps.notifications.models import Notification

PAGE_SIZE = 100


@require_GET
@authenticated
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    notifications = Notification.objects.filter(recipient=user).annotate(
        is_unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    )
    page = keyset_page(
        notifications,
        ("-is_unread", "-created_at", "-pk"),
        request.GET.get(CURSOR_PARAM),
        PAGE_SIZE,
    )
    return render(
        request,
        "notifications/inbox.html",
        {
            "notifications": page.rows,
            "page": page,
            "next_cursor": page.next_cursor,
        },
    )


def _safe_target(request: AuthenticatedHttpRequest, url: str) -> bool:
    # Only paths inside this site: a stored URL must never send anyone elsewhere.
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})
    )


@require_POST
@authenticated
def mark_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseRedirect:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    if _safe_target(request, notification.url):
        return redirect(notification.url)
    return redirect("notifications:inbox")
