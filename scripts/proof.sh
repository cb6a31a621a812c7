#!/usr/bin/env bash
# `make proof`: the long proofs, unattended, written to proof/RESULTS.md with every figure, its target and
# pass/fail, and the machine it ran on.
#   1. Load: `headshot serve` (release) on PostgreSQL 15 driven by wrk from loopback at 16 and 64
#      connections for 30 s a route: landing, dashboard (signed in), order status, the gallery listing of
#      a 100-headshot order, a signed download; requests/s, p50/p99, errors and the server's peak RSS.
#   2. Uploads through the server against the quality gate in-process (headshot-bench upload).
#   3. API fuzzing, deeper than `make test`: 50 examples an operation with a new seed.
#   4. The scale-out topology (scripts/scaleout.sh): nginx, two web nodes, two workers, PostgreSQL, S3.
#   5. Fault scenarios (scripts/faults.sh): SIGKILLs during an upload, a payment, a render and a deletion,
#      PostgreSQL restarted, a full blob disk, the SMTP relay down for 5 minutes.
# PROOF_SECONDS (default 30) shortens the load runs for a quick look.
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SECONDS_PER_RUN=${PROOF_SECONDS:-30}
PROOF_STARTED=$(date +%s)

ensure_packages postgresql-15 postgresql-client-15 python3 python3-venv curl wrk "${IMAGING_PACKAGES[@]}"
ensure_swift
bash scripts/models.sh
export MODELS_DIR=${MODELS_DIR:-$ROOT/models}
log "building the service and the benchmark (release)"
# RELEASE_SCRATCH puts the release build elsewhere, so that it can build while `make test` holds .build.
SCRATCH=(--scratch-path "${RELEASE_SCRATCH:-$ROOT/.build}")
swift build -c release "${SCRATCH[@]}" --product headshot
swift build -c release "${SCRATCH[@]}" --product headshot-bench
BIN=$(swift build -c release "${SCRATCH[@]}" --show-bin-path)

WORK=$(mktemp -d /tmp/headshot-proof.XXXXXX)
chmod 755 "$WORK"
SERVER_PID=
cleanup() {
  local status=$?
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  stop_postgres "$WORK/pg"
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT INT TERM

mkdir -p proof
RESULTS="$WORK/RESULTS.md"
ROWS="$WORK/rows.tsv"
: >"$ROWS"
# record NAME FIGURE TARGET PASS(yes/no/-)
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$ROWS"; }

log "starting PostgreSQL 15 and headshot serve (release) on it"
start_postgres "$WORK/pg"
PORT=$(free_port)
export DATABASE_URL=$PG_URL DATA_DIR="$WORK/var" BASE_URL="http://127.0.0.1:$PORT" GENERATOR=probe PROBE_MS_PER_HEADSHOT=1 LOG_LEVEL=warning
"$BIN/headshot" serve --hostname 127.0.0.1 --port "$PORT" >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 240); do curl -fs "$BASE_URL/healthz" >/dev/null && break; sleep 0.5; done
curl -fs "$BASE_URL/healthz" >/dev/null || { cat "$WORK/serve.log" >&2; echo "proof: the server did not start" >&2; exit 1; }

PASSWORD="proof-$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
echo "$PASSWORD" | "$BIN/headshot" create-admin --email proof@example.com --password-stdin >/dev/null
TOKEN=$(curl -fs -X POST -H 'Content-Type: application/json' -d "{\"email\":\"proof@example.com\",\"password\":\"$PASSWORD\"}" \
  "$BASE_URL/api/v1/auth/token" | python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])')
