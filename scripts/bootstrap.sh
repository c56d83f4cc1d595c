#!/usr/bin/env bash
# Creates .venv with a Python 3.12+ and installs the pinned dependencies.
# Runs again only what changed: the venv is kept, and the lock file is
# installed only when it differs from the last install.
set -euo pipefail
cd "$(dirname "$0")/.."

LOCK=requirements/dev.lock
STAMP=.venv/.installed-lock

python_ok() {
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null
}

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.13 python3.12 python3.14 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 && python_ok "$(command -v "$candidate")"; then
            command -v "$candidate"
            return 0
        fi
    done
    for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3; do
        if [ -x "$candidate" ] && python_ok "$candidate"; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

if [ -x .venv/bin/python ] && ! python_ok .venv/bin/python; then
    echo "» .venv uses an old Python; rebuilding it"
    rm -rf .venv
fi

if [ ! -x .venv/bin/python ]; then
    if ! interpreter=$(find_python); then
        cat >&2 <<'MSG'
Kein Python 3.12 oder neuer gefunden (gesucht: PATH und ~/.pyenv/versions).
Bitte Python 3.12+ installieren, z. B. `apt-get install python3.12 python3.12-venv`
oder `pyenv install 3.13`, oder PYTHON=/pfad/zu/python3.12 setzen.
MSG
        exit 1
    fi
    echo "» creating .venv with $interpreter"
    "$interpreter" -m venv .venv
fi

if [ ! -f "$STAMP" ] || ! cmp -s "$LOCK" "$STAMP"; then
    echo "» installing pinned dependencies from $LOCK"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r "$LOCK"
    cp "$LOCK" "$STAMP"
fi
