"""Weimar's Schulbegleitung providers since school year 2022/23 (editable in the admin)."""

from django.db import migrations

PROVIDERS = [
    ("Atze Assistenz gGmbH – Regionalteam Weimar", "Atze Assistenz gGmbH"),
    ("Lebenshilfe Inklusive Bildung – Regionalteam Weimar 1", "Lebenshilfe Inklusive Bildung"),
    ("Lebenshilfe Inklusive Bildung – Regionalteam Weimar 2", "Lebenshilfe Inklusive Bildung"),
]


def seed_providers(apps, schema_editor):
    Provider = apps.get_model("cases", "Provider")
    for name, organisation in PROVIDERS:
        Provider.objects.get_or_create(name=name, defaults={"organisation": organisation})


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]

    operations = [migrations.RunPython(seed_providers, migrations.RunPython.noop)]
