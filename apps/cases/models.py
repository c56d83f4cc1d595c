"""Persons (children), cases, their timeline, recommendations and decisions."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import FAMILIENAMT_ROLES, Role, team_scope
from apps.organisation.models import Schule, Sozialraum, Team
from apps.referrals.models import Referral
from apps.referrals.workflow import Party, SpineEvent, SpineRecord, Status, Transition

if TYPE_CHECKING:
    from apps.accounts.models import User


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: "User") -> "PersonQuerySet":
        if not user.is_authenticated or not user.is_active:
            return self.none()
        roles = user.role_names
        if roles & FAMILIENAMT_ROLES:
            return self
        if Role.TEAM in roles:
            # EXISTS, not a join with DISTINCT: no de-duplication of every match
            # before a search ranks a few of them (apps/cases/search.py).
            return self.filter(
                models.Exists(
                    Case.objects.filter(person=models.OuterRef("pk"), team__in=user.teams)
                )
            )
        return self.none()


class Gender(models.TextChoices):
    """As the official youth-welfare statistics ask it (KJH-Statistik)."""

    FEMALE = "w", "weiblich"
    MALE = "m", "männlich"
    DIVERSE = "d", "divers"
    UNSTATED = "x", "ohne Angabe"


class Person(models.Model):
    """A child known to the Familienamt. Never merged silently: see duplicates."""

    first_name = models.CharField("Vorname", max_length=100)
    last_name = models.CharField("Nachname", max_length=100)
    date_of_birth = models.DateField("Geburtsdatum")
    # Asked when a case is opened (statistics); "" only for persons from before.
    gender = models.CharField("Geschlecht", max_length=1, choices=Gender.choices, blank=True)
    name_key = models.CharField(max_length=220, editable=False, db_index=True)
    street = models.CharField("Straße", max_length=120, blank=True)
    house_number = models.CharField("Hausnummer", max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "Person"
        verbose_name_plural = "Personen"
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["date_of_birth"]),
            GinIndex(OpClass(Upper("name_key"), name="gin_trgm_ops"), name="person_name_trgm"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def save(self, *args: object, **kwargs: object) -> None:
        from apps.cases.duplicates import name_key

        self.name_key = name_key(self.first_name, self.last_name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Provider(models.Model):
    """A provider of Schulbegleitung (Leistungserbringer), e.g. a regional team."""

    name = models.CharField("Name", max_length=160, unique=True)
    organisation = models.CharField("Organisation", max_length=160)

    class Meta:
        verbose_name = "Leistungserbringer"
        verbose_name_plural = "Leistungserbringer"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Pool(models.Model):
    """Assistants shared by several pupils at one school; each keeps their own grant."""

    school = models.ForeignKey(Schule, on_delete=models.PROTECT, related_name="pools")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="pools")
    name = models.CharField("Bezeichnung", max_length=120)

    class Meta:
        verbose_name = "Pool"
        verbose_name_plural = "Pools"
        ordering = ["school__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.school})"


class DecisionField(models.TextChoices):
    """The details a grant may carry; each kind of help says which it needs."""

    HOURS = "hours_per_week", "Stunden pro Woche"
    PERIOD = "period", "Zeitraum (Schuljahr oder Schulhalbjahr)"
    PROVIDER = "provider", "Leistungserbringer"
    POOL = "pool", "Pool an der Schule"
    HELP_FORM = "help_form", "Art bzw. Form der Hilfe"
    EXTENT = "extent", "Umfang"
    START = "valid_from", "Beginn"
    END = "valid_until", "Ende"
    REVIEW = "review_on", "Überprüfung am"


class HelpKind(models.Model):
    """A kind of help that can be decided, with what its decision needs (editable data)."""

    # Codes the code relies on; the data migration creates these rows.
    SCHULBEGLEITUNG_35A = "sb_35a"
    SCHULBEGLEITUNG_112 = "sb_112"
    ERZIEHUNGSHILFE = "hze"
    EINGLIEDERUNGSHILFE = "egh_35a"
    BERATUNG_16 = "beratung_16"
    BERATUNG_28 = "beratung_28"
    # The § 8a track: a case's kind, never a grant's (the row is not active).
    KINDERSCHUTZ = "kinderschutz"

    class Group(models.TextChoices):
        SCHULBEGLEITUNG = "schulbegleitung", "Schulbegleitung"
        ERZIEHUNGSHILFE = "erziehungshilfe", "Hilfen zur Erziehung"
        EINGLIEDERUNGSHILFE = "eingliederungshilfe", "Eingliederungshilfe"
        BERATUNG = "beratung", "Beratung"
        KINDERSCHUTZ = "kinderschutz", "Kinderschutz"

    # § 9b SGB VIII: files of these groups are kept until the 30th birthday + 70 years.
    LONG_RETENTION_GROUPS = frozenset(
        {Group.SCHULBEGLEITUNG, Group.ERZIEHUNGSHILFE, Group.EINGLIEDERUNGSHILFE}
    )

    code = models.SlugField("Kennung", max_length=20, unique=True)
    name = models.CharField("Bezeichnung", max_length=120, unique=True)
    legal_basis = models.CharField("Rechtsgrundlage", max_length=80)
    group = models.CharField("Gruppe", max_length=20, choices=Group.choices)
    required_fields = ArrayField(
        models.CharField(max_length=20, choices=DecisionField.choices),
        verbose_name="Pflichtangaben einer Bewilligung",
        default=list,
        blank=True,
    )
    optional_fields = ArrayField(
        models.CharField(max_length=20, choices=DecisionField.choices),
        verbose_name="freiwillige Angaben einer Bewilligung",
        default=list,
        blank=True,
    )
    help_form_label = models.CharField(
        "Beschriftung „Art/Form der Hilfe“", max_length=60, blank=True
    )
    help_forms = ArrayField(
        models.CharField(max_length=120),
        verbose_name="wählbare Arten/Formen der Hilfe",
        default=list,
        blank=True,
        help_text="Leer: freie Eingabe.",
    )
    active = models.BooleanField("für neue Bescheide wählbar", default=True)
    sort_order = models.PositiveSmallIntegerField("Reihenfolge", default=0)

    class Meta:
        verbose_name = "Hilfeart"
        verbose_name_plural = "Hilfearten"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.legal_basis})"

    @property
    def decision_fields(self) -> list[str]:
        """Required and optional fields, in the order the form shows them."""
        wanted = set(self.required_fields) | set(self.optional_fields)
        return [name for name in DecisionField.values if name in wanted]


def case_scope(user: "User", via: str = "") -> Q:
    """The cases ``user`` sees, as a condition on the case reached through ``via``.

    Familienamt: all (an empty ``Q``); team members: their team's; nobody else
    sees cases. The one place of the rule: ``visible_to`` and the notes use it.
    As a condition on the case's own row, a query for one case's notes checks
    that one case instead of collecting every case the user may see.
    """
    return team_scope(user, via)
    roles = user.role_names
    if roles & FAMILIENAMT_ROLES:
        return Q()
    if Role.TEAM in roles:
        return Q(**{f"{via}team__in": user.teams})
    return Q(pk__in=[])


class ClosingReason(models.Model):
    """Why a case ended (Beendigungsgrund): a choice list kept as data, not code."""

    key = models.SlugField("Kürzel", max_length=40, unique=True)
    label = models.CharField("Bezeichnung", max_length=120)
    statistics_code = models.CharField(
        "Schlüssel der KJH-Statistik",
        max_length=10,
        blank=True,
        help_text="Annahme, mit dem Statistischen Landesamt abzustimmen.",
    )
    sort_order = models.PositiveSmallIntegerField("Reihenfolge", default=0)
    active = models.BooleanField("wählbar", default=True)

    class Meta:
        verbose_name = "Beendigungsgrund"
        verbose_name_plural = "Beendigungsgründe"
        ordering = ["sort_order", "label"]

    def __str__(self) -> str:
        return self.label


class ChildProtectionResult(models.TextChoices):
    """The result of a § 8a assessment, in the four classes of the statistics."""

    ACUTE = "acute", "akute Kindeswohlgefährdung"
    LATENT = "latent", "latente Kindeswohlgefährdung"
    NEED = "need", "keine Kindeswohlgefährdung, aber Hilfe- oder Unterstützungsbedarf"
    NONE = "none", "keine Kindeswohlgefährdung und kein weiterer Hilfebedarf"


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: "User") -> "CaseQuerySet":
        """Familienamt: all; team members: their team's; nobody else sees cases."""
        return self.filter(case_scope(user))

    def open(self) -> "CaseQuerySet":
        return self.exclude(status=Status.CLOSED)


