"""The one family of refusals: a write the service would not do, with a reason for people.

Services raise these; views turn any of them into the same answer with
:func:`refused_response` (409, the person's form again with what they typed,
the reason, and where it applies "gespeichert" next to "Ihre Eingabe").
Nothing was written when one of these is raised.
"""

import datetime
import difflib
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class Refused(Exception):
    """A write that was not done; ``message`` says why, in German, for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class StaleRecord(Refused):
    """Someone else changed the record since this person loaded it.

    ``changed_by`` and ``changed_at`` name the last change (empty/None when
    unknown), so the page can say who to talk to.
    """

    def __init__(
        self,
        message: str,
        *,
        changed_by: str = "",
        changed_at: datetime.datetime | None = None,
    ) -> None:
        super().__init__(message)
        self.changed_by = changed_by
        self.changed_at = changed_at


class NotAllowed(Refused):
    """The step is not open to this person or from this status."""


class PreconditionMissing(NotAllowed):
    """The step is allowed but something it needs is missing; ``missing`` lists what."""

    def __init__(self, message: str, *, missing: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.missing = missing


# "gespeichert" versus "Ihre Eingabe" --------------------------------------------

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "removed" or "added"
    text: str


@dataclass(frozen=True)
class FieldDiff:
    """One field: the left text with what is gone marked, the right with what is new."""

    label: str
    segments: list[Segment] = field(default_factory=list)

    @property
    def before(self) -> list[Segment]:
        return [s for s in self.segments if s.kind != "added"]

    @property
    def after(self) -> list[Segment]:
        return [s for s in self.segments if s.kind != "removed"]

    @property
    def changed(self) -> bool:
        return any(s.kind != "same" for s in self.segments)


def word_diff(old: str, new: str) -> list[Segment]:
    """``old`` and ``new`` split into unchanged, removed and added runs of words."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    if _little_in_common(old, new):
        # Marking the odd shared word between two different texts helps nobody.
        return _whole(old, new)
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(Segment("same", "".join(a[a1:a2])))
            continue
        if a2 > a1:
            segments.append(Segment("removed", "".join(a[a1:a2])))
        if b2 > b1:
            segments.append(Segment("added", "".join(b[b1:b2])))
    return segments


def _little_in_common(old: str, new: str) -> bool:
    words = difflib.SequenceMatcher(None, old.split(), new.split(), autojunk=False)
    return bool(old.strip() and new.strip()) and words.ratio() < 0.4


def _whole(old: str, new: str) -> list[Segment]:
    if old == new:
        return [Segment("same", old)]
    return [Segment(kind, text) for kind, text in (("removed", old), ("added", new)) if text]


def compare(
    labels: Mapping[str, str],
    left: Mapping[str, str],
    right: Mapping[str, str],
    *,
    by_word: Collection[str] | None = None,
) -> list[FieldDiff]:
    """Every field of ``labels`` (name → label) compared, in that order.

    Fields in ``by_word`` (all when None) are compared word by word; the
    others (a date, a name, a short value) as a whole.
    """
    return [
        FieldDiff(
            label,
            (word_diff if by_word is None or name in by_word else _whole)(
                left.get(name, ""), right.get(name, "")
            ),
        )
        for name, label in labels.items()
    ]


def model_labels(instance: Any, names: Collection[str]) -> dict[str, str]:
    """The fields' labels (verbose names), for the comparison's first column."""
    return {n: str(getattr(instance._meta.get_field(n), "verbose_name", n)) for n in names}


def text_fields(instance: Any, names: Collection[str]) -> set[str]:
    """Those of ``names`` that hold running text (worth comparing word by word)."""
    return {n for n in names if instance._meta.get_field(n).get_internal_type() == "TextField"}


def shown(value: Any, choices: Mapping[Any, Any] | None = None) -> str:
    """A stored or typed value as people read it (dates German, empty as "–")."""
    if choices is not None and value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d.%m.%Y")
    return "–" if value in (None, "") else str(value)


def model_values(instance: Any, names: list[str] | tuple[str, ...]) -> dict[str, str]:
    """The fields ``names`` of a model instance as people read them."""
    values = {}
    for name in names:
        model_field = instance._meta.get_field(name)
        choices = dict(model_field.flatchoices) if model_field.choices else None
        values[name] = shown(getattr(instance, name), choices)
    return values


def refused_response(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    refusal: Refused,
    *,
    labels: Mapping[str, str] | None = None,
    saved: Mapping[str, str] | None = None,
    typed: Mapping[str, str] | None = None,
    by_word: Collection[str] | None = None,
    status: int = 409,
) -> HttpResponse:
    """The person's page again, nothing saved, with the reason and what differs.

    ``context`` already holds the person's bound form (rebind it with the
    current version first, so saving again is a deliberate decision to
    replace what the other person saved). With ``labels`` the template gets
    ``refusal_diff``: only the fields where ``saved`` and ``typed`` differ.
    The template shows it all with ``{% include "core/refusal.html#refusal" %}``.
    """
    diff: list[FieldDiff] = []
    if labels is not None:
        diff = [d for d in compare(labels, saved or {}, typed or {}, by_word=by_word) if d.changed]
    context = context | {
        "refusal": refusal,
        "stale": refusal.message,
        "refusal_diff": diff,
        "refusal_compared": labels is not None,
    }
    return render(request, template, context, status=status)
