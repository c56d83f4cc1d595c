"""The work on a case at the Sozialraum office: notes, drafts, tasks, contacts.

Every record here hangs off a :class:`~apps.cases.models.Case` and is scoped
through ``Case.objects.visible_to(user)``: whoever cannot see the case sees
none of its notes, tasks or contacts.

Notes are append-only. The text lives in :class:`NoteVersion`; a correction
adds a version and nothing is changed or deleted in place. A note marked
*anvertraut* (§65 SGB VIII) keeps its text for its author and the colleagues
the author shared it with on the basis of a recorded consent. That rule is
:func:`text_readable_q`, used by every query and by
:meth:`CaseNote.can_read_text`; nothing else decides it.
"""

import datetime
from calendar import monthrange
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from apps.cases.models import Case, case_scope
from apps.core.records import VersionedRecord

if TYPE_CHECKING:
    from apps.accounts.models import User


class AppendOnly(Exception):
    """A note version was about to be changed or deleted."""


def _visible_cases(user: "User") -> Any:
    return Case.objects.visible_to(user).values("pk")


def text_readable_q(user: "User", via: str = "") -> Q:
    """Whether ``user`` may read a note's text (§65 SGB VIII): the one place of the rule.

    ``via`` is the lookup path from the queried model to the note ("" for
    notes, ``"note__"`` for versions).
    """
    if not user.is_authenticated:
        return Q(pk__in=[])
    shared = NoteShare.objects.filter(
        note=OuterRef(f"{via}pk"), shared_with=user, revoked_at__isnull=True
    )
    return Q(**{f"{via}confided": False}) | Q(**{f"{via}author": user}) | Q(Exists(shared))


class CaseNoteQuerySet(models.QuerySet["CaseNote"]):
    def visible_to(self, user: "User") -> "CaseNoteQuerySet":
        """Notes of the cases ``user`` sees, each annotated with ``text_readable`` for them.

        A confided note stays in the list (its existence, author and date are
        not secret); whether its text shows is the annotation.
        """
        # An author keeps their own confided notes after the case went to another team.
        # The rule as a condition on the note's own case, not "case IN (visible
        # cases)": inside an OR, PostgreSQL would hash every case the user may see
        # on each query; this way it checks the one case the notes belong to.
        scope = case_scope(user, via="case__")
        notes = self.filter(scope | Q(author_id=user.pk, confided=True)) if scope else self.all()
        return notes.annotate(
            text_readable=models.ExpressionWrapper(
                text_readable_q(user), output_field=models.BooleanField()
            ),
            text_reader_id=models.Value(user.pk, output_field=models.BigIntegerField()),
        )

    def with_history_for(self, user: "User") -> "CaseNoteQuerySet":
        """Author and versions in bulk; versions only of notes ``user`` may read.

        The text of a note the user may not read is never loaded from the
        database, so no template can show it by mistake.
        """
        readable_versions = (
            NoteVersion.objects.filter(text_readable_q(user, via="note__"))
            .select_related("created_by")
            .order_by("-number")
        )
        active_shares = NoteShare.objects.filter(revoked_at__isnull=True).select_related(
            "shared_with"
        )
        return self.select_related("author").prefetch_related(
            models.Prefetch("versions", queryset=readable_versions, to_attr="readable_versions"),
            models.Prefetch("shares", queryset=active_shares, to_attr="active_shares"),
        )


