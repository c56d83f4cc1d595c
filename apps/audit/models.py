"""The access log: who touched which record, when, from where. Never what it said.

Rows are append-only. PostgreSQL itself refuses UPDATE, DELETE and TRUNCATE
(trigger ``audit_accesslog_refuse_change``), and a BEFORE INSERT trigger
(``audit_accesslog_chain``) numbers each row and chains its hash to the one
before under an advisory lock, so every writer (the ORM, raw SQL, a second
server) produces one linear chain. ``apps.audit.chain`` recomputes it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

GENESIS_HASH = "0" * 64


class Action(models.TextChoices):
    READ = "read", "gelesen"
    WRITE = "write", "geändert"
    EXPORT = "export", "exportiert"
    PRINT = "print", "gedruckt"
    LOGIN = "login", "angemeldet"
    LOGIN_FAILED = "login_failed", "Anmeldung fehlgeschlagen"
    LOGOUT = "logout", "abgemeldet"
    DENIED = "denied", "Zugriff verweigert"
    DELETE = "delete", "gelöscht"
    SEARCH = "search", "gesucht"


class ObjectType(models.TextChoices):
    REFERRAL = "referral", "Anfrage"
    CASE = "case", "Fall"
    PERSON = "person", "Person"
    NOTE = "note", "Notiz"
    DECISION = "decision", "Bescheid"
    CONSENT = "consent", "Einwilligung"
    DOCUMENT = "document", "Dokument"
    ACCESS_LOG = "accesslog", "Zugriffsprotokoll"


class AccessLogEntry(models.Model):
    # Filled by the database trigger; the defaults only tell Django to read them back.
    seq = models.BigIntegerField("Laufnummer", unique=True, editable=False, db_default=0)
    prev_hash = models.CharField(max_length=64, editable=False, db_default="")
    hash = models.CharField(max_length=64, editable=False, db_default="")

    at = models.DateTimeField("Zeitpunkt", default=timezone.now)
    # No database constraint and no cascade: an entry outlives the account it
    # names, and the row may never be rewritten to NULL anyway.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Benutzerkonto",
    )
    username_attempted = models.CharField("versuchter Benutzername", max_length=150, blank=True)
    action = models.CharField("Aktion", max_length=20, choices=Action.choices)
    object_type = models.CharField("Objektart", max_length=30, blank=True)
    object_id = models.CharField("Objekt-Nr.", max_length=40, blank=True)
    object_reference = models.CharField("Aktenzeichen", max_length=40, blank=True)
    # A plain number, not a key: the entry stays when the case is deleted.
    case_id = models.BigIntegerField("Fall-Nr.", null=True, blank=True)
    path_name = models.CharField("Seite", max_length=100, blank=True)
    ip = models.GenericIPAddressField("IP-Adresse", null=True, blank=True)
    purpose = models.CharField("Zweck", max_length=200, blank=True)

    class Meta:
        verbose_name = "Protokolleintrag"
        verbose_name_plural = "Zugriffsprotokoll"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["-at", "-id"], name="audit_at_id"),
            models.Index(fields=["user", "-at"], name="audit_user_at"),
            models.Index(fields=["case_id", "-at"], name="audit_case_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type} {self.object_id}".strip()


# --- retention -------------------------------------------------------------------


class RetentionRule(models.Model):
    """How long one kind of record is kept: editable data, not code.

    The Familienamt confirms the periods; the seeded values mark which come
    from the law (§ 9b SGB VIII) and which are assumptions. A kind without an
    active rule is never deleted.
    """

    class Kind(models.TextChoices):
        CASE_9B = (
            "case_eingliederungshilfe_erziehungshilfe",
            "Fallakten der Erziehungs- und Eingliederungshilfe",
        )
        CASE_OTHER = "case_other", "Andere Fallakten"
        REFERRAL_WITHOUT_CASE = "referral_without_case", "Anfragen, aus denen kein Fall wurde"

    class Anchor(models.TextChoices):
        CLOSED_AT = "closed_at", "Abschluss des Falls"
        DATE_OF_BIRTH = "date_of_birth", "Geburtsdatum der Person"
        ENDED_AT = "ended_at", "Ende der Anfrage (Ablehnung)"
        RECEIVED_AT = "received_at", "Eingang der Anfrage"

    CASE_ANCHORS = frozenset({Anchor.CLOSED_AT, Anchor.DATE_OF_BIRTH})
    REFERRAL_ANCHORS = frozenset({Anchor.ENDED_AT, Anchor.RECEIVED_AT})

    kind = models.CharField("Art der Unterlagen", max_length=60, choices=Kind.choices, unique=True)
    description = models.TextField(
        "Rechtsgrundlage und Erläuterung",
        help_text="Zum Beispiel: § 9b SGB VIII, oder: Annahme, vom Familienamt zu bestätigen.",
    )
    years = models.PositiveSmallIntegerField("Jahre", default=0)
    months = models.PositiveSmallIntegerField("Monate", default=0)
    anchor = models.CharField("Frist beginnt mit", max_length=20, choices=Anchor.choices)
    active = models.BooleanField(
        "aktiv", default=True, help_text="Ohne aktive Regel wird nichts dieser Art gelöscht."
    )
    updated_at = models.DateTimeField("geändert am", auto_now=True)

    class Meta:
        verbose_name = "Aufbewahrungsregel"
        verbose_name_plural = "Aufbewahrungsregeln"
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                name="retention_rule_has_a_period",
                condition=models.Q(years__gt=0) | models.Q(months__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def period_months(self) -> int:
        return self.years * 12 + self.months

    @property
    def period_label(self) -> str:
        parts = []
        if self.years:
            parts.append(f"{self.years} Jahr{'e' if self.years != 1 else ''}")
        if self.months:
            parts.append(f"{self.months} Monat{'e' if self.months != 1 else ''}")
        return " und ".join(parts)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        allowed = (
            self.REFERRAL_ANCHORS
            if self.kind == self.Kind.REFERRAL_WITHOUT_CASE
            else self.CASE_ANCHORS
        )
        if self.anchor and self.anchor not in allowed:
            raise ValidationError({"anchor": "Dieser Fristbeginn passt nicht zu dieser Art."})
        if not self.years and not self.months:
            raise ValidationError("Bitte geben Sie eine Frist in Jahren oder Monaten an.")


class LegalHoldQuerySet(models.QuerySet["LegalHold"]):
    def active(self) -> "LegalHoldQuerySet":
        return self.filter(released_at__isnull=True)


class LegalHold(models.Model):
    """Keep one record past its retention period (a court case, an inquiry).

    A hold on a person keeps all their cases; a hold on a request that became
    a case keeps the case too. PROTECT, so no other code path deletes a held
    record by accident; the retention job removes released holds with the
    record they named.
    """

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_holds",
        verbose_name="Fall",
    )
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_holds",
        verbose_name="Anfrage",
    )
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_holds",
        verbose_name="Person",
    )
    reason = models.TextField("Grund der Sperre")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("gesetzt am", default=timezone.now)
    released_at = models.DateTimeField("aufgehoben am", null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        verbose_name = "Löschsperre"
        verbose_name_plural = "Löschsperren"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["released_at"], name="legal_hold_released")]
        constraints = [
            models.CheckConstraint(
                name="legal_hold_names_one_record",
                condition=(
                    models.Q(case__isnull=False, referral__isnull=True, person__isnull=True)
                    | models.Q(case__isnull=True, referral__isnull=False, person__isnull=True)
                    | models.Q(case__isnull=True, referral__isnull=True, person__isnull=False)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Löschsperre {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.released_at is None

    @property
    def target_label(self) -> str:
        """What the hold keeps, by reference number only: the page never shows a name."""
        if self.case is not None:
            return f"Fall {self.case.reference}"
        if self.referral is not None:
            return f"Anfrage {self.referral.reference}"
        return f"Person Nr. {self.person_id}"


class AccessLogCheckpoint(models.Model):
    """A signed note of the chain's head at one moment (``apps.audit.anchor``).

    The signature (HMAC) uses a key the database never sees, and each
    checkpoint is also written to the system log and, if configured, mailed
    to the data protection officer. A log cut short or re-chained after a
    checkpoint no longer contains its entry with its hash. The application
    role may only add and read checkpoints, like log entries.
    """

    seq = models.BigIntegerField("Laufnummer des letzten Eintrags")
    hash = models.CharField("Hash des letzten Eintrags", max_length=64)
    at = models.DateTimeField("Zeitpunkt")
    mac = models.CharField("Signatur", max_length=64)

    class Meta:
        verbose_name = "Prüfpunkt des Zugriffsprotokolls"
        verbose_name_plural = "Prüfpunkte des Zugriffsprotokolls"
        indexes = [models.Index(fields=["-at"], name="audit_checkpoint_at")]

    def __str__(self) -> str:
        return f"Prüfpunkt {self.seq} ({self.at:%Y-%m-%d %H:%M})"
