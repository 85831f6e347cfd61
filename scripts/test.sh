#!/usr/bin/env bash
# Set up and run the whole test suite: against SQLite, and against PostgreSQL when
# a PostgreSQL server is installed (Debian's postgresql package; .ci/run installs it).
#   bash scripts/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# The locked set (versions and hashes: requirements/test.txt, written by scripts/lock.sh),
# then the project itself without dependencies; pip check fails when pyproject.toml asks for
# something the lock does not hold. Then the audit of the lock (scripts/audit.py).
.venv/bin/python -m pip install --quiet --require-hashes -r requirements/test.txt
.venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
.venv/bin/python -m pip check
.venv/bin/python scripts/audit.py

databases="sqlite"
pgdir=""
cleanup() {
  if [ -n "$pgdir" ] && [ -d "$pgdir" ]; then
    $as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pgdir"
  fi
}
trap cleanup EXIT

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ "${KKS_TEST_POSTGRES:-auto}" != "no" ] && [ -n "$pgbin" ] && [ -x "$pgbin/initdb" ]; then
  pgdir=$(mktemp -d /tmp/kks-pg.XXXXXX)
  as_pg=""
  if [ "$(id -u)" = "0" ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home "$pgdir" postgres
    chown postgres "$pgdir"
    as_pg="runuser -u postgres --"
  fi
  port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  $as_pg "$pgbin/initdb" -D "$pgdir/data" -U kks --auth=trust --encoding=UTF8 --no-locale >/dev/null
  $as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
    -o "-h 127.0.0.1 -p $port -k $pgdir -c fsync=off -c full_page_writes=off" start >/dev/null
  $as_pg "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U kks kks_test
  databases="sqlite,postgresql+asyncpg://kks@127.0.0.1:$port/kks_test"
  export KKS_TEST_PG_DATADIR="$pgdir/data"
  echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
else
  echo "PostgreSQL server not installed: running against SQLite only"
fi

export KKS_TEST_DATABASES="$databases"
.venv/bin/python -m ruff check kks_bot conversations tests bench scripts
.venv/bin/python -m mypy
.venv/bin/python -m kks_bot check
# Two processes on two cores (pytest-xdist); each has a database of its own.
.venv/bin/python -m pytest -q -n "${KKS_TEST_WORKERS:-auto}" "$@"
