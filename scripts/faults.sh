#!/usr/bin/env bash
# Fault scenarios against a real installation on one machine: `headshot serve` (web and background work)
# and a `headshot worker` on PostgreSQL 15, encrypted local storage on a small tmpfs, the SMTP test server
# as the relay, the probe generator. Each scenario breaks something mid-work, and afterwards checks that
# nothing was lost or doubled and that the service recovered by itself:
#   1. serve SIGKILLed during an upload            4. PostgreSQL restarted mid-render
#   2. serve and worker SIGKILLed at a payment     5. the process deleting an order SIGKILLed after
#   3. the rendering process SIGKILLed                its files are gone, before its rows are
#                                                  6. the blob disk full during an upload and a render
# and, across all of them, the SMTP relay down for FAULTS_SMTP_DOWN seconds (default 300): every mail
# the scenarios caused is delivered exactly once after it returns. Finally `headshot audit-storage`
# finds no orphaned or missing blob.
#
#   bash scripts/faults.sh [BIN_DIR]     (BIN_DIR: where headshot is built; default the debug build)
# Needs root for the tmpfs mount. Writes its figures as tab-separated rows to $FAULTS_ROWS when set (make
# proof), and keeps the processes' logs in proof/faults/.
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SMTP_DOWN=${FAULTS_SMTP_DOWN:-300}

prepare_processes "${1:-}"

