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
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from apps.cases.models import Case

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
        return self.filter(case__in=_visible_cases(user)).annotate(
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


class Task(models.Model):
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
    version = models.PositiveIntegerField(default=1)

    objects = TaskQuerySet.as_manager()

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
