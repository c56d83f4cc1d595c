#!/usr/bin/env bash
# Runs the test suite. Browser tests run when the system Chromium is present;
# otherwise they are skipped and this says so plainly.
set -uo pipefail
# Tests run with development defaults; production settings are checked in a
# subprocess by tests/test_settings.py.
export DJANGO_DEBUG="${DJANGO_DEBUG:-true}"
cd "$(dirname "$0")/.."
if [ -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
    echo "» pytest (mit Browser-Tests in ${CHROMIUM:-/usr/bin/chromium})"
else
    echo "» pytest (OHNE Browser-Tests: /usr/bin/chromium fehlt; 'apt-get install chromium')"
fi
.venv/bin/pytest "$@"
status=$?
if [ "$status" -eq 5 ]; then
    echo "pytest: keine Tests gefunden" >&2
fi
exit "$status"
