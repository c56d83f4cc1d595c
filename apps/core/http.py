"""The request as views see it: typed, so no view casts ``request.user``.

Views behind :func:`~apps.core.access.roles_required` or
:func:`~apps.core.access.authenticated` take an :class:`AuthenticatedHttpRequest`
(the user is a logged-in ``User``, never anonymous); public views take a
plain ``HttpRequest``. ``request.htmx`` comes from django-htmx's middleware.
"""

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    # Typing only: core stays below accounts at run time.
    from apps.accounts.models import User


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    user: "User"
