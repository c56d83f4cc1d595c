"""One client address for the access log and the login throttle."""

import pytest

from apps.core.net import client_ip


def test_without_a_proxy_forwarded_headers_are_ignored(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert client_ip(request) == "192.0.2.1"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        # The client may send its own X-Forwarded-For; our proxy appends the real peer.
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),
        (1, "198.51.100.7", "198.51.100.7"),
        # Two proxies (load balancer, then nginx): the second from the right.
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.5", "198.51.100.7"),
        # A header shorter than the proxy chain bypassed a proxy: the direct peer counts.
        (2, "198.51.100.7", "10.0.0.2"),
        (1, "", "10.0.0.2"),
    ],
)
def test_behind_proxies_the_address_is_read_from_the_right(
    rf, settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected


def test_a_forged_non_address_in_the_header_is_stored_as_none(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="<script>")

    assert client_ip(request) is None


def test_the_login_throttle_uses_the_same_function(settings):
    assert settings.AXES_CLIENT_IP_CALLABLE == "apps.core.net.client_ip"
