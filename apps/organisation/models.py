"""Weimar's organisation: Sozialräume, their teams and offices, schools, streets.

All of this is master data, editable in the Django admin. Nothing here holds
personal data of clients; the rules of routing live in ``routing.py``.
"""

import datetime

from django.db import models
from django.db.models.functions import Lower


class Sozialraum(models.Model):
    name = models.CharField("Name", max_length=100, unique=True)
    slug = models.SlugField("Kürzel", max_length=40, unique=True)
    description = models.TextField("Beschreibung", blank=True)
    sort_order = models.PositiveSmallIntegerField("Reihenfolge", default=0)

    class Meta:
        verbose_name = "Sozialraum"
        verbose_name_plural = "Sozialräume"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Stadtteil(models.Model):
    name = models.CharField("Name", max_length=100, unique=True)
    sozialraum = models.ForeignKey(
        Sozialraum, on_delete=models.PROTECT, related_name="stadtteile", verbose_name="Sozialraum"
    )

    class Meta:
        verbose_name = "Stadtteil"
        verbose_name_plural = "Stadtteile"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Traeger(models.Model):
    """A body that employs staff: a carrier organisation or the city itself."""

    name = models.CharField("Name", max_length=200, unique=True)
    short_name = models.CharField("Kurzname", max_length=40, unique=True)
    is_city = models.BooleanField(
        "Stadtverwaltung", default=False, help_text="Die Stadt Weimar selbst als Anstellungsträger."
    )
    website = models.URLField("Website", blank=True)

    class Meta:
        verbose_name = "Träger"
        verbose_name_plural = "Träger"
        ordering = ["-is_city", "short_name"]

    def __str__(self) -> str:
        # As people know them: "Hufeland-Trägergesellschaft (HTG)", but
        # "AWO Mitte-West-Thüringen" without repeating "(AWO)".
        if self.short_name and self.short_name not in self.name:
            return f"{self.name} ({self.short_name})"
        return self.name


class Team(models.Model):
    """One Sozialraumteam per Sozialraum, staffed by the city and its Träger."""

    name = models.CharField("Name", max_length=120, unique=True)
    sozialraum = models.OneToOneField(
        Sozialraum, on_delete=models.PROTECT, related_name="team", verbose_name="Sozialraum"
    )
    traeger = models.ManyToManyField(
        Traeger, related_name="teams", verbose_name="Träger", blank=True
    )
    email = models.EmailField("E-Mail", blank=True)
    phone = models.CharField("Telefon", max_length=40, blank=True)

    class Meta:
        verbose_name = "Sozialraumteam"
        verbose_name_plural = "Sozialraumteams"
        ordering = ["sozialraum__sort_order"]

    def __str__(self) -> str:
        return self.name


class Standort(models.Model):
    """An office where families and schools can meet a team."""

    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="standorte", verbose_name="Team"
    )
    name = models.CharField("Bezeichnung", max_length=120)
    street = models.CharField("Straße und Hausnummer", max_length=120)
    postcode = models.CharField("PLZ", max_length=5, default="99423")
    city = models.CharField("Ort", max_length=60, default="Weimar")
    opening_hours = models.TextField("Sprechzeiten", blank=True)
    phone = models.CharField("Telefon", max_length=40, blank=True)
    email = models.EmailField("E-Mail", blank=True)
    accessibility = models.TextField("Barrierefreiheit", blank=True)
    is_primary = models.BooleanField("Hauptstandort", default=True)
    is_demo = models.BooleanField(
        "Demodaten", default=False, help_text="Erfundene Angaben für die Demo."
    )

    class Meta:
        verbose_name = "Standort"
        verbose_name_plural = "Standorte"
        ordering = ["team", "-is_primary", "name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.street}"

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postcode} {self.city}"


