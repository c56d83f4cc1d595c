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


class ObjectType(models.TextChoices):
    REFERRAL = "referral", "Anfrage"
    CASE = "case", "Fall"
    PERSON = "person", "Person"
    NOTE = "note", "Notiz"
    DECISION = "decision", "Bescheid"
    CONSENT = "consent", "Einwilligung"
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
