"""Requests from schools, families and others; consents; questions back.

A school's named request needs the parents' documented consent (§57
ThürSchulG, consent per purpose); without it the school may only send a
pseudonymised enquiry, which carries neither name nor date of birth.
"""

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import FAMILIENAMT_ROLES, Role, team_scope
from apps.organisation.models import Schule, Sozialraum, Team
from apps.referrals.workflow import OPEN_REQUEST_STATUSES, Party, SpineEvent, SpineRecord, Status

if TYPE_CHECKING:
    from apps.accounts.models import User

CONSENT_SCAN_MAX_BYTES = 5 * 1024 * 1024


class RequestSource(models.Model):
    """Who suggested the help ("Anregung durch"), as the annual statistics ask it.

    Editable data: the Familienamt may rename or add sources; each maps to one
    category of the KJH-Statistik (§§ 98 ff. SGB VIII, Teil I), which is what
    the statistics export counts. Code refers to a source only by its ``code``.
    """

    # Codes the code relies on (kept by the data migration; never delete these rows).
    SCHOOL = "school"
    FAMILY = "family"
    YOUNG_PERSON = "youth"
    KITA = "kita"
    DOCTOR = "doctor"
    POLICE = "police"
    OTHER_OFFICE = "authority"
    COUNSELLING_CENTRE = "counsel"
    RELATIVES = "relatives"
    ANONYMOUS = "anonymous"
    OTHER = "other"

    class StatisticsCategory(models.TextChoices):
        # "Anregende Institution oder Person" of the KJH-Statistik (assumed wording, to confirm)
        YOUNG_PERSON = "young_person", "junger Mensch selbst"
        PARENTS = "parents", "Eltern / Personensorgeberechtigte"
        SCHOOL = "school", "Schule"
        KITA = "kita", "Kindertageseinrichtung / Kindertagespflege"
        SOCIAL_SERVICES = "social_services", "Soziale Dienste / andere Stellen der Jugendhilfe"
        COURT_POLICE = "court_police", "Gericht / Staatsanwaltschaft / Polizei"
        HEALTH = "health", "Arzt / Klinik / Gesundheitsamt"
        COUNSELLING = "counselling", "Beratungsstelle"
        RELATIVES = "relatives", "Verwandte / Nachbarn / Bekannte"
        ANONYMOUS = "anonymous", "anonyme Meldung"
        OTHER = "other", "Sonstige"

    # As long as the column Referral.source had before (no table rewrite).
    code = models.SlugField("Kennung", max_length=10, unique=True)
    name = models.CharField("Bezeichnung", max_length=80, unique=True)
    statistics_category = models.CharField(
        "Kategorie der KJH-Statistik", max_length=20, choices=StatisticsCategory.choices
    )
    office_intake = models.BooleanField(
        "bei Aufnahme im Büro/am Telefon wählbar",
        default=True,
        help_text="Schulen melden über ihr eigenes Formular; hier geht es um alle anderen.",
    )
    sort_order = models.PositiveSmallIntegerField("Reihenfolge", default=0)

    class Meta:
        verbose_name = "Anregung durch"
        verbose_name_plural = "Anregung durch (Herkunft von Anfragen)"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class ReferralQuerySet(models.QuerySet["Referral"]):
    def visible_to(self, user: "User") -> "ReferralQuerySet":
        """Familienamt: all; team: their team's; school leader: their school's."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        roles = user.role_names
        if roles & FAMILIENAMT_ROLES:
            return self.exclude(status=Status.DRAFT)
        scope = Q(pk__in=[])
        if Role.TEAM in roles:
            scope |= Q(team__in=user.teams) & ~Q(status=Status.DRAFT)
        if Role.SCHULLEITUNG in roles:
            scope |= Q(school__in=user.schools)
        return self.filter(scope)

    def open(self) -> "ReferralQuerySet":
        return self.filter(status__in=OPEN_REQUEST_STATUSES)

    def waiting_longer_than(self, days: int) -> "ReferralQuerySet":
        return self.filter(received_at__lt=timezone.now() - timedelta(days=days))


class Referral(SpineRecord):
    class Kind(models.TextChoices):
        SCHULBEGLEITUNG = "schulbegleitung", "Schulbegleitung"
        KINDERSCHUTZ = "kinderschutz", "Kinderschutz (§ 8a SGB VIII)"
        OTHER_HELP = "other_help", "Andere Hilfe"

    class Channel(models.TextChoices):
        """How the request came in."""

        SCHOOL_FORM = "school_form", "Formular der Schule"
        ONLINE = "online", "Online-Formular"
        OFFICE = "office", "persönlich im Büro"
        PHONE = "phone", "telefonisch"
        WRITING = "writing", "schriftlich (Brief, E-Mail)"

    stale_name = "Die Anfrage"
    reference = models.CharField("Aktenzeichen", max_length=20, unique=True, editable=False)
    kind = models.CharField("Art", max_length=20, choices=Kind.choices)
    # The column keeps its old name and its values ("school", "family", "other"):
    # the codes of RequestSource continue them.
    source = models.ForeignKey(
        RequestSource,
        on_delete=models.PROTECT,
        to_field="code",
        db_column="source",
        related_name="referrals",
        verbose_name="Anregung durch",
    )
    channel = models.CharField(
        "Eingangsweg", max_length=12, choices=Channel.choices, default=Channel.SCHOOL_FORM
    )
    # Set when a Sozialraumteam took the request itself at its office (Erstberatung):
    # that team may then open the case without the Familienamt's queue.
    recorded_by_team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recorded_referrals",
        verbose_name="aufgenommen vom Sozialraumteam",
    )
    school = models.ForeignKey(
        Schule, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Not a double-submit guard (that is apps.core.submissions): random for a real
    # request; the demo seeder derives it from its seed to find its own requests again.
    submission_key = models.UUIDField(
        default=uuid.uuid4,
        unique=True,
        help_text="Random; the demo seeder's stable key for the requests it filed.",
    )

    # The pupil. A pseudonymised enquiry has initials and year of birth only.
    pseudonymised = models.BooleanField("pseudonymisiert", default=False)
    first_name = models.CharField("Vorname", max_length=100, blank=True)
    last_name = models.CharField("Nachname", max_length=100, blank=True)
    initials = models.CharField("Initialen", max_length=6, blank=True)
    date_of_birth = models.DateField("Geburtsdatum", null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField("Geburtsjahr", null=True, blank=True)
    school_class = models.CharField("Klasse", max_length=20, blank=True)
    street = models.CharField("Straße", max_length=120, blank=True)
    house_number = models.CharField("Hausnummer", max_length=10, blank=True)

    # What the school sees and needs
    observations = models.TextField("Beobachtungen der Schule", blank=True)
    needs = models.TextField("Unterstützungsbedarf aus Sicht der Schule", blank=True)
    measures_tried = models.TextField("Bisherige Maßnahmen der Schule", blank=True)
    contact_name = models.CharField("Ansprechperson in der Schule", max_length=120, blank=True)
    contact_phone = models.CharField("Telefon", max_length=40, blank=True)
    contact_email = models.EmailField("E-Mail", blank=True)
    urgent = models.BooleanField("dringend", default=False)

    # Triage
    status = models.CharField(
        "Status", max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    whose_move = models.CharField(
        "Am Zug", max_length=15, choices=Party.choices, default=Party.FAMILIENAMT
    )
    whose_move_since = models.DateTimeField("am Zug seit", default=timezone.now)
    sozialraum = models.ForeignKey(
        Sozialraum, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    routing_note = models.CharField("Zuständigkeit ermittelt aus", max_length=200, blank=True)
    override_reason = models.TextField("Begründung der Umleitung", blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_referrals",
        verbose_name="Bearbeitung im Familienamt",
    )
    rejection_reason = models.TextField("Ablehnungsgrund (für die Schule sichtbar)", blank=True)
    received_at = models.DateTimeField("eingegangen", default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = "Anfrage"
        verbose_name_plural = "Anfragen"
        ordering = ["received_at", "pk"]
        indexes = [
            models.Index(fields=["status", "received_at", "id"]),
            # The queue filtered by one status (e.g. the declined ones of all years):
            # in the queue's order, so a page reads 50 entries instead of sorting thousands.
            models.Index(
                fields=["status", "-urgent", "received_at", "id"], name="referral_status_queue"
            ),
            # The triage queue: the open requests, oldest first, without the decades behind.
            models.Index(
                fields=["received_at", "id"],
                condition=Q(status__in=sorted(OPEN_REQUEST_STATUSES)),
                name="referral_open_received",
            ),
            # The queue's counts of finished requests cover the last year only.
            models.Index(fields=["received_at", "status", "kind"], name="referral_received"),
            # The steering figures: a period's requests and their filters from the index alone.
            models.Index(
                fields=["received_at"],
                include=["id", "status", "kind", "source", "team", "sozialraum", "school"],
                name="referral_received_steering",
            ),
            models.Index(fields=["school", "status"]),
            models.Index(fields=["team", "status"]),
            models.Index(fields=["sozialraum", "status"]),
            models.Index(fields=["kind", "status"]),
            models.Index(fields=["urgent", "status"]),
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["source", "received_at"]),
            models.Index(fields=["recorded_by_team", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="pseudonymised_referral_has_no_identity",
                condition=Q(pseudonymised=False)
                | Q(first_name="", last_name="", date_of_birth__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("referrals:detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        if self.pseudonymised:
            return f"{self.initials or '–'} (pseudonymisiert)"
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES


class Consent(models.Model):
    """A consent (Einwilligung / Schweigepflichtentbindung): who, what for, to whom, how long."""

    class Purpose(models.TextChoices):
        REFERRAL = "referral", "Weitergabe der Anfrage an Familienamt und Sozialraumteam"
        CASE_CONFERENCE = "case_conference", "Besprechung in der Fallberatung des Teams"
        SCHOOL_FEEDBACK = "school_feedback", "Rückmeldung an die Schule"

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="consents", null=True, blank=True
    )
    given_by = models.CharField("Einwilligung erteilt von", max_length=120)
    relation = models.CharField("Beziehung zum Kind", max_length=60, default="Sorgeberechtigte")
    given_on = models.DateField("erteilt am")
    purpose = models.CharField("Zweck", max_length=30, choices=Purpose.choices)
    recipients = models.CharField(
        "Empfänger",
        max_length=300,
        default="Familienamt Weimar und das zuständige Sozialraumteam",
    )
    valid_until = models.DateField("gültig bis", null=True, blank=True)
    withdrawn_at = models.DateTimeField("widerrufen am", null=True, blank=True)
    scan = models.FileField(
        "Scan der unterschriebenen Erklärung",
        upload_to="consents/%Y/",
        blank=True,
        validators=[FileExtensionValidator(["pdf", "png", "jpg", "jpeg"])],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Einwilligung"
        verbose_name_plural = "Einwilligungen"
        ordering = ["-given_on"]
        indexes = [models.Index(fields=["valid_until"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_on:%d.%m.%Y})"

    @property
    def is_valid(self) -> bool:
        today = timezone.localdate()
        return self.withdrawn_at is None and (self.valid_until is None or self.valid_until >= today)


class Question(models.Model):
    """A Rückfrage from the Familienamt to the school, and the school's answer."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField("Frage")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField("Antwort", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Rückfrage"
        verbose_name_plural = "Rückfragen"
        ordering = ["asked_at"]

    def __str__(self) -> str:
        return f"Rückfrage zu {self.referral_id}"


