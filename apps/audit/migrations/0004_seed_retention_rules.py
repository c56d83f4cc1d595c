"""The first retention rules. Only the § 9b period is law; the others are
assumptions for the Familienamt to confirm, and say so."""

from django.db import migrations

RULES = [
    {
        "kind": "case_eingliederungshilfe_erziehungshilfe",
        "description": (
            "§ 9b SGB VIII (seit 1. Juli 2025): Akten der Hilfe zur Erziehung und der "
            "Eingliederungshilfe (§ 35a SGB VIII, § 112 SGB IX) werden bis 70 Jahre nach "
            "Vollendung des 30. Lebensjahres aufbewahrt, also bis zum 100. Geburtstag."
        ),
        "years": 100,
        "months": 0,
        "anchor": "date_of_birth",
    },
    {
        "kind": "case_other",
        "description": (
            "Annahme, vom Familienamt zu bestätigen: andere Fallakten (z. B. Kinderschutz "
            "nach § 8a SGB VIII, Fälle ohne festgelegte Hilfeart) 10 Jahre nach Abschluss."
        ),
        "years": 10,
        "months": 0,
        "anchor": "closed_at",
    },
    {
        "kind": "referral_without_case",
        "description": (
            "Annahme, vom Familienamt zu bestätigen: Anfragen, aus denen kein Fall wurde "
            "(abgelehnt), 1 Jahr nach der Ablehnung."
        ),
        "years": 1,
        "months": 0,
        "anchor": "ended_at",
    },
]


def seed(apps, schema_editor):
    RetentionRule = apps.get_model("audit", "RetentionRule")
    for rule in RULES:
        RetentionRule.objects.update_or_create(kind=rule["kind"], defaults=rule)


def unseed(apps, schema_editor):
    RetentionRule = apps.get_model("audit", "RetentionRule")
    RetentionRule.objects.filter(kind__in=[rule["kind"] for rule in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_retention")]

    operations = [migrations.RunPython(seed, unseed)]
