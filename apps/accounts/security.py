"""Login and session rules: second factor, time-outs, session tracking.

- Every account needs a second factor (TOTP, with recovery codes) unless
  ``SECOND_FACTOR_REQUIRED`` is off; demo accounts skip it while debugging.
- Sessions end after ``SESSION_COOKIE_AGE`` idle (Django) and after
  ``SESSION_ABSOLUTE_SECONDS`` at most (here).
- Each login is tracked so a person can see and end their sessions;
  deactivating an account ends all of them at once.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User, UserSession
from apps.core.net import client_ip

LOGIN_AT_KEY = "login_at"
LAST_SEEN_KEY = "last_seen_at"
LAST_SEEN_UPDATE_SECONDS = 60
# Pages a person may reach before the second factor is done.
SECOND_FACTOR_OPEN = (
    "accounts:login",
    "accounts:logout",
    "accounts:otp_verify",
    "accounts:otp_setup",
)


def second_factor_needed(user: User) -> bool:
    if not settings.SECOND_FACTOR_REQUIRED:
        return False
    return not (settings.DEBUG and user.is_demo)


class SessionPolicyMiddleware:
    """Absolute time-out, second-factor gate and 'last seen' of the session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if isinstance(user, User) and user.is_authenticated:
            started = request.session.get(LOGIN_AT_KEY)
            if started is None or time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(
                    request,
                    "Ihre Sitzung ist nach 12 Stunden abgelaufen. Bitte melden Sie sich neu an; "
                    "Entwürfe sind gespeichert.",
                )
                if request.headers.get("HX-Request"):
                    # An autosave must not get the login page swapped into its status
                    # line: the view now sees no user and answers as after an idle expiry.
                    return self.get_response(request)
                return HttpResponseRedirect(
                    reverse(settings.LOGIN_URL) + "?next=" + request.get_full_path()
                )
            if (
                second_factor_needed(user)
                and not user.is_verified()  # type: ignore[attr-defined]  # set by OTPMiddleware
                and _view_name(request) not in SECOND_FACTOR_OPEN
            ):
                has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
                target = "accounts:otp_verify" if has_device else "accounts:otp_setup"
                return HttpResponseRedirect(reverse(target))
            _touch(request)
        return self.get_response(request)


def _view_name(request: HttpRequest) -> str:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""


def _touch(request: HttpRequest) -> None:
    """Renew the idle time-out and 'last seen' at most once a minute.

    Changing the session makes SessionMiddleware save it with a new expiry; in
    between, a page costs no session write (the time-out is exact to a minute).
    """
    key = request.session.session_key
    now = time.time()
    if not key or now - request.session.get(LAST_SEEN_KEY, 0) < LAST_SEEN_UPDATE_SECONDS:
        return
    request.session[LAST_SEEN_KEY] = now
    UserSession.objects.filter(session_key=key).update(last_seen_at=timezone.now())


@receiver(user_logged_in)
def _track_login(sender: object, request: HttpRequest, user: User, **kwargs: object) -> None:
    request.session[LOGIN_AT_KEY] = request.session[LAST_SEEN_KEY] = time.time()
    if not request.session.session_key:
        request.session.save()
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "ip": client_ip(request),
            "user_agent": request.headers.get("User-Agent", "")[:200],
        },
    )


@receiver(user_logged_out)
def _track_logout(
    sender: object, request: HttpRequest, user: User | None, **kwargs: object
) -> None:
    if request is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


def end_sessions(user: User, *, keep: str | None = None) -> int:
    """End all sessions of ``user`` (but ``keep``); returns how many."""
    tracked = UserSession.objects.filter(user=user)
    if keep:
        tracked = tracked.exclude(session_key=keep)
    keys = list(tracked.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    tracked.delete()
    return len(keys)


@receiver(post_save, sender=User)
def _end_sessions_of_deactivated(sender: type[User], instance: User, **kwargs: object) -> None:
    if not instance.is_active:
        end_sessions(instance)