log "seeding a delivered Professional order (100 headshots in 5 styles) through the API"
python3 Tests/Fuzz/seed.py "$BASE_URL" "$TOKEN" Tests/Fixtures/faces professional >"$WORK/ids"
ORDER=$(sed -n 's/^orderID=//p' "$WORK/ids")
COUNT=$(sed -n 's/^headshotCount=//p' "$WORK/ids")
[ "$COUNT" = 100 ] || { echo "proof: the seeded order has $COUNT headshots, not 100" >&2; exit 1; }
# A browser session for the dashboard, logged in through the form.
curl -fs -c "$WORK/jar" "$BASE_URL/login" >"$WORK/login.html"
CSRF=$(sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' "$WORK/login.html" | head -1)
curl -fs -b "$WORK/jar" -c "$WORK/jar" -o /dev/null --data-urlencode "email=proof@example.com" \
  --data-urlencode "password=$PASSWORD" --data-urlencode "_csrf=$CSRF" "$BASE_URL/login"
# (curl writes HttpOnly cookies, as the session's is, behind a "#HttpOnly_" prefix.)
COOKIE=$(sed 's/^#HttpOnly_//' "$WORK/jar" | awk '!/^#/ && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep="; " }')
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE_URL/dashboard")" = 200 ] ||
  { echo "proof: the session cookie does not open the dashboard" >&2; exit 1; }
DOWNLOAD=$(curl -fs -H "Authorization: Bearer $TOKEN" "$BASE_URL/api/v1/orders/$ORDER/headshots" |
  python3 -c 'import sys, json; print(json.load(sys.stdin)["headshots"][0]["links"]["full"])')

# wrk's Lua: its errors (socket errors, and answers of 400 or more) and latency percentiles in microseconds.
cat >"$WORK/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout + summary.errors.status
  io.write(string.format("RESULT %d %.1f %d %d %d\n", summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), errors))
end
LUA

peak_rss_kb() { awk '/VmHWM/ { print $2 }' "/proc/$SERVER_PID/status"; }

# load NAME TARGET_KIND PATH HEADER
load() {
  local name=$1 kind=$2 path=$3 header=$4 connections line requests rps p50 p99 errors target pass
  for connections in 16 64; do
    line=$(wrk -t2 -c"$connections" -d"${SECONDS_PER_RUN}s" --latency -s "$WORK/report.lua" -H "$header" "$BASE_URL$path" 2>&1 | grep '^RESULT')
    read -r _ requests rps p50 p99 errors <<<"$line"
    p50=$(awk -v v="$p50" 'BEGIN { printf "%.1f", v / 1000 }'); p99=$(awk -v v="$p99" 'BEGIN { printf "%.1f", v / 1000 }')
    target="0 errors"; pass=yes
    [ "$errors" = 0 ] || pass=no
    if [ "$kind" = page ] && [ "$connections" = 16 ]; then
      target="0 errors, p99 ≤ 50 ms"
      awk -v v="$p99" 'BEGIN { exit !(v <= 50) }' || pass=no
    fi
    if [ "$kind" = gallery ]; then
      target="0 errors, ≥ 1,000 requests/s"
      awk -v v="$rps" 'BEGIN { exit !(v >= 1000) }' || pass=no
    fi
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$connections" "$rps" "$p50" "$p99" "$errors" "$target" "$pass" >>"$WORK/load.md"
    record "load: $name at $connections connections" "$rps req/s, p50 $p50 ms, p99 $p99 ms, $errors errors" "$target" "$pass"
    log "$name at $connections connections: $rps req/s, p50 $p50 ms, p99 $p99 ms, $errors errors"
  done
}

: >"$WORK/load.md"
load "landing page" page "/" "Accept: text/html"
load "dashboard (signed in)" page "/dashboard" "Cookie: $COOKIE"
load "order status (API)" page "/api/v1/orders/$ORDER/status" "Authorization: Bearer $TOKEN"
load "gallery listing, 100 headshots (API)" gallery "/api/v1/orders/$ORDER/headshots" "Authorization: Bearer $TOKEN"
load "signed download (full size)" download "$DOWNLOAD" "Authorization: Bearer $TOKEN"
RSS_MB=$(awk -v v="$(peak_rss_kb)" 'BEGIN { printf "%.0f", v / 1024 }')
record "server peak RSS over the load runs" "$RSS_MB MB" "reported" "-"
kill "$SERVER_PID"
SERVER_EXIT=0; wait "$SERVER_PID" 2>/dev/null || SERVER_EXIT=$?
SERVER_PID=
# The server's log stays beside the results; how it ended is a figure too: SIGTERM drains and exits 0.
cp "$WORK/serve.log" proof/serve.log
record "the load server's exit after SIGTERM" "status $SERVER_EXIT" "exits cleanly (0), never a trap" "$([ "$SERVER_EXIT" = 0 ] && echo yes || echo no)"

