"""Passwords are set only by their owner, through a one-time link.

Account administrators never set or see another person's password or second
factor (issue 9: otherwise they could log in as a caseworker, and the access
log would name the caseworker). A new account starts without a usable
password; the person gets a link by e-mail. The link carries Django's
password-reset token: it expires after ``PASSWORD_RESET_TIMEOUT`` and is
spent once the password changes (the token covers the password hash).
Setting a password ends all of the person's sessions and tells them.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from apps.accounts.models import User
from apps.accounts.security import end_sessions


def password_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("accounts:password_set", args=[uid, token])


def send_password_link(user: User, *, new_account: bool) -> None:
    """Mail the person a link to choose their password (no personal data but their name)."""
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    intro = (
        "für Sie wurde ein Konto in Sozialraum Weimar angelegt."
        if new_account
        else "die Administration hat für Ihr Konto einen Link zum Setzen des Passworts angefordert."
    )
    send_mail(
        "Sozialraum Weimar: Passwort festlegen",
        f"Guten Tag,\n\n{intro} Bitte legen Sie Ihr Passwort über diesen Link fest "
        f"(gültig {hours} Stunden, nur einmal verwendbar):\n\n{password_link(user)}\n\n"
        f"Ihr Benutzername: {user.username}\n\n"
        "Haben Sie das nicht erwartet, melden Sie sich bitte bei der Administration.",
        None,
        [user.email],
    )


def user_for_link(uidb64: str, token: str) -> User | None:
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


def password_was_set(user: User) -> None:
    """After a new password: every session ends, and the person hears of it."""
    end_sessions(user)
    if user.email:
        send_mail(
            "Sozialraum Weimar: Ihr Passwort wurde geändert",
            "Guten Tag,\n\ndas Passwort Ihres Kontos wurde soeben neu gesetzt; alle "
            "Anmeldungen wurden beendet. Waren Sie das nicht, melden Sie sich bitte sofort "
            "bei der Administration und beim Datenschutz.",
            None,
            [user.email],
        )