class CaseNote(models.Model):
    """A Verlaufsnotiz: who wrote it, when, whether it was confided. Text: see versions."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_notes"
    )
    created_at = models.DateTimeField("geschrieben am", default=timezone.now)
    confided = models.BooleanField(
        "anvertraut (§ 65 SGB VIII)",
        default=False,
        help_text="Nur Sie sehen den Text, und wem Sie ihn mit Einwilligung freigeben.",
    )

    objects = CaseNoteQuerySet.as_manager()

    class Meta:
        verbose_name = "Verlaufsnotiz"
        verbose_name_plural = "Verlaufsnotizen"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["case", "-created_at"])]

    def __str__(self) -> str:
        return f"Notiz {self.pk} zu {self.case_id}"

    def get_absolute_url(self) -> str:
        return reverse("casework:note_history", args=[self.case_id, self.pk])

    def can_read_text(self, user: "User") -> bool:
        # The annotation from visible_to() answers without a query, but only
        # for the user it was computed for.
        if getattr(self, "text_reader_id", None) == user.pk:
            return bool(getattr(self, "text_readable", False))
        return (
            type(self)
            .objects.filter(pk=self.pk)
            .filter(case__in=_visible_cases(user))
            .filter(text_readable_q(user))
            .exists()
        )

    @property
    def current_version(self) -> "NoteVersion | None":
        """The latest version, if it was loaded for a reader (see ``with_history_for``)."""
        versions = getattr(self, "readable_versions", None)
        return versions[0] if versions else None

    @property
    def is_corrected(self) -> bool:
        current = self.current_version
        return current is not None and current.number > 1


class NoteVersion(models.Model):
    """One wording of a note. Written once; a correction is the next number."""

    note = models.ForeignKey(CaseNote, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("Fassung")
    text = models.TextField("Text")
    reason = models.CharField("Grund der Korrektur", max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "Fassung einer Notiz"
        verbose_name_plural = "Fassungen von Notizen"
        ordering = ["note", "number"]
        constraints = [
            models.UniqueConstraint(fields=["note", "number"], name="note_version_unique_number")
        ]

    def __str__(self) -> str:
        return f"Fassung {self.number} von Notiz {self.note_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnly("Eine Fassung wird nie geändert; eine Korrektur ist eine neue.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly("Fassungen einer Notiz werden nicht gelöscht.")


class NoteShare(models.Model):
    """The author opens a confided note to one named colleague, on a recorded consent."""

    note = models.ForeignKey(CaseNote, on_delete=models.CASCADE, related_name="shares")
    shared_with = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notes_shared_with_me",
        verbose_name="Kollegin oder Kollege",
    )
    consent_given_by = models.CharField("Einwilligung erteilt von", max_length=120)
    consent_given_on = models.DateField("Einwilligung erteilt am")
    consent_basis = models.TextField(
        "Worauf beruht die Einwilligung?",
        help_text="Zum Beispiel: mündlich im Gespräch, Umfang und Zweck der Weitergabe.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # A withdrawn consent ends the sharing at once; the record stays as proof.
    revoked_at = models.DateTimeField("widerrufen am", null=True, blank=True)

    class Meta:
        verbose_name = "Freigabe einer anvertrauten Notiz"
        verbose_name_plural = "Freigaben anvertrauter Notizen"
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["note", "shared_with"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_share_per_colleague",
            )
        ]
        indexes = [models.Index(fields=["shared_with", "note"])]

    def __str__(self) -> str:
        return f"Freigabe von Notiz {self.note_id}"


class NoteDraft(models.Model):
    """What a person has typed into a case's note form, kept on the server.

    Keyed by person and case, not by session: it survives an expired session
    and is there again after the next login.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="note_drafts"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="note_drafts")
    text = models.TextField(blank=True)
    confided = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "case"], name="one_note_draft_per_user_and_case"
            )
        ]

    def __str__(self) -> str:
        return f"Entwurf zu {self.case_id}"


class TaskQuerySet(models.QuerySet["Task"]):
    def visible_to(self, user: "User") -> "TaskQuerySet":
        return self.filter(case__in=_visible_cases(user))

    def open(self) -> "TaskQuerySet":
        return self.filter(done_at__isnull=True)

    def due_by(self, day: datetime.date) -> "TaskQuerySet":
        """Open tasks due on or before ``day`` (overdue ones included)."""
        return self.open().filter(due_date__lte=day)


