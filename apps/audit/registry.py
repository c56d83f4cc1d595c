"""Which URL names the request log covers, and what object each one touches.

Other apps do not call the log: the middleware reads the resolved URL (its
namespace, name and id kwargs) after the response. Names listed here refine
the general rule; the rule covers the rest of the audited namespaces:

* the object is the ``pk`` kwarg, else a ``*_pk`` kwarg other than
  ``case_pk``; its type comes from the namespace (``cases`` -> case), or for
  namespaces holding several kinds (casework) from the first word of the URL
  name (``note_history`` -> note, ``notes`` -> note);
* the case is the ``case_pk`` kwarg, or the ``pk`` of a ``cases:`` URL.

A GET is logged when it names an object or a case; a POST always.

No entry costs a query: a ``case_resolver`` is only for URLs that name a
sub-record without its case, and each call is one SELECT.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import ResolverMatch

from apps.audit.models import Action, ObjectType

AUDITED_NAMESPACES = frozenset(
    {
        "referrals",
        "cases",
        "casework",
        "conferences",
        "history",
        "consents",
        "documents",
        "schoolsupport",
    }
)
NAMESPACE_TYPES = {
    "referrals": ObjectType.REFERRAL,
    "cases": ObjectType.CASE,
    "consents": ObjectType.CONSENT,
    "documents": ObjectType.DOCUMENT,
    "schoolsupport": ObjectType.REFERRAL,
}


@dataclass(frozen=True)
class Target:
    object_type: str
    object_kwarg: str = "pk"
    case_kwarg: str | None = None
    case_resolver: Callable[[str], int | None] | None = None
    # What a successful GET means: reading, or printing a letter.
    read_action: str = Action.READ
    # What a POST means: a change, or a search that shows names.
    write_action: str = Action.WRITE


# None: in an audited namespace, but touches no personal record.
REGISTRY: dict[str, Target | None] = {
    "cases:detail": Target(ObjectType.CASE, case_kwarg="pk"),
    "cases:decision": Target(
        ObjectType.DECISION, "decision_pk", case_kwarg="pk", read_action=Action.PRINT
    ),
    "cases:open": Target(ObjectType.REFERRAL, "referral_pk"),
    "referrals:consent_scan": Target(ObjectType.CONSENT, "consent_pk"),
    "conferences:minutes": Target(
        "agendaitem", "item_pk", case_resolver=lambda pk: _agenda_case(pk)
    ),
    "conferences:agreed_steps": Target(
        "agendaitem", "item_pk", case_resolver=lambda pk: _agenda_case(pk)
    ),
    # A person search shows names: who searched is logged, never what for.
    "cases:search": Target(ObjectType.PERSON, object_kwarg="", write_action=Action.SEARCH),
    # The change history of a case is a read of the case.
    "history:case": Target(ObjectType.CASE, case_kwarg="pk"),
    "neighbourhood:case_link_resource": Target(ObjectType.CASE, "case_pk", case_kwarg="case_pk"),
    "referrals:filter_save": None,
    "referrals:filter_delete": None,
}


def _agenda_case(item_pk: str) -> int | None:
    """Minutes are case content: log them against the case they discuss."""
    from apps.conferences.models import AgendaItem

    return AgendaItem.objects.filter(pk=item_pk).values_list("case_id", flat=True).first()


@dataclass(frozen=True)
class Touched:
    object_type: str
    object_id: str
    case_id: int | None
    read_action: str
    write_action: str = Action.WRITE


def _as_int(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def _default_target(match: ResolverMatch) -> Target | None:
    namespace = match.namespaces[0] if match.namespaces else ""
    if namespace not in AUDITED_NAMESPACES:
        return None
    kwargs = match.kwargs
    object_kwarg = "pk" if "pk" in kwargs else ""
    for name in kwargs:
        if not object_kwarg and name.endswith("_pk") and name != "case_pk":
            object_kwarg = name
    first_word = (match.url_name or namespace).split("_")[0]
    object_type = NAMESPACE_TYPES.get(namespace) or first_word.removesuffix("s")
    case_kwarg = "case_pk" if "case_pk" in kwargs else None
    if case_kwarg is None and namespace == "cases" and "pk" in kwargs:
        case_kwarg = "pk"
    return Target(object_type, object_kwarg, case_kwarg)


def touched_by(match: ResolverMatch) -> Touched | None:
    """What a request to ``match`` touches, or None when the URL is not audited."""
    view_name = match.view_name
    target = REGISTRY[view_name] if view_name in REGISTRY else _default_target(match)
    if target is None:
        return None
    object_id = str(match.kwargs.get(target.object_kwarg, "")) if target.object_kwarg else ""
    case_value = match.kwargs.get(target.case_kwarg) if target.case_kwarg else None
    case_id = _as_int(case_value) if case_value is not None else None
    if case_id is None and target.case_resolver and object_id:
        case_id = target.case_resolver(object_id)
    return Touched(target.object_type, object_id, case_id, target.read_action, target.write_action)
