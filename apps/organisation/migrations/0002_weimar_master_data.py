"""Weimar's Sozialraum structure as data (editable in the admin afterwards).

The Stadtteil → Sozialraum mapping is the assumed one from the domain brief
and must be confirmed by the Familienamt; it is data, not code.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

SOZIALRAEUME = [
    # slug, name, Träger (short names), Stadtteile
    (
        "west",
        "West",
        ["AWO"],
        ["Weimar-West", "Westvorstadt", "Gaberndorf", "Daasdorf am Berge", "Tröbsdorf"],
    ),
    (
        "nord-schoendorf",
        "Nord und Schöndorf",
        ["HTG", "Caritas"],
        ["Weimar-Nord", "Nordvorstadt", "Schöndorf (Waldstadt)", "Tiefurt", "Süßenborn"],
    ),
    (
        "mitte-sued",
        "Mitte-Süd",
        ["Diakonie"],
        [
            "Altstadt",
            "Südstadt",
            "Parkvorstadt",
            "Oberweimar/Ehringsdorf",
            "Taubach",
            "Legefeld",
            "Gelmeroda",
            "Possendorf",
            "Niedergrunstedt",
        ],
    ),
]

TRAEGER = [
    ("Stadt Weimar, Amt für Familie und Soziales", "Stadt Weimar", True),
    ("AWO Mitte-West-Thüringen", "AWO", False),
    ("Hufeland-Trägergesellschaft", "HTG", False),
    ("Caritasverband für das Bistum Erfurt", "Caritas", False),
    ("Diakonie", "Diakonie", False),
]


def load(apps, schema_editor):
    Sozialraum = apps.get_model("organisation", "Sozialraum")
    Stadtteil = apps.get_model("organisation", "Stadtteil")
    Traeger = apps.get_model("organisation", "Traeger")
    Team = apps.get_model("organisation", "Team")

    traeger = {}
    for name, short_name, is_city in TRAEGER:
        traeger[short_name], _ = Traeger.objects.get_or_create(
            short_name=short_name, defaults={"name": name, "is_city": is_city}
        )
    for order, (slug, name, carriers, stadtteile) in enumerate(SOZIALRAEUME, start=1):
        sozialraum, _ = Sozialraum.objects.get_or_create(
            slug=slug, defaults={"name": name, "sort_order": order}
        )
        for stadtteil in stadtteile:
            Stadtteil.objects.get_or_create(name=stadtteil, defaults={"sozialraum": sozialraum})
        team, _ = Team.objects.get_or_create(
            sozialraum=sozialraum, defaults={"name": f"Sozialraumteam {name}"}
        )
        team.traeger.add(traeger["Stadt Weimar"], *(traeger[c] for c in carriers))


class Migration(migrations.Migration):
    dependencies = [("organisation", "0001_initial")]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