class Task(VersionedRecord):
    """A Wiedervorlage: something to do on a case by a date, by one person.

    ``origin`` names where a task came from when it was not typed on the case
    page (a Fallberatung's agreed next step, a help plan review).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField("Was ist zu tun?", max_length=200)
    due_date = models.DateField("fällig am")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name="zuständig",
    )
    origin = models.CharField("Herkunft", max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField("erledigt am", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reminded_on = models.DateField(null=True, blank=True, editable=False)

    objects = TaskQuerySet.as_manager()

    def stale_subject(self) -> str:
        return f"Die Wiedervorlage „{self.title}“"

    class Meta:
        verbose_name = "Wiedervorlage"
        verbose_name_plural = "Wiedervorlagen"
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["assignee", "done_at", "due_date"]),
            models.Index(fields=["case", "done_at", "due_date"]),
            models.Index(fields=["done_at", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"Wiedervorlage {self.pk} zu {self.case_id}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_date < timezone.localdate()


class ContactQuerySet(models.QuerySet["Contact"]):
    def visible_to(self, user: "User") -> "ContactQuerySet":
        return self.filter(case__in=_visible_cases(user))


class Contact(models.Model):
    """A contact with the family, the school or others: when, how, with whom, result."""

    class Kind(models.TextChoices):
        PHONE = "phone", "Telefon"
        HOME_VISIT = "home_visit", "Hausbesuch"
        OFFICE = "office", "Gespräch im Büro"
        EMAIL = "email", "E-Mail"
        SCHOOL = "school", "Schule"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    happened_at = models.DateTimeField("wann")
    kind = models.CharField("Art", max_length=20, choices=Kind.choices)
    with_whom = models.CharField("mit wem", max_length=200)
    result = models.TextField("kurzes Ergebnis")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = "Kontakt"
        verbose_name_plural = "Kontakte"
        ordering = ["-happened_at", "-pk"]
        indexes = [models.Index(fields=["case", "-happened_at"])]

    def __str__(self) -> str:
        return f"Kontakt {self.pk} zu {self.case_id}"


# Help plan (Hilfeplan, § 36 SGB VIII) -------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by whole months; the 31 August plus six months is the end of February."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


REVIEW_AFTER_MONTHS = 6


class HelpPlanQuerySet(models.QuerySet["HelpPlan"]):
    def visible_to(self, user: "User") -> "HelpPlanQuerySet":
        return self.filter(case__in=_visible_cases(user))


class HelpPlan(models.Model):
    """The one help plan of a case. Its content lives in append-only versions."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="help_plan")
    created_at = models.DateTimeField(default=timezone.now)

    objects = HelpPlanQuerySet.as_manager()

    class Meta:
        verbose_name = "Hilfeplan"
        verbose_name_plural = "Hilfepläne"

    def __str__(self) -> str:
        return f"Hilfeplan zu {self.case_id}"

    def get_absolute_url(self) -> str:
        return reverse("casework:helpplan", args=[self.case_id])


class HelpPlanVersionQuerySet(models.QuerySet["HelpPlanVersion"]):
    def visible_to(self, user: "User") -> "HelpPlanVersionQuerySet":
        return self.filter(plan__case__in=_visible_cases(user))