class ReferralEvent(SpineEvent):
    """The request's timeline: every status change, who, when."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")

    class Meta(SpineEvent.Meta):
        indexes = [
            models.Index(fields=["referral", "at"]),
            # The steering figures read the events since a period began, not all of them.
            models.Index(
                fields=["at"],
                include=["referral", "from_status", "to_status"],
                name="referral_event_at",
            ),
        ]


class ReferralDraft(models.Model):
    """What a school leader has typed so far; kept until the request is sent."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_drafts"
    )
    kind = models.CharField(max_length=20, choices=Referral.Kind.choices)
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "kind"], name="one_referral_draft_per_kind")
        ]

    def __str__(self) -> str:
        return f"Entwurf {self.kind}"


class SavedFilter(models.Model):
    """A triage filter a person saved under a name (only filter values, never names)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters"
    )
    name = models.CharField("Name", max_length=60)
    query = models.CharField(max_length=500)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_filter_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class EmergencyContact(models.Model):
    """Numbers shown on the child-protection form (editable data)."""

    label = models.CharField("Bezeichnung", max_length=120)
    phone = models.CharField("Telefon", max_length=40)
    hint = models.CharField("Hinweis", max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "Notfallkontakt"
        verbose_name_plural = "Notfallkontakte"
        ordering = ["sort_order", "label"]

    def __str__(self) -> str:
        return self.label


class CounsellingContactQuerySet(models.QuerySet["CounsellingContact"]):
    def visible_to(self, user: "User") -> "CounsellingContactQuerySet":
        """Familienamt: all; team members: their team's. No names are ever stored."""
        return self.filter(team_scope(user))


