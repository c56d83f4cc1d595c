"""Server-side drafts for long forms: one mechanism, opted into with one line.

A form class opts in with a decorator that names it and says how to find the
object it is about for a user (raising ``Http404`` out of scope and
``PermissionDenied`` when the user may see but not write)::

    @draftable("casework.helpplan", scope=writable_case)
    class HelpPlanForm(forms.Form): ...

The page then renders ``{% draft_autosave form object.pk %}`` inside the
form: a status line that posts the form every few seconds to
``core:draft_save``. The view fills the form from
:func:`initial_with_draft` and calls :func:`discard` after a successful save.

An autosave that finds the session expired answers 401 with a short notice
for the status line (:func:`autosave_view`): the typed text stays on the
page, the person logs in again in another tab, and the next autosave keeps
it. The last saved draft is on the server either way.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.urls import reverse

from apps.core.models import FormDraft

MAX_FIELD_CHARS = 50_000
MAX_TOTAL_CHARS = 200_000
SESSION_EXPIRED = (
    "Sitzung abgelaufen – Ihr Text steht noch hier, ist aber noch nicht gespeichert. "
    "Bitte melden Sie sich in einem neuen Tab an; danach wird wieder gesichert."
)

Scope = Callable[[Any, int], object]
FormClass = TypeVar("FormClass", bound=type[forms.BaseForm])


@dataclass(frozen=True)
class DraftSpec:
    key: str
    form_class: type[forms.BaseForm]
    scope: Scope
    # Fields of formsets on the same page, by prefix ("steps-").
    also_prefixes: tuple[str, ...] = ()

    def fields(self) -> dict[str, bool]:
        """The kept fields, each with whether it holds several values (checkbox lists)."""
        return {
            name: isinstance(field, forms.MultipleChoiceField)
            for name, field in getattr(self.form_class, "base_fields", {}).items()
            if not isinstance(field, forms.FileField)
        }


_registry: dict[str, DraftSpec] = {}


def draftable(
    key: str, *, scope: Scope, also_prefixes: tuple[str, ...] = ()
) -> Callable[[FormClass], FormClass]:
    """Opt a form class into server-side drafts under ``key``."""

    def register(form_class: FormClass) -> FormClass:
        _registry[key] = DraftSpec(key, form_class, scope, also_prefixes)
        form_class.draft_key = key  # type: ignore[attr-defined]
        return form_class

    return register


def spec_for(key: str) -> DraftSpec | None:
    return _registry.get(key)


def _key_of(form_class: type[forms.BaseForm]) -> str:
    key = getattr(form_class, "draft_key", "")
    if not key:
        raise TypeError(f"{form_class.__name__} is not @draftable")
    return key


def load(user: Any, form_class: type[forms.BaseForm], object_id: int) -> FormDraft | None:
    return FormDraft.objects.filter(
        user=user, form_key=_key_of(form_class), object_id=object_id
    ).first()


def initial_with_draft(
    user: Any,
    form_class: type[forms.BaseForm],
    object_id: int,
    initial: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], FormDraft | None]:
    """``initial`` overlaid with the person's draft for this form and object, and the draft."""
    draft = load(user, form_class, object_id)
    merged = dict(initial or {})
    if draft is not None:
        merged.update(draft.data)
    return merged, draft


def discard(user: Any, form_class: type[forms.BaseForm], object_id: int) -> None:
    FormDraft.objects.filter(user=user, form_key=_key_of(form_class), object_id=object_id).delete()


def refusal(
    data: dict[str, Any], *, max_field: int = MAX_FIELD_CHARS, max_total: int = MAX_TOTAL_CHARS
) -> str:
    """Why a draft's ``data`` is not kept (German), or ``""``: too long, or a NUL byte,
    which PostgreSQL's JSON cannot hold."""
    values = [v for value in data.values() for v in (value if isinstance(value, list) else [value])]
    if any("\x00" in v for v in values):
        return "Der Entwurf enthält ein unzulässiges Steuerzeichen und wurde nicht gespeichert."
    if any(len(v) > max_field for v in values) or len(json.dumps(data)) > max_total:
        return "Der Entwurf ist zu lang und wurde nicht gespeichert."
    return ""


def save(user: Any, spec: DraftSpec, object_id: int, post: Any) -> FormDraft | str:
    """Keep what was posted for ``spec``'s fields; a German message when it is too long."""
    data: dict[str, Any] = {}
    for name, several in spec.fields().items():
        if several:
            data[name] = [str(value) for value in post.getlist(name)]
        elif name in post:
            data[name] = post.get(name, "")
    for name in post:
        if spec.also_prefixes and name.startswith(spec.also_prefixes):
            data[name] = post.get(name, "")
    refused = refusal(data)
    if refused:
        return refused
    draft, _ = FormDraft.objects.update_or_create(
        user=user, form_key=spec.key, object_id=object_id, defaults={"data": data}
    )
    return draft


def expired_notice(template: str = "core/draft.html#draft-expired") -> HttpResponse:
    """The 401 answer of an autosave whose session is gone: a line for the status element."""
    html = render_to_string(
        template,
        {
            "message": SESSION_EXPIRED,
            "login_url": reverse("accounts:login"),
            "draft_expired": True,
        },
    )
    return HttpResponse(html, status=401)


View = Callable[..., HttpResponseBase]


def autosave_view(template: str = "core/draft.html#draft-expired") -> Callable[[View], View]:
    """For htmx autosave views: an expired session gets a short 401 notice, never the login page.

    A login redirect would swap the whole login page into the status line,
    and the person would believe the text was saved. The wrapped view's own
    access rule still applies to everyone logged in.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return expired_notice(template)
            return view(request, *args, **kwargs)

        return login_not_required(wrapper)

    return decorator
