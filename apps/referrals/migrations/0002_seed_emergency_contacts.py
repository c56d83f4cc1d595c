"""Numbers shown on the §8a form. Editable data: the Familienamt keeps them current."""

from django.db import migrations

CONTACTS = [
    ("Polizei", "110", "Bei akuter Gefahr für Leib und Leben.", 10),
    ("Rettungsdienst und Feuerwehr", "112", "Bei Verletzungen oder medizinischem Notfall.", 20),
    (
        "Kinderschutz-Bereitschaft des Familienamts Weimar",
        "03643 000 000 (Demo-Nummer)",
        "Rund um die Uhr erreichbar. Demo-Nummer: Die echte Nummer trägt das Familienamt ein.",
        30,
    ),
    (
        "Kinder- und Jugendtelefon (Nummer gegen Kummer)",
        "116 111",
        "Kostenlos und anonym, für Kinder und Jugendliche.",
        40,
    ),
]


def seed(apps, schema_editor):
    EmergencyContact = apps.get_model("referrals", "EmergencyContact")
    for label, phone, hint, sort_order in CONTACTS:
        EmergencyContact.objects.get_or_create(
            label=label, defaults={"phone": phone, "hint": hint, "sort_order": sort_order}
        )


def unseed(apps, schema_editor):
    EmergencyContact = apps.get_model("referrals", "EmergencyContact")
    EmergencyContact.objects.filter(label__in=[c[0] for c in CONTACTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
