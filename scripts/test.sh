#!/usr/bin/env bash
# The whole test suite: on SQLite, then on PostgreSQL (required when CI=true).
set -uo pipefail
cd "$(dirname "$0")/.."

# Browser tests need Debian's Chromium (Playwright cannot download its own browser here).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing chromium for the browser tests …"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || {
      echo "Could not install chromium" >&2; exit 1; }
  else
    echo "Browser tests need Chromium: run 'sudo apt-get install chromium' (they are skipped now)." >&2
  fi
fi
if ! command -v msgfmt >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null || true
fi
# WeasyPrint subsets fonts in PDFs with HarfBuzz's subset library (it warns without it).
if command -v dpkg >/dev/null 2>&1 && ! dpkg -s libharfbuzz-subset0 >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libharfbuzz-subset0 >/dev/null 2>&1 || true
fi

# The Redis cache tests talk to a real Redis server on 127.0.0.1:6379 (database 13): install and start one
# when it is missing and we are root (machines that already run one are left alone).
if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  if ! command -v redis-server >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "Installing redis-server for the cache tests …"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server) >/dev/null 2>&1 || true
  fi
  if command -v redis-server >/dev/null 2>&1; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null || true
    sleep 1
  fi
fi

export AMANAH_TEST_DATABASE_URL=${AMANAH_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
status=0

echo "=== Test suite on SQLite ==="
AMANAH_DATA_DIR=$(mktemp -d) AMANAH_DATABASE_URL= .venv/bin/pytest "$@" || status=$?

echo "=== Test suite on PostgreSQL ==="
if .venv/bin/python - <<'PY'
import os, sys, psycopg
try:
    psycopg.connect(os.environ["AMANAH_TEST_DATABASE_URL"], connect_timeout=5).close()
except Exception as exc:
    print(f"PostgreSQL unreachable: {exc}", file=sys.stderr)
    sys.exit(1)
PY
then
  AMANAH_DATA_DIR=$(mktemp -d) AMANAH_DATABASE_URL=$AMANAH_TEST_DATABASE_URL .venv/bin/pytest -m "not e2e" "$@" || status=$?
elif [ "${CI:-}" = "true" ]; then
  echo "CI=true and PostgreSQL is unreachable at $AMANAH_TEST_DATABASE_URL: failing." >&2
  status=1
else
  echo "PostgreSQL unreachable: skipping the PostgreSQL run (set AMANAH_TEST_DATABASE_URL)." >&2
fi
exit $status
