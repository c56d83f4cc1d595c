#!/usr/bin/env bash
# make run: migrate, load the demo once, then serve and work off the task
# queue until Ctrl-C. Web server and worker stop together; the embedded
# PostgreSQL (when DATABASE_URL is unset) stops when the last of them exits.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_DEBUG="${DJANGO_DEBUG:-true}"
PY=.venv/bin/python
PORT="${PORT:-8000}"
$PY manage.py migrate --no-input
$PY manage.py seed_demo --if-empty
cat <<MSG

  Sozialraum Weimar läuft auf  http://127.0.0.1:${PORT}/   (mit einem Worker für E-Mails und Aufträge)
  Demokonten (Passwort für alle: weimar-demo):
    familienamt   Familienamt (Eingang, Triage, Entscheidung)
    leitung       Leitung Familienamt
    schule-west   Schulleitung einer Schule in West
    schule-nord   Schulleitung einer Schule in Nord und Schöndorf
    team-west     Sozialraumteam West (AWO)
    team-nord     Sozialraumteam Nord und Schöndorf (Caritas)
    team-mitte    Sozialraumteam Mitte-Süd (Diakonie)
    admin         Administration (Stammdaten, Konten, Hintergrundaufgaben)
    datenschutz   Datenschutzbeauftragte:r
  Beenden mit Strg+C.

MSG
# Job control puts each child in its own process group: Ctrl-C reaches only
# this script, which then stops each group whole (runserver's autoreloader
# runs the server in a child process that must go too).
set -m
$PY manage.py worker &
worker=$!
$PY manage.py runserver "127.0.0.1:$PORT" &
web=$!
stop() {
    trap - INT TERM
    kill -TERM -- "-$web" "-$worker" 2>/dev/null || true
    wait "$web" "$worker" 2>/dev/null || true
}
trap 'stop; exit 0' INT TERM
# Either one ending (a crash, a port in use) ends the other as well.
wait -n "$web" "$worker" || true
stop
