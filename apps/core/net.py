"""The client's network address, the one answer for the access log and the login throttle."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address of the person's machine, or ``None`` if it is not an address.

    Without a proxy that is ``REMOTE_ADDR``. Behind ``TRUSTED_PROXY_COUNT``
    reverse proxies, each proxy appends the address it saw to
    ``X-Forwarded-For``; reading from the right, the entry the outermost of
    our proxies added is the client. Anything left of it is the client's own
    claim and could be forged, so it is never used. A header shorter than the
    proxy chain means a request that bypassed a proxy: then the direct peer
    counts.
    """
    candidate = request.META.get("REMOTE_ADDR", "")
    proxies: int = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None