class CounsellingContact(models.Model):
    """A short counselling contact that needs no case (an Erstberatung that ends there).

    Deliberately without a name or free text: it exists to be counted.
    """

    class Topic(models.TextChoices):
        UPBRINGING = "upbringing", "Erziehungsfragen"
        SCHOOL = "school", "Schule und Schulbegleitung"
        DISABILITY = "disability", "Behinderung und Teilhabe"
        SEPARATION = "separation", "Trennung, Scheidung, Umgang"
        CONFLICT = "conflict", "Konflikte in der Familie"
        MONEY = "money", "Geld, Wohnen, Arbeit"
        HEALTH = "health", "Gesundheit, Sucht"
        OTHER = "other", "Sonstiges"

    class Outcome(models.TextChoices):
        INFORMATION = "information", "Information und Beratung, erledigt"
        REFERRED = "referred", "an eine andere Stelle vermittelt"
        FOLLOW_UP = "follow_up", "weiteres Gespräch vereinbart"
        REQUEST = "request", "Anfrage aufgenommen"

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="counselling_contacts", verbose_name="Team"
    )
    date = models.DateField("Datum", default=timezone.localdate)
    source = models.ForeignKey(
        RequestSource,
        on_delete=models.PROTECT,
        to_field="code",
        related_name="counselling_contacts",
        verbose_name="Wer kam",
    )
    channel = models.CharField(
        "Weg", max_length=12, choices=Referral.Channel.choices, default=Referral.Channel.OFFICE
    )
    topic = models.CharField("Thema", max_length=20, choices=Topic.choices)
    outcome = models.CharField("Ergebnis", max_length=20, choices=Outcome.choices)
    referred_to = models.CharField(
        "vermittelt an", max_length=120, blank=True, help_text="Eine Stelle, nie eine Person."
    )
    duration_minutes = models.PositiveSmallIntegerField("Dauer in Minuten", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = CounsellingContactQuerySet.as_manager()

    class Meta:
        verbose_name = "Beratungskontakt ohne Fall"
        verbose_name_plural = "Beratungskontakte ohne Fall"
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["team", "date"]),
            models.Index(fields=["date"]),
        ]

    def __str__(self) -> str:
        return f"Beratungskontakt {self.date:%d.%m.%Y}"