log "uploads through the server against the quality gate in-process"
"$BIN/headshot-bench" upload --headshot "$BIN/headshot" | tee "$WORK/upload.txt"

log "API fuzzing, 50 examples an operation, a new seed"
FUZZ_SEED=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
if HEADSHOT_BIN=$BIN/headshot bash scripts/fuzz.sh 50 "$FUZZ_SEED" 2>"$WORK/fuzz.txt"; then FUZZ=yes; else FUZZ=no; fi
FUZZ_CASES=$(grep -Eo '[0-9]+ generated, [0-9]+ passed' "$WORK/fuzz.txt" | head -1 || true)
record "API fuzzing (schemathesis, every check, 50 examples, seed $FUZZ_SEED)" "${FUZZ_CASES:-see the log}" "0 failures" "$FUZZ"

log "the scale-out topology: nginx (TLS), two web nodes, two workers, PostgreSQL, S3 (moto)"
SCALEOUT=yes
SCALEOUT_ROWS=$ROWS bash scripts/scaleout.sh "$BIN" || SCALEOUT=no

log "fault scenarios: killed processes, PostgreSQL restarted, a full disk, the SMTP relay down for 5 minutes"
FAULTS=yes
FAULTS_ROWS=$ROWS bash scripts/faults.sh "$BIN" || FAULTS=no

PROOF_MINUTES=$(( ($(date +%s) - PROOF_STARTED + 59) / 60 ))
record "make proof, unattended, from start to this page" "$PROOF_MINUTES min" "under 30 min" "$([ "$PROOF_MINUTES" -lt 30 ] && echo yes || echo no)"

{
  echo "# Proof results"
  echo
  echo "Written by \`make proof\` on $(date -u '+%Y-%m-%d %H:%M UTC') at commit $(git rev-parse --short HEAD)."
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), $(swift --version 2>/dev/null | head -1)."
  echo
  echo "## Every figure"
  echo
  echo "| What | Figure | Target | Pass |"
  echo "|---|---|---|---|"
  awk -F '\t' '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }' "$ROWS"
  echo
  echo "## Load"
  echo
  echo "\`headshot serve\` (release) on PostgreSQL 15 and local storage, driven by wrk (2 threads) from loopback for ${SECONDS_PER_RUN} s a run. An error is a failed connection or an answer other than 2xx/3xx."
  echo
  echo "| Route | Connections | Requests/s | p50 ms | p99 ms | Errors | Target | Pass |"
  echo "|---|---|---|---|---|---|---|---|"
  cat "$WORK/load.md"
  echo
  echo "Peak resident memory of the server over the load runs: $RSS_MB MB."
  echo
  echo "## Uploads"
  echo
  echo '```'
  cat "$WORK/upload.txt"
  echo '```'
  echo
  echo "## Scale-out topology"
  echo
  echo "\`scripts/scaleout.sh\` ($([ "$SCALEOUT" = yes ] && echo passed || echo FAILED)): nginx from deploy/nginx/headshot.conf with a self-signed certificate, two \`headshot serve\` web nodes (SERVE_BACKGROUND=false), two \`headshot worker\`s, PostgreSQL 15, moto as the S3 bucket; its rows are in the table above and its processes' logs in proof/scaleout/."
  echo
  echo "## Faults"
  echo
  echo "\`scripts/faults.sh\` ($([ "$FAULTS" = yes ] && echo passed || echo FAILED)): \`headshot serve\` and a \`headshot worker\` (release) on PostgreSQL 15, encrypted local storage on a 192 MB tmpfs, the SMTP test server as the relay (down for the first 5 minutes of the run), the probe generator; each scenario's row is in the table above, the processes' logs in proof/faults/. The killed-worker cases that \`make test\` covers besides are QueueCrashTests (50 kills over 150 jobs) and DeletionCrashTests."
} >"$RESULTS"
cp "$RESULTS" proof/RESULTS.md
log "wrote proof/RESULTS.md"
cat proof/RESULTS.md
grep -q $'\tno$' "$ROWS" && { echo "proof: some figures missed their targets (see proof/RESULTS.md)" >&2; exit 1; }
exit 0
