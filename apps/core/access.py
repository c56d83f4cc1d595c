"""Deny by default: every view declares who may use it.

A view is wrapped in exactly one of :func:`public`, :func:`authenticated` or
:func:`roles_required`. The decorator records the rule on the view as
``access_rule``; a test walks every URL pattern and fails for a view without
one. Object scope (which case, which school) is not decided here but in the
models' ``visible_to(user)`` querysets: out of scope is a 404 there.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

ACCESS_RULE_ATTRIBUTE = "access_rule"
PUBLIC = "public"
AUTHENTICATED = "authenticated"

View = Callable[..., HttpResponseBase]


def public(view: View) -> View:
    """Anyone, also without login (the public office finder, the login page)."""
    view = login_not_required(view)
    setattr(view, ACCESS_RULE_ATTRIBUTE, PUBLIC)
    return view


def authenticated(view: View) -> View:
    """Every logged-in person, whatever their role (start page, logout)."""
    setattr(view, ACCESS_RULE_ATTRIBUTE, AUTHENTICATED)
    return view


def roles_required(*roles: str) -> Callable[[View], View]:
    """Logged-in people holding at least one of ``roles``; others get 403.

    Roles are read from the database on each request, so a role change takes
    effect on the next request.
    """
    if not roles:
        raise ValueError("roles_required needs at least one role")
    allowed = frozenset(roles)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            held: frozenset[str] = getattr(request.user, "role_names", frozenset())
            if not held & allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        setattr(wrapper, ACCESS_RULE_ATTRIBUTE, allowed)
        return wrapper

    return decorator


def access_rule_of(view: Any) -> object | None:
    """The declared rule of a resolved view (functions and class-based views)."""
    for candidate in (view, getattr(view, "view_class", None), getattr(view, "cls", None)):
        if candidate is not None and hasattr(candidate, ACCESS_RULE_ATTRIBUTE):
            return getattr(candidate, ACCESS_RULE_ATTRIBUTE)
    return None
