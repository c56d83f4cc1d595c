"""The yearly export for the official child and youth welfare statistics (KJH-Statistik).

Part I (educational help, § 35a integration help, help for young adults):
one row per help begun in the year, running on 31 December, or ended in the
year; and one row per § 8a assessment. Only the characteristics the project
records are exported; docs/statistics.md lists the columns and says which
parts of the delivery format are assumptions to confirm with the Thuringian
statistics office.

A help begins with its first grant (Bescheid ``bewilligt``, ``gültig ab``);
refused or never granted cases are no help in the statistics' sense.
"""

import csv
import datetime
import io
from collections.abc import Iterator
from typing import Any

from django.db.models import F, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.cases.models import Case, ChildProtectionResult, Decision, Gender
from apps.referrals.models import Referral, RequestSource
from apps.referrals.workflow import Status

# Age groups as the statistics count them (age in whole years at the begin of the help).
AGE_GROUPS = (
    (0, 3, "unter 3"),
    (3, 6, "3 bis unter 6"),
    (6, 9, "6 bis unter 9"),
    (9, 12, "9 bis unter 12"),
    (12, 15, "12 bis unter 15"),
    (15, 18, "15 bis unter 18"),
    (18, 21, "18 bis unter 21"),
    (21, 27, "21 bis unter 27"),
)

HELP_COLUMNS = (
    "Meldeart",
    "Lfd. Nr.",
    "Hilfeart",
    "Rechtsgrundlage",
    "Beginn Monat",
    "Beginn Jahr",
    "Ende Monat",
    "Ende Jahr",
    "Geschlecht",
    "Altersgruppe bei Beginn",
    "junge:r Volljährige:r",
    "Anregung durch",
    "Beendigungsgrund",
    "Schlüssel Beendigungsgrund",
)
ASSESSMENT_COLUMNS = (
    "Lfd. Nr.",
    "Monat der Meldung",
    "Jahr der Meldung",
    "Geschlecht",
    "Altersgruppe",
    "Anregung durch",
    "Ergebnis der Gefährdungseinschätzung",
)


def age_on(birth: datetime.date | None, day: datetime.date | None) -> int | None:
    if birth is None or day is None:
        return None
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_group(age: int | None) -> str:
    if age is None:
        return "unbekannt"
    for low, high, label in AGE_GROUPS:
        if low <= age < high:
            return label
    return "27 und älter"


def _helps(year: int) -> Iterator[dict[str, Any]]:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    local = timezone.get_current_timezone()
    tz_end = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, local)
    tz_start = datetime.datetime.combine(start, datetime.time.min, local)
    granted = Q(decisions__outcome=Decision.Outcome.GRANTED)
    # The kind of help of the first grant, as the data (HelpKind) names it; the
    # case's own kind where that grant is older than the kinds as data.
    first_grant = Decision.objects.filter(
        case=OuterRef("pk"), outcome=Decision.Outcome.GRANTED
    ).order_by("valid_from", "pk")
    cases = (
        Case.objects.annotate(
            begin=Min("decisions__valid_from", filter=granted),
            kind_name=Coalesce(
                Subquery(first_grant.values("help_kind__name")[:1]), F("help_kind__name")
            ),
            legal_basis=Coalesce(
                Subquery(first_grant.values("help_kind__legal_basis")[:1]),
                F("help_kind__legal_basis"),
            ),
        )
        .filter(begin__isnull=False, begin__lte=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=tz_start))
        .values(
            "pk",
            "kind_name",
            "legal_basis",
            "begin",
            "closed_at",
            "status",
            "person__gender",
            "person__date_of_birth",
            "referral__source",
            "closing_reason__label",
            "closing_reason__statistics_code",
        )
        .order_by("begin", "pk")
    )
    for case in cases.iterator(chunk_size=2000):
        closed = case["closed_at"]
        kinds = []
        if case["begin"] >= start:
            kinds.append("begonnen")
        if closed is None or closed >= tz_end:
            kinds.append("andauernd am 31.12.")
        elif case["status"] == Status.CLOSED:
            kinds.append("beendet")
        for kind in kinds:
            yield {"kind": kind, **case}


def _sources() -> dict[str, str]:
    """Each request source's category in the statistics ("Anregung durch")."""
    labels = dict(RequestSource.StatisticsCategory.choices)
    return {
        code: labels.get(category, category)
        for code, category in RequestSource.objects.values_list("code", "statistics_category")
    }


def help_rows(year: int) -> Iterator[list[str]]:
    sources = _sources()
    genders = dict(Gender.choices)
    for number, row in enumerate(_helps(year), start=1):
        ended = row["kind"] == "beendet"
        closed = timezone.localtime(row["closed_at"]) if row["closed_at"] else None
        age = age_on(row["person__date_of_birth"], row["begin"])
        yield [
            row["kind"],
            str(number),
            row["kind_name"] or "",
            row["legal_basis"] or "",
            str(row["begin"].month),
            str(row["begin"].year),
            str(closed.month) if ended and closed else "",
            str(closed.year) if ended and closed else "",
            genders.get(row["person__gender"], "ohne Angabe"),
            age_group(age),
            "ja" if age is not None and age >= 18 else "nein",
            sources.get(row["referral__source"] or "", "Familienamt (ohne Anfrage)"),
            (row["closing_reason__label"] or "") if ended else "",
            (row["closing_reason__statistics_code"] or "") if ended else "",
        ]


def assessment_rows(year: int) -> Iterator[list[str]]:
    sources = _sources()
    genders = dict(Gender.choices)
    results = dict(ChildProtectionResult.choices)
    reports = (
        Referral.objects.filter(kind=Referral.Kind.KINDERSCHUTZ, received_at__year=year)
        .exclude(status=Status.DRAFT)
        .values(
            "received_at",
            "source",
            "date_of_birth",
            "case__person__gender",
            "case__person__date_of_birth",
            "case__child_protection_result",
        )
        .order_by("received_at", "pk")
    )
    for number, row in enumerate(reports.iterator(chunk_size=2000), start=1):
        received = timezone.localtime(row["received_at"])
        birth = row["case__person__date_of_birth"] or row["date_of_birth"]
        yield [
            str(number),
            str(received.month),
            str(received.year),
            genders.get(row["case__person__gender"] or "", "ohne Angabe"),
            age_group(age_on(birth, received.date())),
            sources.get(str(row["source"]), ""),
            results.get(row["case__child_protection_result"] or "", "noch nicht erfasst"),
        ]


def export_csv(year: int, part: str) -> str:
    """The export as CSV (semicolon, UTF-8 with byte order mark)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    if part == "8a":
        writer.writerow(ASSESSMENT_COLUMNS)
        writer.writerows(assessment_rows(year))
    else:
        writer.writerow(HELP_COLUMNS)
        writer.writerows(help_rows(year))
    return "\ufeff" + out.getvalue()