class Case(SpineRecord):
    stale_name = "Der Fall"
    reference = models.CharField("Aktenzeichen", max_length=20, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="case"
    )
    school = models.ForeignKey(
        Schule, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    sozialraum = models.ForeignKey(Sozialraum, on_delete=models.PROTECT, related_name="cases")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="fallführende Fachkraft",
    )
    # The same data the decision uses; empty while the kind of help is still open.
    # The column keeps its name and holds the kind's code (to_field), so existing
    # rows needed no rewrite (migration 0010).
    help_kind = models.ForeignKey(
        HelpKind,
        on_delete=models.PROTECT,
        to_field="code",
        db_column="help_kind",
        db_index=False,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="Hilfeart",
    )
    status = models.CharField(
        "Status", max_length=20, choices=Status.choices, default=Status.WITH_TEAM
    )
    whose_move = models.CharField(
        "Am Zug", max_length=15, choices=Party.choices, default=Party.TEAM
    )
    whose_move_since = models.DateTimeField("am Zug seit", default=timezone.now)
    opened_at = models.DateTimeField("eröffnet", default=timezone.now)
    closed_at = models.DateTimeField("abgeschlossen", null=True, blank=True)
    closing_reason = models.ForeignKey(
        ClosingReason,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="Beendigungsgrund",
    )
    child_protection_result = models.CharField(
        "Ergebnis der Gefährdungseinschätzung (§ 8a)",
        max_length=10,
        choices=ChildProtectionResult.choices,
        blank=True,
    )
    # The family's will in their own words stays apart from the professional view.
    family_goals = models.TextField("Ziele der Familie in ihren eigenen Worten", blank=True)
    assessment = models.TextField("Fachliche Einschätzung", blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "Fall"
        verbose_name_plural = "Fälle"
        ordering = ["-opened_at", "-pk"]
        # The case list sorts by (opened_at, id), newest first, and filters by team
        # and status: each index below serves one list without sorting all cases.
        indexes = [
            models.Index(fields=["opened_at", "id"], name="case_opened"),
            # The steering figures: the cases opened since a period began and their requests.
            models.Index(
                fields=["opened_at"], include=["id", "referral"], name="case_opened_referral"
            ),
            # A decision's case and where it belongs, without reading the case's row.
            models.Index(
                fields=["id"], include=["sozialraum", "team", "school"], name="case_id_placement"
            ),
            # ... and the cases closed since then (or open), with their reason and team.
            models.Index(
                fields=["closed_at"],
                include=["id", "status", "closing_reason", "opened_at", "team"],
                name="case_closed_steering",
            ),
            models.Index(fields=["team", "opened_at", "id"], name="case_team_opened"),
            models.Index(fields=["status", "opened_at", "id"], name="case_status_opened"),
            models.Index(
                fields=["team", "status", "opened_at", "id"], name="case_team_status_opened"
            ),
            # Open cases are a few thousand of the years' hundred thousand: the start
            # pages and the Leitung's figures read only this.
            models.Index(
                fields=["team", "whose_move", "whose_move_since", "id"],
                include=["status"],
                condition=~Q(status=Status.CLOSED),
                name="case_open_team_move",
            ),
            models.Index(fields=["status", "whose_move_since"]),
            models.Index(fields=["worker", "status"]),
            models.Index(fields=["whose_move", "status"]),
            models.Index(fields=["closed_at", "closing_reason"]),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    @property
    def help_kind_label(self) -> str:
        return str(self.help_kind) if self.help_kind_id else "noch offen"

    @property
    def is_child_protection(self) -> bool:
        return self.help_kind_id == HelpKind.KINDERSCHUTZ

    def moved(self, step: Transition) -> None:
        if step.target == Status.CLOSED:
            self.closed_at = timezone.now()
        elif step.source == Status.CLOSED:
            self.closed_at = None


class CaseEvent(SpineEvent):
    """The case's timeline entry for a status change or a decision (no content)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")

    class Meta(SpineEvent.Meta):
        indexes = [models.Index(fields=["case", "at"])]


class Recommendation(models.Model):
    """A team's recommendation; only the Familienamt decides."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recommendations")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    text = models.TextField("Empfehlung")
    hours_per_week = models.DecimalField(
        "empfohlene Stunden pro Woche", max_digits=4, decimal_places=1, null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Empfehlung zu {self.case_id}"


class Decision(models.Model):
    """A formal decision (Bescheid): a grant or a refusal, by the Familienamt only."""

    class Outcome(models.TextChoices):
        GRANTED = "granted", "bewilligt"
        REFUSED = "refused", "abgelehnt"

    class Period(models.TextChoices):
        SCHOOL_YEAR = "school_year", "Schuljahr"
        HALF_YEAR = "half_year", "Schulhalbjahr"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    reference = models.CharField("Bescheid-Nr.", max_length=24, unique=True, editable=False)
    help_kind = models.ForeignKey(
        HelpKind,
        on_delete=models.PROTECT,
        to_field="code",
        related_name="decisions",
        verbose_name="Hilfeart",
    )
    outcome = models.CharField("Ergebnis", max_length=10, choices=Outcome.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField("Begründung")
    hours_per_week = models.DecimalField(
        "Stunden pro Woche", max_digits=4, decimal_places=1, null=True, blank=True
    )
    period = models.CharField("Zeitraum", max_length=12, choices=Period.choices, blank=True)
    valid_from = models.DateField("gültig ab", null=True, blank=True)
    valid_until = models.DateField("gültig bis", null=True, blank=True)
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    pool = models.ForeignKey(
        Pool, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    help_form = models.CharField("Art/Form der Hilfe", max_length=120, blank=True)
    extent = models.CharField(
        "Umfang", max_length=120, blank=True, help_text="z. B. 4 Fachleistungsstunden pro Woche"
    )
    review_on = models.DateField("Überprüfung am", null=True, blank=True)
    backdating_reason = models.TextField(
        "Begründung für einen Beginn in der Vergangenheit", blank=True
    )

    class Meta:
        verbose_name = "Bescheid"
        verbose_name_plural = "Bescheide"
        ordering = ["-decided_at"]
        indexes = [
            models.Index(fields=["outcome", "valid_until"]),
            models.Index(fields=["help_kind", "outcome", "decided_at"]),
            models.Index(fields=["outcome", "valid_from"]),
            models.Index(fields=["case", "decided_at"]),
            # The steering figures read the decisions since a period began, not all of them.
            models.Index(fields=["decided_at"], include=["case"], name="decision_decided_at"),
            # ... and the grants running on a day or in a year from the index alone.
            models.Index(
                fields=["valid_until"],
                include=["valid_from", "case", "provider", "pool", "help_kind", "hours_per_week"],
                condition=Q(outcome="granted"),
                name="decision_granted_until",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="decision_period_ordered",
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_from__lte=models.F("valid_until")),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("cases:decision", args=[self.case_id, self.pk])
