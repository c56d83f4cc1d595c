#!/usr/bin/env bash
# make run: migrate, load the demo once, serve until Ctrl-C. The embedded
# PostgreSQL (when DATABASE_URL is unset) stops when the server exits.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_DEBUG="${DJANGO_DEBUG:-true}"
PY=.venv/bin/python
$PY manage.py migrate --no-input
$PY manage.py seed_demo --if-empty
cat <<'MSG'

  Sozialraum Weimar läuft auf  http://127.0.0.1:8000/
  Demokonten (Passwort für alle: weimar-demo):
    familienamt   Familienamt (Eingang, Triage, Entscheidung)
    leitung       Leitung Familienamt
    schule-west   Schulleitung einer Schule in West
    schule-nord   Schulleitung einer Schule in Nord und Schöndorf
    team-west     Sozialraumteam West (AWO)
    team-nord     Sozialraumteam Nord und Schöndorf (Caritas)
    team-mitte    Sozialraumteam Mitte-Süd (Diakonie)
    admin         Administration (Stammdaten, Konten)
    datenschutz   Datenschutzbeauftragte:r
  Beenden mit Strg+C.

MSG
exec $PY manage.py runserver 127.0.0.1:8000
