"""What `make bench` measures: one row per page. Add a row to measure a new page.

``persona`` is the demo account that logs in (``bench-admin`` is the bench's own
admin account); ``path`` may use ``{timeline_case}`` (the case with 200 timeline
entries), ``{team_west}``, ``{team_nord}``, ``{published_report}`` (the demo's
council report); ``form`` makes it a POST (with the
CSRF token added). ``kind`` is "page", or "twin"/"admin" for the references.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    name: str
    persona: str
    path: str
    form: dict[str, str] = field(default_factory=dict)
    kind: str = "page"
    # Targets from issue 10 (reported, not enforced): p95 below this many ms.
    p95_target_ms: float = 50.0


# The case list filter the raw twin and the admin changelist repeat.
CASE_FILTER = "status=running&team={team_west}"

PAGES: list[Page] = [
    Page("Eingang (Triage)", "familienamt", "/eingang/"),
    Page("Eingang gefiltert", "familienamt", "/eingang/?status=rejected&art=schulbegleitung"),
    Page("Fälle Familienamt", "familienamt", "/faelle/"),
    Page("Fälle Familienamt gefiltert", "familienamt", "/faelle/?" + CASE_FILTER),
    Page("Fälle Team West", "team-west", "/faelle/"),
    Page("Fälle Team West gefiltert", "team-west", "/faelle/?status=running&am_zug=team"),
    Page("Fallakte (200 Einträge)", "team-west", "/faelle/{timeline_case}/"),
    Page(
        "Personensuche",
        "familienamt",
        "/faelle/suche/",
        form={"name": "Müller", "date_of_birth": ""},
    ),
    Page("Start Familienamt", "familienamt", "/"),
    Page("Start Leitung", "leitung", "/"),
    Page("Start Team West", "team-west", "/"),
    # The steering figures (issue 12): every figure is one grouped query.
    Page("Steuerung", "leitung", "/steuerung/"),
    Page(
        "Steuerung Halbjahr, Team West", "leitung", "/steuerung/?zeitraum=2026-H2&team={team_west}"
    ),
    Page("Steuerung Trägerleitung", "traeger-awo", "/steuerung/"),
    Page("Steuerung Hilfeart", "leitung", "/steuerung/?hilfeart=egh_35a"),
    Page("Bericht an den Stadtrat", "stadtrat", "/steuerung/veroeffentlicht/{published_report}/"),
]

# The references, with the same filter as "Fälle Familienamt gefiltert".
TWIN_OF = "Fälle Familienamt gefiltert"
REFERENCES: list[Page] = [
    Page("Roh-Zwilling (psycopg, gleiches SQL)", "familienamt", "/", kind="twin"),
    Page(
        "Django-Admin Fälle gefiltert",
        "bench-admin",
        "/verwaltung/cases/case/?status__exact=running&team__id__exact={team_west}",
        kind="admin",
    ),
]