class HelpPlanVersion(models.Model):
    """One wording of the help plan, as agreed in one Hilfeplangespräch.

    An update is the next number; nothing is changed in place. The family's
    goals in their own words stand apart from the professional assessment.
    ``steps`` is a list of ``{"step", "responsible", "due"}`` (``due`` an ISO
    date or ""), checked by the form that writes it.
    """

    plan = models.ForeignKey(HelpPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("Fassung")
    created_at = models.DateTimeField("gespeichert am", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    meeting_date = models.DateField("Datum des Hilfeplangesprächs")
    need = models.TextField("Bedarf")
    help_kind = models.CharField("Art der Hilfe", max_length=200)
    family_goals = models.TextField("Ziele der Familie in ihren eigenen Worten", blank=True)
    assessment = models.TextField("Fachliche Einschätzung", blank=True)
    goals = models.TextField("Vereinbarte Ziele")
    steps = models.JSONField("Schritte", default=list, blank=True)
    participants = models.TextField("Teilnehmende am Hilfeplangespräch")
    next_review = models.DateField("Nächste Überprüfung")

    objects = HelpPlanVersionQuerySet.as_manager()

    TEXT_FIELDS = (
        "need",
        "help_kind",
        "family_goals",
        "assessment",
        "goals",
        "participants",
    )

    class Meta:
        verbose_name = "Fassung eines Hilfeplans"
        verbose_name_plural = "Fassungen von Hilfeplänen"
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"], name="helpplan_version_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(next_review__gt=models.F("meeting_date")),
                name="helpplan_review_after_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"Fassung {self.number} des Hilfeplans {self.plan_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnly("Eine Fassung des Hilfeplans wird nie geändert; eine neue entsteht.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("casework:helpplan_version", args=[self.plan.case_id, self.number])

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly("Fassungen eines Hilfeplans werden nicht gelöscht.")

    @property
    def step_rows(self) -> list[dict[str, Any]]:
        """The steps with their dates as dates, for display."""
        return [
            {
                "step": step.get("step", ""),
                "responsible": step.get("responsible", ""),
                "due": datetime.date.fromisoformat(step["due"]) if step.get("due") else None,
            }
            for step in self.steps
        ]

    @property
    def steps_as_lines(self) -> list[str]:
        """One line per step, for the comparison of two versions."""
        lines = []
        for row in self.step_rows:
            due = f"bis {row['due']:%d.%m.%Y}" if row["due"] else ""
            lines.append(
                " – ".join(part for part in (row["step"], row["responsible"], due) if part)
            )
        return lines


class Attainment(models.TextChoices):
    """How far a goal was reached, judged at the review (Fortschreibung)."""

    REACHED = "reached", "erreicht"
    PARTLY = "partly", "teilweise erreicht"
    NOT_YET = "not_yet", "noch nicht erreicht"
    OBSOLETE = "obsolete", "nicht mehr relevant"


class HelpPlanGoal(models.Model):
    """One agreed goal of a help plan version (one line of ``goals``), so goals can be counted."""

    version = models.ForeignKey(
        HelpPlanVersion, on_delete=models.CASCADE, related_name="goal_items"
    )
    position = models.PositiveSmallIntegerField("Nr.")
    text = models.CharField("Ziel", max_length=500)

    class Meta:
        verbose_name = "Ziel des Hilfeplans"
        verbose_name_plural = "Ziele des Hilfeplans"
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="helpplan_goal_unique")
        ]

    def __str__(self) -> str:
        return self.text


class GoalAttainment(models.Model):
    """At a review: how far one goal of the previous version was reached."""

    goal = models.OneToOneField(HelpPlanGoal, on_delete=models.CASCADE, related_name="attainment")
    review = models.ForeignKey(
        HelpPlanVersion, on_delete=models.CASCADE, related_name="attainments"
    )
    attainment = models.CharField("Zielerreichung", max_length=10, choices=Attainment.choices)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "Zielerreichung"
        verbose_name_plural = "Zielerreichungen"
        indexes = [models.Index(fields=["recorded_at", "attainment"])]

    def __str__(self) -> str:
        return self.get_attainment_display()


def goal_lines(goals: str) -> list[str]:
    """The goals of a plan as countable items: one per non-empty line, bullets removed."""
    lines = (line.strip().lstrip("-•*–").strip() for line in goals.splitlines())
    return [line[:500] for line in lines if line]


# Handing a case over to another team --------------------------------------------


class CaseHandoverQuerySet(models.QuerySet["CaseHandover"]):
    def visible_to(self, user: "User") -> "CaseHandoverQuerySet":
        """Familienamt: all; team members: handovers from or to their team.

        The receiving team sees a pending handover before it sees the case;
        the handover page shows only what the decision needs.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_familienamt:
            return self
        teams = user.teams
        if not teams:
            return self.none()
        return self.filter(Q(from_team__in=teams) | Q(to_team__in=teams))

    def pending(self) -> "CaseHandoverQuerySet":
        return self.filter(status=CaseHandover.Status.PENDING)


class CaseHandover(models.Model):
    """A proposal to hand a case to another Sozialraum team, and the answer to it.

    Until the receiving team accepts, the sending team stays responsible:
    ``Case.team`` changes only in ``case_handover_accept``.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "offen"
        ACCEPTED = "accepted", "angenommen"
        DECLINED = "declined", "abgelehnt"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handovers")
    from_team = models.ForeignKey(
        "organisation.Team",
        on_delete=models.PROTECT,
        related_name="handovers_out",
        verbose_name="abgebendes Team",
    )
    to_team = models.ForeignKey(
        "organisation.Team",
        on_delete=models.PROTECT,
        related_name="handovers_in",
        verbose_name="aufnehmendes Team",
    )
    reason = models.TextField("Grund der Übergabe")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField("vorgeschlagen am", default=timezone.now)
    status = models.CharField(
        "Stand", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("entschieden am", null=True, blank=True)
    decline_reason = models.TextField("Grund der Ablehnung", blank=True)

    objects = CaseHandoverQuerySet.as_manager()

    class Meta:
        verbose_name = "Übergabe"
        verbose_name_plural = "Übergaben"
        ordering = ["-proposed_at", "-pk"]
        indexes = [
            models.Index(fields=["to_team", "status"]),
            models.Index(fields=["case", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="pending"),
                name="one_pending_handover_per_case",
            ),
            models.CheckConstraint(
                condition=~Q(from_team=models.F("to_team")),
                name="handover_to_another_team",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="handover_decline_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Übergabe {self.pk} zu {self.case_id}"

    def get_absolute_url(self) -> str:
        return reverse("casework:handover", args=[self.case_id, self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
