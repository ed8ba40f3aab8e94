#!/usr/bin/env bash
# Create the project's virtualenv (.venv) and install the project into it, only when needed.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
STAMP="$VENV/.pyproject.sha256"   # hash of the pyproject.toml last installed

say() { echo "bootstrap: $*"; }
fail() { echo "bootstrap: error: $*" >&2; exit 1; }

is_python_311() {
    "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null
}

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.11 python3; do
        if [ -n "$candidate" ] && command -v "$candidate" >/dev/null && is_python_311 "$candidate"; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

create_venv() {
    local python
    python=$(find_python) || fail "Python 3.11 not found (set PYTHON=/path/to/python3.11).
  On Debian/Ubuntu: apt-get install python3.11 python3.11-venv"
    # Debian splits venv's pip bootstrap into python3.11-venv; say so instead of a traceback.
    "$python" -c 'import ensurepip, venv' 2>/dev/null \
        || fail "$python cannot create virtualenvs. On Debian/Ubuntu: apt-get install python3.11-venv"
    say "creating $VENV with $python"
    "$python" -m venv "$VENV"
}

# A venv whose interpreter is gone or is not 3.11 (the system python was upgraded) is rebuilt.
if [ -e "$VENV" ] && ! is_python_311 "$VENV/bin/python"; then
    say "$VENV is broken or not Python 3.11: recreating it"
    rm -rf "$VENV"
fi
[ -x "$VENV/bin/python" ] || create_venv

wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ "$(cat "$STAMP" 2>/dev/null)" != "$wanted" ]; then
    say "installing the project and its dependencies (pyproject.toml changed)"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[dev]"
    echo "$wanted" > "$STAMP"
    say "done"
fi
