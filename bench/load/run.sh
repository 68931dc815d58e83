#!/usr/bin/env bash
# Load run (issue 21 §3): gunicorn (deploy/gunicorn.conf.py) + PostgreSQL on loopback, demo data
# and READY (600) applications ready for a decision,
# locust headless. Bounded: USERS (50) for DURATION (5m). Results: bench/load/results/.
#   bash bench/load/run.sh            # 50 users × 5 min
#   USERS=50 DURATION=2m bash bench/load/run.sh
# Needs: PostgreSQL on 127.0.0.1:5432 (user postgres), locust in LOCUST (a separate venv:
#   python3 -m venv /tmp/locust-venv && /tmp/locust-venv/bin/pip install locust==2.47.0).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${PY:-.venv/bin/python}"
LOCUST="${LOCUST:-/tmp/locust-venv/bin/locust}"
USERS="${USERS:-50}"
DURATION="${DURATION:-5m}"
PORT="${PORT:-18321}"
DB="ostoja_load_$$"
OUT="bench/load/results"
mkdir -p "$OUT"
createdb -h 127.0.0.1 -U postgres "$DB"
export DJANGO_SETTINGS_MODULE=ostoja.settings
export SECRET_KEY="load-run-$(head -c 32 /dev/urandom | base64 | tr -d '/+=')"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export ALLOWED_HOSTS=127.0.0.1 SECURE_COOKIES=0   # plain HTTP on loopback, no TLS in this run
export STATIC_ROOT="$(mktemp -d)" OSTOJA_BIND="127.0.0.1:$PORT" OSTOJA_WEB_WORKERS="${WORKERS:-4}"
export LOG_LEVEL=WARNING
cleanup() {
    [ -n "${GPID:-}" ] && kill "$GPID" 2>/dev/null && wait "$GPID" 2>/dev/null || true
    dropdb -h 127.0.0.1 -U postgres --if-exists "$DB" || true
}
trap cleanup EXIT
"$PY" -m ostoja.cli migrate --no-input -v0
"$PY" -m ostoja.cli collectstatic --no-input -v0
"$PY" -m ostoja.cli demo --no-serve > /dev/null
# Material for the decision drafts of the mix: applications ready for a decision, each with its
# calculation (the decisions tests' factory — the demo's own applications are all decided).
"$PY" -m ostoja.cli shell -c "
from ostoja.decisions.tests.factories import make_ready_application
for _ in range(${READY:-600}):
    make_ready_application('zasilek_staly', unit='ro1')
" > /dev/null
"$(dirname "$PY")/gunicorn" --config deploy/gunicorn.conf.py --access-logfile /dev/null &
GPID=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 1; done
"$LOCUST" -f bench/load/locustfile.py --headless -u "$USERS" -r 10 -t "$DURATION" \
    --host "http://127.0.0.1:$PORT" --csv "$OUT/run" --only-summary 2>&1 | tee "$OUT/summary.txt"
