"""Which records have a history page, who may open it, and what it spans.

Visibility is never decided here: each kind names the tracked model's own
``visible_to`` queryset (or its case's), so the history shows exactly the
records the person sees elsewhere.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q

from apps.cases.models import Case, Decision, Person
from apps.casework.models import CaseNote, Contact, HelpPlan, Task
from apps.history.changes import Stream
from apps.referrals.models import Referral

if TYPE_CHECKING:
    from apps.accounts.models import User


def _numbered(title: str) -> Callable[[Any], str]:
    return lambda event: f"{title} Nr. {event.pgh_obj_id}"


def _referenced(title: str) -> Callable[[Any], str]:
    return lambda event: (
        f"{title} {event.reference}" if event.reference else _numbered(title)(event)
    )


PERSON = Stream("PersonSnapshot", lambda e: "Person", link=("person", "pgh_obj_id"))
CASE = Stream("CaseSnapshot", _referenced("Fall"), link=("case", "pgh_obj_id"))
DECISION = Stream("DecisionSnapshot", _referenced("Bescheid"), link=("decision", "pgh_obj_id"))
RECOMMENDATION = Stream("RecommendationSnapshot", _numbered("Empfehlung"))
REFERRAL = Stream("ReferralSnapshot", _referenced("Anfrage"), link=("referral", "pgh_obj_id"))
CONSENT = Stream("ConsentSnapshot", _numbered("Einwilligung"), link=("referral", "referral_id"))
QUESTION = Stream("QuestionSnapshot", _numbered("Rückfrage"), link=("referral", "referral_id"))
NOTE = Stream("CaseNoteSnapshot", _numbered("Verlaufsnotiz"), link=("note", "pgh_obj_id"))
NOTE_VERSION = Stream(
    "NoteVersionSnapshot",
    lambda e: f"Verlaufsnotiz Nr. {e.note_id}, Fassung {e.number}",
    link=("note", "note_id"),
    sibling_key="note_id",
    protected=frozenset({"text", "reason"}),
    note_key="note_id",
)
NOTE_SHARE = Stream(
    "NoteShareSnapshot",
    lambda e: f"Freigabe der Verlaufsnotiz Nr. {e.note_id}",
    link=("note", "note_id"),
    protected=frozenset({"consent_given_by", "consent_basis"}),
    note_key="note_id",
)
TASK = Stream("TaskSnapshot", _numbered("Wiedervorlage"), link=("task", "pgh_obj_id"))
CONTACT = Stream("ContactSnapshot", _numbered("Kontakt"), link=("contact", "pgh_obj_id"))
HELP_PLAN = Stream("HelpPlanSnapshot", lambda e: "Hilfeplan", link=("helpplan", "pgh_obj_id"))
HELP_PLAN_VERSION = Stream(
    "HelpPlanVersionSnapshot",
    lambda e: f"Hilfeplan, Fassung {e.number}",
    link=("helpplan", "plan_id"),
    sibling_key="plan_id",
)


@dataclass(frozen=True)
class Kind:
    title: str
    visible: Callable[["User"], models.QuerySet[Any]]
    streams: Callable[[Any], list[tuple[Stream, Q]]]


def _case_streams(case: Case) -> list[tuple[Stream, Q]]:
    notes = CaseNote.objects.filter(case_id=case.pk).values("pk")
    plans = HelpPlan.objects.filter(case_id=case.pk).values("pk")
    return [
        (CASE, Q(pgh_obj_id=case.pk)),
        (PERSON, Q(pgh_obj_id=case.person_id)),
        (DECISION, Q(case_id=case.pk)),
        (RECOMMENDATION, Q(case_id=case.pk)),
        (NOTE, Q(case_id=case.pk)),
        (NOTE_VERSION, Q(note_id__in=notes)),
        (NOTE_SHARE, Q(note_id__in=notes)),
        (TASK, Q(case_id=case.pk)),
        (CONTACT, Q(case_id=case.pk)),
        (HELP_PLAN, Q(case_id=case.pk)),
        (HELP_PLAN_VERSION, Q(plan_id__in=plans)),
    ]


KINDS: dict[str, Kind] = {
    "case": Kind("Fall", lambda user: Case.objects.visible_to(user), _case_streams),
    "referral": Kind(
        "Anfrage",
        lambda user: Referral.objects.visible_to(user),
        lambda referral: [
            (REFERRAL, Q(pgh_obj_id=referral.pk)),
            (CONSENT, Q(referral_id=referral.pk)),
            (QUESTION, Q(referral_id=referral.pk)),
        ],
    ),
    "note": Kind(
        "Verlaufsnotiz",
        lambda user: CaseNote.objects.visible_to(user),
        lambda note: [
            (NOTE, Q(pgh_obj_id=note.pk)),
            (NOTE_VERSION, Q(note_id=note.pk)),
            (NOTE_SHARE, Q(note_id=note.pk)),
        ],
    ),
    "task": Kind(
        "Wiedervorlage",
        lambda user: Task.objects.visible_to(user),
        lambda task: [(TASK, Q(pgh_obj_id=task.pk))],
    ),
    "decision": Kind(
        "Bescheid",
        lambda user: Decision.objects.filter(case__in=Case.objects.visible_to(user).values("pk")),
        lambda decision: [(DECISION, Q(pgh_obj_id=decision.pk))],
    ),
    "helpplan": Kind(
        "Hilfeplan",
        lambda user: HelpPlan.objects.visible_to(user),
        lambda plan: [
            (HELP_PLAN, Q(pgh_obj_id=plan.pk)),
            (HELP_PLAN_VERSION, Q(plan_id=plan.pk)),
        ],
    ),
    "person": Kind(
        "Person",
        lambda user: Person.objects.visible_to(user),
        lambda person: [(PERSON, Q(pgh_obj_id=person.pk))],
    ),
    "contact": Kind(
        "Kontakt",
        lambda user: Contact.objects.visible_to(user),
        lambda contact: [(CONTACT, Q(pgh_obj_id=contact.pk))],
    ),
}
