"""Field-level change history of case data, requests, notes and help plans.

PostgreSQL triggers (django-pghistory) write a full snapshot of the row to a
``*Snapshot`` table on every INSERT, UPDATE and DELETE, so ORM saves,
``QuerySet.update()`` and raw SQL are all caught. Before/after of a change is
the difference between a snapshot and the one before it (see ``changes.py``).

The tracked models belong to other apps; tracking a *proxy* of each keeps the
triggers and every migration here, and the other apps never know about it.
The snapshot tables are append-only in the database; only
:func:`apps.history.services.history_purge` (retention) removes rows.
"""

from collections.abc import Callable
from typing import TypeVar

import pghistory
from django.db import models

from apps.cases.models import Case, Decision, Person, Recommendation
from apps.casework.models import (
    CaseNote,
    Contact,
    HelpPlan,
    HelpPlanVersion,
    NoteShare,
    NoteVersion,
    Task,
)
from apps.referrals.models import Consent, Question, Referral

M = TypeVar("M", bound=type[models.Model])


def _tracked(snapshot_model: str) -> Callable[[M], M]:
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        # Snapshots outlive the row (a delete is history too): no constraint, no reverse name.
        obj_field=pghistory.ObjForeignKey(related_name="+", related_query_name="+"),
        model_name=snapshot_model,
        app_label="history",
        append_only=True,
    )


@_tracked("PersonSnapshot")
class TrackedPerson(Person):
    class Meta:
        proxy = True
        app_label = "history"


@_tracked("CaseSnapshot")
class TrackedCase(Case):
    class Meta:
        proxy = True
        app_label = "history"


@_tracked("DecisionSnapshot")
class TrackedDecision(Decision):
    class Meta:
        proxy = True
        app_label = "history"


@_tracked("RecommendationSnapshot")
class TrackedRecommendation(Recommendation):
    class Meta:
        proxy = True
        app_label = "history"


@_tracked("ReferralSnapshot")
class TrackedReferral(Referral):
    class Meta:
        proxy = True
        app_label = "history"


@_tracked("ConsentSnapshot")
class TrackedConsent(Consent):
    class Meta:
        proxy = True
        app_label = "history"


@_tracked("QuestionSnapshot")
class TrackedQuestion(Question):
    class Meta:
        proxy = True
        app_label = "history"


@_tracked("CaseNoteSnapshot")
class TrackedCaseNote(CaseNote):
    class Meta:
        proxy = True
        app_label = "history"


@_tracked("NoteVersionSnapshot")
class TrackedNoteVersion(NoteVersion):
    class Meta:
        proxy = True
        app_label = "history"


@_tracked("NoteShareSnapshot")
class TrackedNoteShare(NoteShare):
    class Meta:
        proxy = True
        app_label = "history"


@_tracked("TaskSnapshot")
class TrackedTask(Task):
    class Meta:
        proxy = True
        app_label = "history"


@_tracked("ContactSnapshot")
class TrackedContact(Contact):
    class Meta:
        proxy = True
        app_label = "history"


@_tracked("HelpPlanSnapshot")
class TrackedHelpPlan(HelpPlan):
    class Meta:
        proxy = True
        app_label = "history"


@_tracked("HelpPlanVersionSnapshot")
class TrackedHelpPlanVersion(HelpPlanVersion):
    class Meta:
        proxy = True
        app_label = "history"
