"""The in-app inbox: each person sees and marks only their own notifications."""

import datetime
from typing import cast

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.models import User
from apps.core.access import authenticated
from apps.notifications.models import Notification

PAGE_SIZE = 100
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _cursor(notification: Notification) -> str:
    micros = (notification.created_at - EPOCH) // datetime.timedelta(microseconds=1)
    return f"{0 if notification.read_at else 1}-{micros}-{notification.pk}"


def _after(notifications: QuerySet[Notification], raw: str | None) -> QuerySet[Notification] | None:
    """Entries after the cursor in (unread first, newest first) order; None if no cursor."""
    try:
        unread, micros, pk = (int(part) for part in (raw or "").split("-"))
        created_at = EPOCH + datetime.timedelta(microseconds=micros)
    except (ValueError, OverflowError):
        return None
    same_group = Q(is_unread=bool(unread))
    later_in_group = Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk)
    # Unread entries come first, so after an unread cursor all read ones follow.
    rest = Q(is_unread=False) if unread else Q(pk__in=[])
    return notifications.filter((same_group & later_in_group) | rest)


@require_GET
@authenticated
def inbox(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    notifications = (
        Notification.objects.filter(recipient=user)
        .annotate(is_unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField()))
        .order_by("-is_unread", "-created_at", "-pk")
    )
    continued = _after(notifications, request.GET.get("nach"))
    page = list((continued if continued is not None else notifications)[: PAGE_SIZE + 1])
    next_cursor = _cursor(page[PAGE_SIZE - 1]) if len(page) > PAGE_SIZE else None
    return render(
        request,
        "notifications/inbox.html",
        {
            "notifications": page[:PAGE_SIZE],
            "next_cursor": next_cursor,
            "is_continued": continued is not None,
        },
    )


def _safe_target(request: HttpRequest, url: str) -> bool:
    # Only paths inside this site: a stored URL must never send anyone elsewhere.
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})
    )


@require_POST
@authenticated
def mark_read(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    if _safe_target(request, notification.url):
        return redirect(notification.url)
    return redirect("notifications:inbox")