class Schule(models.Model):
    class Kind(models.TextChoices):
        GRUNDSCHULE = "grundschule", "Grundschule"
        REGELSCHULE = "regelschule", "Regelschule"
        GEMEINSCHAFTSSCHULE = "gemeinschaftsschule", "Gemeinschaftsschule"
        GYMNASIUM = "gymnasium", "Gymnasium"
        FOERDERZENTRUM = "foerderzentrum", "Förderzentrum"
        BERUFSBILDEND = "berufsbildend", "Berufsbildende Schule"

    school_number = models.CharField("Schulnummer", max_length=20, unique=True)
    name = models.CharField("Name", max_length=200)
    kind = models.CharField("Schulart", max_length=30, choices=Kind.choices)
    street = models.CharField("Straße und Hausnummer", max_length=120)
    postcode = models.CharField("PLZ", max_length=5, default="99423")
    stadtteil = models.ForeignKey(
        Stadtteil, on_delete=models.PROTECT, related_name="schulen", verbose_name="Stadtteil"
    )
    is_demo = models.BooleanField("Demodaten", default=False)

    class Meta:
        verbose_name = "Schule"
        verbose_name_plural = "Schulen"
        ordering = ["name"]
        indexes = [models.Index(Lower("name"), name="schule_name_lower_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        """The name for narrow columns: the kind abbreviated, the part that tells
        schools apart kept ("Grundschule „Sonnenblume“" → "GS Sonnenblume")."""
        label = str(self.Kind(self.kind).label) if self.kind in self.Kind.values else ""
        if not label or not self.name.startswith(label + " "):
            return self.name
        rest = self.name[len(label) :].strip().strip('„“"')
        return f"{SCHOOL_KIND_ABBREVIATIONS[self.kind]} {rest}" if rest else self.name

    @property
    def sozialraum(self) -> Sozialraum:
        return self.stadtteil.sozialraum


# The abbreviations Thuringian school administration uses in lists.
SCHOOL_KIND_ABBREVIATIONS: dict[str, str] = {
    Schule.Kind.GRUNDSCHULE: "GS",
    Schule.Kind.REGELSCHULE: "RS",
    Schule.Kind.GEMEINSCHAFTSSCHULE: "TGS",
    Schule.Kind.GYMNASIUM: "Gym.",
    Schule.Kind.FOERDERZENTRUM: "FöZ",
    Schule.Kind.BERUFSBILDEND: "SBBS",
}


class StreetSegment(models.Model):
    """A run of house numbers of one street, belonging to one Stadtteil.

    ``number_from``/``number_to`` are inclusive; ``parity`` lets the two sides
    of a street that forms a district border belong to different Stadtteile.
    """

    class Parity(models.TextChoices):
        ALL = "all", "alle"
        ODD = "odd", "ungerade"
        EVEN = "even", "gerade"

    street = models.CharField("Straße", max_length=120)
    street_key = models.CharField(max_length=120, editable=False, db_index=True)
    number_from = models.PositiveIntegerField("ab Hausnummer", default=1)
    number_to = models.PositiveIntegerField("bis Hausnummer", default=9999)
    parity = models.CharField("Seite", max_length=4, choices=Parity.choices, default=Parity.ALL)
    stadtteil = models.ForeignKey(
        Stadtteil, on_delete=models.PROTECT, related_name="strassen", verbose_name="Stadtteil"
    )
    is_demo = models.BooleanField("Demodaten", default=False)

    class Meta:
        verbose_name = "Straßenabschnitt"
        verbose_name_plural = "Straßenverzeichnis"
        ordering = ["street", "number_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number_from__lte=models.F("number_to")),
                name="street_segment_range_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.street} {self.number_from}–{self.number_to}"

    def save(self, *args: object, **kwargs: object) -> None:
        from apps.organisation.routing import street_key

        self.street_key = street_key(self.street)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class SchoolYearQuerySet(models.QuerySet["SchoolYear"]):
    def containing(self, day: datetime.date) -> "SchoolYear | None":
        return self.filter(starts_on__lte=day, ends_on__gte=day).first()


class SchoolYear(models.Model):
    """A Thuringian school year and its two half-years (editable data).

    Schulbegleitung is granted per school year or half-year; a grant's dates
    come from here. The school year runs 1 August to 31 July; the change of
    half-year follows the Ferienordnung of the Thuringian ministry of
    education and differs from year to year.
    """

    name = models.CharField("Schuljahr", max_length=9, unique=True, help_text="z. B. 2026/27")
    starts_on = models.DateField("Beginn")
    first_half_ends_on = models.DateField("Ende des 1. Halbjahres")
    second_half_starts_on = models.DateField("Beginn des 2. Halbjahres")
    ends_on = models.DateField("Ende")
    confirmed = models.BooleanField(
        "Termine bestätigt",
        default=False,
        help_text="Erst nach Abgleich mit der Ferienordnung des Landes setzen.",
    )

    objects = SchoolYearQuerySet.as_manager()

    class Meta:
        verbose_name = "Schuljahr"
        verbose_name_plural = "Schuljahre"
        ordering = ["starts_on"]
        indexes = [models.Index(fields=["starts_on", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                name="school_year_dates_ordered",
                condition=models.Q(starts_on__lt=models.F("first_half_ends_on"))
                & models.Q(first_half_ends_on__lt=models.F("second_half_starts_on"))
                & models.Q(second_half_starts_on__lt=models.F("ends_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"Schuljahr {self.name}"

    @property
    def first_half(self) -> tuple[datetime.date, datetime.date]:
        return self.starts_on, self.first_half_ends_on

    @property
    def second_half(self) -> tuple[datetime.date, datetime.date]:
        return self.second_half_starts_on, self.ends_on

    @property
    def whole(self) -> tuple[datetime.date, datetime.date]:
        return self.starts_on, self.ends_on

    def half_containing(self, day: datetime.date) -> tuple[datetime.date, datetime.date]:
        return self.first_half if day <= self.first_half_ends_on else self.second_half
