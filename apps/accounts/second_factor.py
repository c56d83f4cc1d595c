"""TOTP second factor with recovery codes (django-otp)."""

import base64
import secrets
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User

RECOVERY_CODE_COUNT = 10
ISSUER = "Sozialraum Weimar"


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up (created once)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator-App", confirmed=False)


def secret_for_display(device: TOTPDevice) -> str:
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """An inline SVG (no script, no external request) of the provisioning URI."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg[svg.index("<svg") :]
    return mark_safe(svg.replace("<svg ", '<svg role="img" aria-label="QR-Code für die App" ', 1))


def confirm_device(device: TOTPDevice) -> list[str]:
    """Confirm the authenticator and issue fresh recovery codes (shown once)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    static, _ = StaticDevice.objects.get_or_create(
        user=device.user, name="Wiederherstellungscodes", defaults={"confirmed": True}
    )
    static.token_set.all().delete()
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes
