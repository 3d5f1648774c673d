#!/usr/bin/env bash
# The whole test suite: on SQLite, then on PostgreSQL (a throwaway server is started when none is reachable).
set -uo pipefail
cd "$(dirname "$0")/.."

# Data folders and servers this run makes are removed or stopped when it ends, however it ends.
cleanup=()
trap 'for c in "${cleanup[@]}"; do eval "$c"; done' EXIT
# 'tmpdir NAME' makes a folder removed at the end and puts its path in $NAME (not '$(…)': a subshell
# could not add to the clean-up list).
tmpdir() { local d; d=$(mktemp -d); cleanup+=("rm -rf '$d'"); printf -v "$1" '%s' "$d"; }

# Browser tests need Debian's Chromium (Playwright cannot download its own browser here); AMANAH_CHROMIUM
# names another binary.
if [ -z "${AMANAH_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing chromium for the browser tests …"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ||
      echo "Could not install chromium: the browser tests are skipped (set AMANAH_CHROMIUM to a Chromium binary)." >&2
  else
    echo "Browser tests need Chromium: run 'sudo apt-get install chromium' or set AMANAH_CHROMIUM (they are skipped now)." >&2
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
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
      --pidfile /tmp/amanah-test-redis.pid >/dev/null || true
    cleanup+=("kill \$(cat /tmp/amanah-test-redis.pid 2>/dev/null) 2>/dev/null || true")
    sleep 1
  fi
fi

export AMANAH_TEST_DATABASE_URL=${AMANAH_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}

pg_reachable() {
  .venv/bin/python - <<'PY'
import os, sys, psycopg
try:
    psycopg.connect(os.environ["AMANAH_TEST_DATABASE_URL"], connect_timeout=5).close()
except Exception as exc:
    print(f"PostgreSQL unreachable at {os.environ['AMANAH_TEST_DATABASE_URL']}: {exc}", file=sys.stderr)
    sys.exit(1)
PY
}

# No PostgreSQL server to test against: as root, install PostgreSQL when missing and start a throwaway
# server of our own on a free port of 127.0.0.1 (trust authentication, data in a temporary folder), stopped
# and removed when the run ends.
throwaway_pg() {
  [ "$(id -u)" = 0 ] || return 1
  if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    echo "Installing PostgreSQL for the PostgreSQL test run …"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) || return 1
  fi
  local bin dir port
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$bin" ] && id postgres >/dev/null 2>&1 || return 1
  tmpdir dir && chown postgres "$dir"
  port=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  runuser -u postgres -- "$bin/initdb" -D "$dir/data" --auth=trust -U postgres >/dev/null || return 1
  runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null || return 1
  cleanup=("runuser -u postgres -- '$bin/pg_ctl' -D '$dir/data' -m fast stop >/dev/null" "${cleanup[@]}")
  export AMANAH_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "Started a throwaway PostgreSQL server on 127.0.0.1:$port for this run."
}

status=0

echo "=== Test suite on SQLite ==="
tmpdir data; AMANAH_DATA_DIR=$data AMANAH_DATABASE_URL= .venv/bin/pytest "$@" || status=$?

echo "=== Test suite on PostgreSQL ==="
if pg_reachable || { throwaway_pg && pg_reachable; }; then
  tmpdir data; AMANAH_DATA_DIR=$data AMANAH_DATABASE_URL=$AMANAH_TEST_DATABASE_URL .venv/bin/pytest -m "not e2e" "$@" || status=$?
else
  echo "The test suite also runs on PostgreSQL, and none could be reached or started: failing." >&2
  echo "Run a PostgreSQL server (trust or password in the URL) and set AMANAH_TEST_DATABASE_URL, e.g." >&2
  echo "  AMANAH_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make test" >&2
  status=1
fi
exit $status
