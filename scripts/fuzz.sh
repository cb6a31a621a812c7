#!/usr/bin/env bash
# API fuzzing: schemathesis (PyPI) against the OpenAPI document of a real `headshot serve`, signed in as an
# administrator, every check on, with real objects to work on (Tests/Fuzz/seed.py). Fails on any failure.
#   scripts/fuzz.sh [examples per operation, default 10] [seed, default fixed]
# `make test` runs it bounded with a fixed seed (the same cases every run); `make proof` deeper with a new one.
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
ROOT=$(pwd)
EXAMPLES=${1:-10}
SEED=${2:-20261205}
BIN=${HEADSHOT_BIN:-$ROOT/.build/debug/headshot}
[ -x "$BIN" ] || { echo "fuzz: $BIN is missing; build first" >&2; exit 1; }

FUZZ_VENV="$ROOT/.build/fuzz-venv"
if ! "$FUZZ_VENV/bin/schemathesis" --version 2>/dev/null | grep -q "4.32.5"; then
  log "preparing schemathesis"
  python3 -m venv "$FUZZ_VENV"
  "$FUZZ_VENV/bin/pip" install -q "schemathesis==4.32.5"
fi

WORK=$(mktemp -d /tmp/headshot-fuzz.XXXXXX)
SERVER_PID=
finish() {
  local status=$?
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  if [ $status -ne 0 ]; then echo "fuzz: the server's log is kept in $WORK/serve.log" >&2; else rm -rf "$WORK"; fi
  exit $status
}
trap finish EXIT INT TERM

PORT=$(free_port)
export DATA_DIR="$WORK/var" MODELS_DIR=${MODELS_DIR:-$ROOT/models} BASE_URL="http://127.0.0.1:$PORT"
# The probe generator makes real, small JPEG headshots at once, so the seeded order completes in seconds.
export GENERATOR=probe PROBE_MS_PER_HEADSHOT=1 LOG_LEVEL=warning
"$BIN" serve --hostname 127.0.0.1 --port "$PORT" >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 240); do curl -fs "$BASE_URL/healthz" >/dev/null && break; sleep 0.5; done
curl -fs "$BASE_URL/healthz" >/dev/null || { echo "fuzz: the server did not start" >&2; exit 1; }

PASSWORD="fuzz-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
echo "$PASSWORD" | "$BIN" create-admin --email fuzz@example.com --password-stdin >/dev/null
TOKEN=$(curl -fs -X POST -H 'Content-Type: application/json' \
  -d "{\"email\":\"fuzz@example.com\",\"password\":\"$PASSWORD\"}" "$BASE_URL/api/v1/auth/token" |
  python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])')

log "seeding a paid, delivered order, a team and a support request"
python3 Tests/Fuzz/seed.py "$BASE_URL" "$TOKEN" Tests/Fixtures/faces >"$WORK/ids"
{
  cat Tests/Fuzz/schemathesis.toml
  echo
  echo "[parameters]"
  grep -v '^refundOrderID=\|^headshotCount=' "$WORK/ids" | sed 's/^\([A-Za-z]*\)=\(.*\)$/"\1" = "\2"/'
  echo
  echo "# Refunds on an order of their own, so that refunding it leaves the first one's gallery to fuzz."
  echo "[[operations]]"
  echo 'include-operation-id = ["requestRefund", "listRefunds"]'
  echo "parameters = { orderID = \"$(sed -n 's/^refundOrderID=//p' "$WORK/ids")\" }"
} >"$WORK/schemathesis.toml"

log "schemathesis: $EXAMPLES examples per operation, seed $SEED"
# One worker: with two, hypothesis's lambda descriptions call ast.parse from two threads at once, which
# Python 3.11 answers now and then with "SystemError: AST constructor recursion depth mismatch".
# Operations that would end the fuzzer's own login or account are left out: logging out, changing the
# password, revoking tokens and sessions, deleting the account, and an admin taking their own role away.
STATUS=0
"$FUZZ_VENV/bin/schemathesis" --config-file "$WORK/schemathesis.toml" run "$BASE_URL/api/v1/openapi.json" \
  -H "Authorization: Bearer $TOKEN" --checks all -n "$EXAMPLES" --seed "$SEED" --workers 1 \
  --max-failures 200 --continue-on-failure \
  --exclude-operation-id logOut --exclude-operation-id changePassword --exclude-operation-id revokeToken \
  --exclude-operation-id revokeSession --exclude-operation-id requestDeletion --exclude-operation-id consoleSetRole \
  --report junit --report-dir "$WORK/report" >"$WORK/schemathesis.log" 2>&1 || STATUS=$?
sed -n '/^=* SUMMARY =*$/,$p' "$WORK/schemathesis.log" >&2
if [ $STATUS -ne 0 ]; then
  cat "$WORK/schemathesis.log" >&2
  exit $STATUS
fi
