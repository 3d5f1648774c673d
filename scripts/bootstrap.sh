#!/usr/bin/env bash
# Finds a Python >= 3.12, installs uv if needed, and installs Amanah's locked dependencies into .venv
# (with the optional extras named by its arguments, e.g. '--extra s3').
set -euo pipefail
cd "$(dirname "$0")/.."

ok_python() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }

find_python() {
  if [ -n "${AMANAH_PYTHON:-}" ]; then
    if ok_python "$AMANAH_PYTHON"; then echo "$AMANAH_PYTHON"; return; fi
    echo "AMANAH_PYTHON=$AMANAH_PYTHON is not a Python 3.12 or newer; unset it or point it at one." >&2
    return 2
  fi
  for c in python3.13 python3.12 python3 python; do
    if command -v "$c" >/dev/null 2>&1 && ok_python "$c"; then command -v "$c"; return; fi
  done
  # pyenv shims fail unless a version is selected: look at the installed versions directly.
  if command -v pyenv >/dev/null 2>&1; then
    root=$(pyenv root)
    for p in $(ls -d "$root"/versions/3.1[2-9]* 2>/dev/null | sort -rV); do
      if ok_python "$p/bin/python3"; then echo "$p/bin/python3"; return; fi
    done
  fi
  for p in /usr/bin/python3.1[2-9] /usr/local/bin/python3.1[2-9] "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3; do
    if [ -x "$p" ] && ok_python "$p"; then echo "$p"; return; fi
  done
  return 1
}

PY=$(find_python) || {
  [ -n "${AMANAH_PYTHON:-}" ] && exit 1
  echo "Amanah needs Python 3.12 or newer, and none was found on PATH, in pyenv or in /usr(/local)/bin." >&2
  echo "Install one, then run this again:" >&2
  echo "  Ubuntu 24.04 and newer, Debian 13 and newer: sudo apt-get install python3 python3-venv" >&2
  echo "  Ubuntu 22.04: sudo add-apt-repository ppa:deadsnakes/ppa && sudo apt-get install python3.12 python3.12-venv" >&2
  echo "  Debian 12, other Linux: pyenv install 3.12 (https://github.com/pyenv/pyenv), or build CPython 3.12" >&2
  echo "  macOS: brew install python@3.12" >&2
  echo "or set AMANAH_PYTHON=/path/to/python3.12 to use an interpreter installed elsewhere." >&2
  exit 1
}

# The translations (.po) are compiled to .mo files with GNU gettext's msgfmt: when one is missing or older,
# install gettext as the test script installs Chromium (as root, with apt-get), or say what to install.
needs_msgfmt=""
for po in amanah/*/locale/*/LC_MESSAGES/*.po; do
  [ "${po%.po}.mo" -nt "$po" ] || needs_msgfmt=1
done
if [ -n "$needs_msgfmt" ] && ! command -v msgfmt >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing gettext to compile the translations …"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null) || true
  fi
  if ! command -v msgfmt >/dev/null 2>&1; then
    echo "Amanah compiles its translations with msgfmt from GNU gettext, and it was not found." >&2
    echo "Install it, for example: 'sudo apt-get install gettext' (Debian/Ubuntu) or 'brew install gettext' (macOS)." >&2
    exit 1
  fi
fi

UV=$(command -v uv || true)
if [ -z "$UV" ]; then
  if [ ! -x .tools/bin/uv ]; then
    echo "Installing uv into .tools/ …"
    "$PY" -m venv .tools
    .tools/bin/pip install --quiet --disable-pip-version-check "uv==0.13.8"
  fi
  UV=.tools/bin/uv
fi

# Arguments go to 'uv sync': 'bash scripts/bootstrap.sh --extra s3' adds boto3 for AMANAH_STORAGE=s3, and
# '--no-dev' leaves out the test tools on a production server. '--locked' installs exactly the committed
# uv.lock and stops with an error when it no longer matches pyproject.toml (run 'uv lock' after editing it).
"$UV" sync --locked --quiet --python "$PY" "$@"
AMANAH_DATA_DIR=${AMANAH_DATA_DIR:-var} .venv/bin/amanah manage compilemessages_if_needed >/dev/null