WORK=$(mktemp -d /tmp/headshot-faults.XXXXXX)
chmod 755 "$WORK"
DATA="$WORK/data"
mkdir -p "$DATA" "$WORK/logs" "$WORK/mail"
PIDS=()
cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  stop_postgres "$WORK/pg"
  mkdir -p proof/faults && cp "$WORK"/logs/*.log proof/faults/ 2>/dev/null
  mountpoint -q "$DATA" && umount "$DATA"
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT INT TERM
ROWS=${FAULTS_ROWS:-$WORK/rows.tsv}
FAILED=0
# verdict NAME FIGURE TARGET CONDITION…: a row of the results, pass when the condition holds.
verdict() {
  local name=$1 figure=$2 target=$3 pass=yes
  shift 3
  "$@" || { pass=no; FAILED=1; }
  printf '%s\t%s\t%s\t%s\n' "fault: $name" "$figure" "$target" "$pass" >>"$ROWS"
  log "$name: $figure ($pass)"
}
psql_q() { psql "$PG_URL" -Atc "$1"; }

log "PostgreSQL 15, the SMTP relay, and a 192 MB tmpfs for the blobs"
start_postgres "$WORK/pg"
mount -t tmpfs -o size=192m,mode=0700 tmpfs "$DATA"
smtp_up() {
  start_smtp_relay "$WORK" relay relay-pass "$WORK/logs/smtp.log" || return 1
  SMTP_PID=$RELAY_PID
  PIDS+=("$SMTP_PID")
}
smtp_up

PORT=$(free_port)
export DATABASE_URL=$PG_URL DATA_DIR=$DATA BASE_URL="http://127.0.0.1:$PORT" SECRET_KEY=$(openssl rand -hex 32) \
  SMTP_HOST=127.0.0.1 SMTP_PORT=$RELAY_PORT SMTP_USERNAME=relay SMTP_PASSWORD=relay-pass SMTP_CA_FILE="$RELAY_CERT" \
  GENERATOR=probe PROBE_MS_PER_HEADSHOT=${PROBE_MS:-120} QUEUE_LEASE_SECONDS=5 LOG_LEVEL=info
SERVE_PID=; WORKER_PID=
start_serve() {
  "$BIN/headshot" serve --hostname 127.0.0.1 --port "$PORT" >>"$WORK/logs/serve.log" 2>&1 &
  SERVE_PID=$!; PIDS+=("$SERVE_PID")
  for _ in $(seq 240); do curl -fs "$BASE_URL/readyz" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "faults: serve did not become ready" >&2; exit 1
}
start_worker() { "$BIN/headshot" worker >>"$WORK/logs/worker.log" 2>&1 & WORKER_PID=$!; PIDS+=("$WORKER_PID"); }
# kill_owner COLUMN-VALUE: SIGKILLs whichever of serve and worker a lease owner names; prints its name.
kill_owner() {
  case "$1" in
    *"-$SERVE_PID-"*) kill -KILL "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true; echo serve ;;
    *"-$WORKER_PID-"*) kill -KILL "$WORKER_PID"; wait "$WORKER_PID" 2>/dev/null || true; echo worker ;;
    *) echo none ;;
  esac
}
restart() { case "$1" in serve) start_serve ;; worker) start_worker ;; esac; }

log "headshot serve and headshot worker"
start_serve
start_worker
PASSWORD="faults-$(openssl rand -hex 8)"
CUSTOMER=0
# new_customer: each scenario is a customer of its own, as it would be, so that the scenarios together
# do not run into the upload limit of one person (60 photos in 10 minutes); sets EMAIL and TOKEN.
new_customer() {
  CUSTOMER=$((CUSTOMER + 1))
  EMAIL="faults-$CUSTOMER@example.com"
  echo "$PASSWORD" | "$BIN/headshot" create-admin --email "$EMAIL" --password-stdin >/dev/null
  TOKEN=$(curl -fs -X POST -H 'Content-Type: application/json' -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" \
    "$BASE_URL/api/v1/auth/token" | python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])')
}
api() { local method=$1 path=$2; shift 2; curl -s -X "$method" -H "Authorization: Bearer $TOKEN" "$@" "$BASE_URL/api/v1$path"; }
json() { python3 -c "import sys, json; print(json.load(sys.stdin)$1)"; }
seed() { python3 Tests/Fuzz/seed.py "$BASE_URL" "$TOKEN" Tests/Fixtures/faces "$@"; }
PHOTOS=(Tests/Fixtures/faces/person-a/*.jpg)
upload_args() { for photo in "${PHOTOS[@]}"; do printf -- '-F\nphotos=@%s;type=image/jpeg\n' "$photo"; done; }
mapfile -t UPLOAD < <(upload_args)
# wait_job ORDER MIN_DONE: until the order's job is running with at least MIN_DONE headshots made; prints its lease owner.
wait_job() {
  local owner
  for _ in $(seq 600); do
    owner=$(psql_q "select lease_owner from generation_jobs where order_id = '$1' and status = 'running' and progress_done >= $2")
    [ -n "$owner" ] && { echo "$owner"; return 0; }
    sleep 0.1
  done
  return 1
}
# exactly ORDER COUNT: the order completed with COUNT headshots, each sequence once, its job succeeded once.
exactly() {
  local order=$1 count=$2
  [ "$(psql_q "select status from orders where id = '$order'")" = completed ] &&
    [ "$(psql_q "select count(*) || ' ' || count(distinct sequence) from generated_assets where order_id = '$order'")" = "$count $count" ] &&
    [ "$(psql_q "select count(*) from audit_events where subject_id in (select id from generation_jobs where order_id = '$order') and to_state = 'succeeded'")" = 1 ] &&
    [ "$(psql_q "select count(*) from entitlements where order_id = '$order'")" = 1 ]
}
summary() { psql_q "select count(*) || ' headshots, ' || count(distinct sequence) || ' distinct' from generated_assets where order_id = '$1'"; }

log "the SMTP relay goes down for $SMTP_DOWN s while the scenarios run"
kill "$SMTP_PID"; wait "$SMTP_PID" 2>/dev/null || true
SMTP_BACK_AT=$(( $(date +%s) + SMTP_DOWN ))

# 1. serve SIGKILLed while an upload is arriving (at 300 kB/s, the eight photos take over ten seconds).
new_customer
ORDER=$(api POST /orders | json '["id"]')
curl -s -o /dev/null --limit-rate 300k -H "Authorization: Bearer $TOKEN" "${UPLOAD[@]}" "$BASE_URL/api/v1/orders/$ORDER/photos" &
CURL=$!
sleep 3
SPOOLED=$(ls "$DATA/tmp" 2>/dev/null | grep -c '^upload-' || true)
kill -KILL "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true
wait "$CURL" 2>/dev/null || true
start_serve
LEFT=$(ls "$DATA/tmp" 2>/dev/null | grep -c '^upload-' || true)
ROWS_AFTER=$(psql_q "select count(*) from upload_assets where order_id = '$ORDER'")
RETRY=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "${UPLOAD[@]}" "$BASE_URL/api/v1/orders/$ORDER/photos")
KEPT=$(psql_q "select count(*) from upload_assets where order_id = '$ORDER'")
verdict "serve SIGKILLed during an upload" \
  "$SPOOLED file(s) arriving at the kill; after restart $LEFT left in the spool, $ROWS_AFTER photo rows; the retry answered $RETRY with $KEPT photos" \
  "nothing half-written left, the retry works" test "$LEFT" = 0 -a "$SPOOLED" -ge 1 -a "$RETRY" = 201 -a "$KEPT" = 8
UPLOAD_ORDER=$ORDER

# 2. serve and worker SIGKILLed right after the card is accepted on the hosted page, before or while the
#    sandbox's webhook is delivered: after restart the payment counts once and the order is made once.
new_customer
ORDER=$(seed pay basic)
kill -KILL "$SERVE_PID" "$WORKER_PID"; wait "$SERVE_PID" "$WORKER_PID" 2>/dev/null || true
start_serve; start_worker
COUNT=$(seed wait "$ORDER")
verdict "serve and worker SIGKILLed at a payment" \
  "gallery $COUNT; $(summary "$ORDER"); entitlements $(psql_q "select count(*) from entitlements where order_id = '$ORDER'"); jobs $(psql_q "select count(*) from generation_jobs where order_id = '$ORDER'")" \
  "paid once, made once (40)" exactly "$ORDER" 40
PAID_ORDER=$ORDER

# 3. The process rendering a Professional order SIGKILLed part-way.
new_customer
ORDER=$(seed pay professional)
OWNER=$(wait_job "$ORDER" 5)
AT=$(psql_q "select progress_done from generation_jobs where order_id = '$ORDER'")
KILLED=$(kill_owner "$OWNER")
sleep 1; restart "$KILLED"
COUNT=$(seed wait "$ORDER")
verdict "$KILLED SIGKILLed mid-render (at $AT of 100)" "gallery $COUNT; $(summary "$ORDER")" "100 headshots, each once" exactly "$ORDER" 100

# 4. PostgreSQL restarted (fast shutdown: connections cut) while a Professional order renders (and, in 5,
#    deleted by the same customer).
new_customer
ORDER=$(seed pay professional)
wait_job "$ORDER" 5 >/dev/null
AT=$(psql_q "select progress_done from generation_jobs where order_id = '$ORDER'")
run_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast -w restart >/dev/null
COUNT=$(seed wait "$ORDER")
verdict "PostgreSQL restarted mid-render (at $AT of 100)" "gallery $COUNT; $(summary "$ORDER")" "100 headshots, each once; no restart needed" \
  exactly "$ORDER" 100

# 5. The process deleting an order SIGKILLed while it deletes: a session holding the headshot table in
#    EXCLUSIVE mode lets the deletion read its inventory, destroy the order's key and delete its files, and
#    stops it at its last step (deleting the rows, in one transaction with the receipt); the process is
#    killed there, the table released, and the request must complete from its stored inventory on its own,
#    counting each file once.
# order_files ORDER: how many files storage holds under the order's prefix.
order_files() {
  local dir="$DATA/blobs/order-${1,,}"
  if [ -d "$dir" ]; then find "$dir" -type f | wc -l; else echo 0; fi
}
ORDER_BLOBS=$(order_files "$ORDER")
# (the lock lasts at most 3 minutes, so that nothing waits on it for longer, even if this script stops)
PGAPPNAME=faults-lock psql "$PG_URL" -qAtc "BEGIN; LOCK TABLE generated_assets IN EXCLUSIVE MODE; SELECT pg_sleep(180)" >/dev/null 2>&1 &
LOCKER=$!
for _ in $(seq 100); do
  [ "$(psql_q "select count(*) from pg_locks l join pg_stat_activity a using (pid) where a.application_name = 'faults-lock' and l.granted and l.mode = 'ExclusiveLock'")" -gt 0 ] && break
  sleep 0.1
done
DELETION=$(api POST /deletion-requests -H 'Content-Type: application/json' \
  -d "{\"scope\":\"order\",\"order_id\":\"$ORDER\",\"password\":\"$PASSWORD\"}" | json '["id"]')
OWNER=
for _ in $(seq 600); do   # until its files are gone and it waits for the table
  OWNER=$(psql_q "select lease_owner from deletion_requests where id = '$DELETION' and key_destroyed_at is not null
                  and exists (select 1 from pg_stat_activity where wait_event_type = 'Lock' and application_name <> 'faults-lock')")
  [ -n "$OWNER" ] && break
  sleep 0.1
done
FILES_AT_KILL=$(order_files "$ORDER")
KILLED=$(kill_owner "$OWNER")
psql_q "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'faults-lock'" >/dev/null
wait "$LOCKER" 2>/dev/null || true
sleep 1; restart "$KILLED"
for _ in $(seq 300); do [ "$(psql_q "select status from deletion_requests where id = '$DELETION'")" = completed ] && break; sleep 0.5; done
STATUS=$(psql_q "select status from deletion_requests where id = '$DELETION'")
LEFT=$(psql_q "select (select count(*) from generated_assets where order_id = '$ORDER') + (select count(*) from upload_assets where order_id = '$ORDER')")
RECEIPT_FILES=$(psql_q "select receipt from deletion_requests where id = '$DELETION'" | python3 -c 'import sys, json
try: print(json.load(sys.stdin)["blob_count"])
except Exception: print("none")')
CLAIMS=$(psql_q "select count(*) from audit_events where subject_id = '$DELETION' and to_state = 'processing'")
verdict "$KILLED SIGKILLed during a deletion (its $ORDER_BLOBS files deleted, $FILES_AT_KILL left, the rows not yet)" \
  "request $STATUS after $CLAIMS claims; $LEFT photo and headshot rows left; the receipt counts $RECEIPT_FILES files" \
  "completed after the restart, nothing left, each file counted once" \
  test "$KILLED" != none -a "$STATUS" = completed -a "$LEFT" = 0 -a "$RECEIPT_FILES" = "$ORDER_BLOBS" -a "$FILES_AT_KILL" = 0

# 6. The blob disk full: an upload is refused with a clear answer and leaves nothing; a render waits
#    and finishes once there is room again.
new_customer
FILLER="$DATA/filler"
dd if=/dev/zero of="$FILLER" bs=1M count=200 2>/dev/null || true   # fills the tmpfs (dd stops at "no space")
ORDER=$(api POST /orders | json '["id"]')
ANSWER=$(curl -s -w '\n%{http_code}' -H "Authorization: Bearer $TOKEN" "${UPLOAD[@]}" "$BASE_URL/api/v1/orders/$ORDER/photos")
FULL_STATUS=$(tail -1 <<<"$ANSWER"); FULL_BODY=$(sed '$d' <<<"$ANSWER" | head -c 300)
FULL_ROWS=$(psql_q "select count(*) from upload_assets where order_id = '$ORDER'")
FULL_SPOOL=$(ls "$DATA/tmp" 2>/dev/null | grep -c '^upload-' || true)
rm -f "$FILLER"
RETRY=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "${UPLOAD[@]}" "$BASE_URL/api/v1/orders/$ORDER/photos")
verdict "blob disk full during an upload" "answered $FULL_STATUS ($FULL_BODY); $FULL_ROWS rows, $FULL_SPOOL spool files left; with room again the retry answered $RETRY" \
  "a 507 saying so, nothing half-written, then works" test "$FULL_STATUS" = 507 -a "$FULL_ROWS" = 0 -a "$FULL_SPOOL" = 0 -a "$RETRY" = 201
ORDER=$(seed pay basic)
wait_job "$ORDER" 1 >/dev/null
dd if=/dev/zero of="$FILLER" bs=1M count=200 2>/dev/null || true
sleep 8
AT=$(psql_q "select progress_done || ' made, ' || status from generation_jobs where order_id = '$ORDER'")
rm -f "$FILLER"
COUNT=$(seed wait "$ORDER")
verdict "blob disk full during a render ($AT while full)" "gallery $COUNT; $(summary "$ORDER")" "finishes once there is room, 40 headshots each once" \
  exactly "$ORDER" 40

# The relay returns: everything the scenarios sent is delivered once, within a minute and a bit.
WAIT=$(( SMTP_BACK_AT - $(date +%s) ))
[ "$WAIT" -gt 0 ] && { log "the relay stays down another $WAIT s"; sleep "$WAIT"; }
smtp_up
BACK=$(date +%s)
for _ in $(seq 180); do
  [ "$(psql_q "select count(*) from outgoing_mail where sent_at is null and failed_at is null")" = 0 ] && break
  sleep 1
done
DELAY=$(( $(date +%s) - BACK ))
SENT=$(psql_q "select count(*) from outgoing_mail where sent_at is not null")
PENDING=$(psql_q "select count(*) from outgoing_mail where sent_at is null")
RECEIVED=$(ls "$WORK/mail" | grep -c '\.json$' || true)
verdict "SMTP relay down for $SMTP_DOWN s" "$SENT sent, $PENDING pending or failed, $RECEIVED received by the relay, the last $DELAY s after it returned" \
  "every mail delivered once, within 90 s of its return" test "$SENT" -ge 1 -a "$PENDING" = 0 -a "$RECEIVED" = "$SENT" -a "$DELAY" -le 90

AUDIT=0; "$BIN/headshot" audit-storage >"$WORK/logs/audit-storage.log" 2>&1 || AUDIT=$?
READY=$(curl -s -o /dev/null -w '%{http_code}' "$BASE_URL/readyz")
STUCK=$(psql_q "select count(*) from generation_jobs where status <> 'succeeded'")
verdict "afterwards" "audit-storage exit $AUDIT ($(tail -1 "$WORK/logs/audit-storage.log")); readyz $READY; $STUCK jobs not succeeded" \
  "no orphaned or missing blob, service ready, no job stuck" test "$AUDIT" = 0 -a "$READY" = 200 -a "$STUCK" = 0
exit $FAILED
