#!/usr/bin/env bash
# The scale-out topology on one machine, from the files a deployment uses (deploy/): nginx terminating TLS
# (a self-signed certificate) in front of two `headshot serve` web nodes (SERVE_BACKGROUND=false), two
# `headshot worker` processes, one PostgreSQL 15, S3-compatible storage (moto). Through nginx it runs the
# API journey of a customer (upload, sandbox payment on the hosted page, delivery, team, support) and a
# Professional order during which the worker rendering it is SIGKILLed (and restarted, as systemd's
# Restart=always would); afterwards every job succeeded once, the order has exactly its 100 headshots,
# and `headshot audit-storage` finds no orphaned or missing blob.
#
#   bash scripts/scaleout.sh [BIN_DIR]     (BIN_DIR: where headshot is built; default the debug build)
# Writes its figures as tab-separated rows to $SCALEOUT_ROWS when set (make proof), and keeps the
# processes' logs in proof/scaleout/.
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
ROOT=$(pwd)

prepare_processes "${1:-}" nginx chromium chromium-driver
# The browser journey is a test of the suite (JourneyBrowserTests), pointed at the topology.
swift build --build-tests

WORK=$(mktemp -d /tmp/headshot-scaleout.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
  local status=$?
  [ -f "$WORK/nginx/nginx.pid" ] && nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -s stop 2>/dev/null
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  stop_postgres "$WORK/pg"
  mkdir -p proof/scaleout && cp "$WORK"/logs/*.log proof/scaleout/ 2>/dev/null
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT INT TERM
mkdir -p "$WORK/logs"
ROWS=${SCALEOUT_ROWS:-$WORK/rows.tsv}
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$ROWS"; }
fail() { echo "scaleout: $*" >&2; record "scale-out topology" "$*" "the journey and a killed worker survived" no; exit 1; }

log "PostgreSQL 15, the S3-compatible server (moto) and the SMTP relay (the test server)"
start_postgres "$WORK/pg"
start_smtp_relay "$WORK" relay relay-pass "$WORK/logs/smtp.log" || fail "the SMTP relay did not start"
PIDS+=("$RELAY_PID")
start_moto "$WORK/logs/moto.log"
PIDS+=("$S3_PID")
curl -fs -X PUT "$S3_ENDPOINT/headshot-scaleout" >/dev/null

WEB_PORTS=("$(free_port)" "$(free_port)")
HTTPS_PORT=$(free_port)
HTTP_PORT=$(free_port)
# nginx's self-signed certificate; the services trust it for their own calls to BASE_URL (the sandbox's webhooks).
mkdir -p "$WORK/nginx/tmp"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
  -keyout "$WORK/nginx/privkey.pem" -out "$WORK/nginx/fullchain.pem" 2>/dev/null
# What /etc/headshot/headshot.env holds in production (deploy/headshot.env.example), here for loopback.
export DATABASE_URL=$PG_URL STORAGE=s3 S3_ENDPOINT S3_BUCKET=headshot-scaleout S3_ACCESS_KEY_ID=testing \
  S3_SECRET_ACCESS_KEY=testing SECRET_KEY=$(openssl rand -hex 32) BASE_URL="https://127.0.0.1:$HTTPS_PORT" TRUST_PROXY=1 \
  GENERATOR=probe PROBE_MS_PER_HEADSHOT=${PROBE_MS:-120} QUEUE_LEASE_SECONDS=5 LOG_LEVEL=info TLS_CA_FILE="$WORK/nginx/fullchain.pem" \
  SMTP_HOST=127.0.0.1 SMTP_PORT=$RELAY_PORT SMTP_USERNAME=relay SMTP_PASSWORD=relay-pass SMTP_CA_FILE="$RELAY_CERT"

# start NAME COMMAND…: a process of the topology with its own DATA_DIR (its upload spool) and log.
start() {
  local name=$1; shift
  DATA_DIR="$WORK/$name" "$@" >>"$WORK/logs/$name.log" 2>&1 &
  PIDS+=($!)
  eval "PID_${name//-/_}=$!"
}
wait_http() {
  for _ in $(seq 240); do curl -fs "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  return 1
}

log "migrating once, then two web nodes (SERVE_BACKGROUND=false) and two workers"
DATA_DIR="$WORK/migrate" "$BIN/headshot" migrate --yes >"$WORK/logs/migrate.log" 2>&1 || fail "migration failed (logs/migrate.log)"
for i in 1 2; do
  SERVE_BACKGROUND=false start "web-$i" "$BIN/headshot" serve --hostname 127.0.0.1 --port "${WEB_PORTS[$((i - 1))]}"
  start "worker-$i" "$BIN/headshot" worker
done
for port in "${WEB_PORTS[@]}"; do wait_http "http://127.0.0.1:$port/readyz" || fail "web node on $port not ready"; done

log "nginx on https://127.0.0.1:$HTTPS_PORT with a self-signed certificate, from deploy/nginx/headshot.conf"
# The shipped site file, with this run's ports and certificate (and no IPv6 listener on a loopback-only host);
# its server keeps its own access log, so the log of which web node answered is added to the server too.
sed -e "s#127.0.0.1:8081#127.0.0.1:${WEB_PORTS[0]}#; s#127.0.0.1:8082#127.0.0.1:${WEB_PORTS[1]}#" \
    -e "s#listen 443 ssl http2;#listen 127.0.0.1:$HTTPS_PORT ssl http2;#; s#listen 80;#listen 127.0.0.1:$HTTP_PORT;#; /listen \[::\]/d" \
    -e "s#/etc/headshot/tls/#$WORK/nginx/#" -e "s#/var/log/nginx/#$WORK/logs/nginx-#" \
    -e "/access_log .*headshot_redacted;/a\\    access_log $WORK/logs/nginx-upstream.log upstream;" deploy/nginx/headshot.conf >"$WORK/nginx/site.conf"
cat >"$WORK/nginx/nginx.conf" <<CONF
$( [ "$(id -u)" = 0 ] && echo "user root;" )
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/logs/nginx-error.log;
events { worker_connections 512; }
http {
  access_log $WORK/logs/nginx-access.log combined;
  log_format upstream '\$upstream_addr \$status \$request_method \$uri';
  access_log $WORK/logs/nginx-upstream.log upstream;
  client_body_temp_path $WORK/nginx/tmp/body; proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi; uwsgi_temp_path $WORK/nginx/tmp/uwsgi; scgi_temp_path $WORK/nginx/tmp/scgi;
  include $WORK/nginx/site.conf;
}
CONF
nginx -t -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" 2>"$WORK/logs/nginx-test.log" || { cat "$WORK/logs/nginx-test.log" >&2; fail "nginx refused the site file"; }
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"
export SSL_CERT_FILE="$WORK/nginx/fullchain.pem"
wait_http --cacert "$SSL_CERT_FILE" "$BASE_URL/healthz" || fail "nginx does not reach the web nodes"
[ "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$HTTP_PORT/login")" = "301 https://127.0.0.1/login" ] ||
  fail "plain http is not redirected to https"

log "the customer's API journey through nginx (2 orders, a team, a support request)"
PASSWORD="scaleout-$(openssl rand -hex 8)"
echo "$PASSWORD" | DATA_DIR="$WORK/migrate" "$BIN/headshot" create-admin --email scaleout@example.com --password-stdin >/dev/null
TOKEN=$(curl -fs --cacert "$SSL_CERT_FILE" -X POST -H 'Content-Type: application/json' \
  -d "{\"email\":\"scaleout@example.com\",\"password\":\"$PASSWORD\"}" "$BASE_URL/api/v1/auth/token" |
  python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])')
STARTED=$(date +%s)
python3 Tests/Fuzz/seed.py "$BASE_URL" "$TOKEN" Tests/Fixtures/faces basic >"$WORK/journey.txt" || fail "the API journey failed"
JOURNEY_SECONDS=$(( $(date +%s) - STARTED ))
NODES=$(awk '{ print $1 }' "$WORK/logs/nginx-upstream.log" | tr ',' '\n' | sort -u | grep -c ':' || true)
[ "$NODES" = 2 ] || fail "nginx used $NODES web nodes, not both"
record "scale-out: customer's API journey through nginx (TLS), 2 web nodes, 2 workers, S3" \
  "passed in ${JOURNEY_SECONDS} s; both web nodes served it" "passes" yes
log "journey passed in ${JOURNEY_SECONDS} s on both web nodes"

log "the customer's journey in Chromium through nginx, desktop and a 390 px phone (JourneyBrowserTests)"
STARTED=$(date +%s)
BROWSER=0
# The test opens its own view of the topology's database and S3 (from this environment) to check behind the pages;
# its screenshots go to artifacts/journey/scaleout-*.png.
JOURNEY_SITE=$BASE_URL JOURNEY_CA_FILE="$SSL_CERT_FILE" TEST_DATABASE=scaleout TEST_CHROMEDRIVER=/usr/bin/chromedriver \
  TEST_CHROMIUM=/usr/bin/chromium TEST_SMTP_PORT=$RELAY_PORT TEST_SMTP_CA="$RELAY_CERT" TEST_SMTP_MAILDIR="$WORK/mail" \
  swift test --skip-build --filter 'JourneyBrowserTests/theWholeJourneyWorksThroughTheScaleOutTopology' \
  >"$WORK/logs/browser-journey.log" 2>&1 || BROWSER=$?
BROWSER_SECONDS=$(( $(date +%s) - STARTED ))
if [ "$BROWSER" = 0 ] && grep -q 'Test run with 1 test .*passed' "$WORK/logs/browser-journey.log"; then
  record "scale-out: the customer's journey in Chromium (desktop and 390 px phone) through nginx" \
    "passed in ${BROWSER_SECONDS} s: sign-up mail, upload, declined then paid card, live status, gallery, ZIP, report, deletion receipt" "passes" yes
else
  grep -E '✘|error' "$WORK/logs/browser-journey.log" | head -20 >&2
  fail "the browser journey failed (logs/browser-journey.log)"
fi
log "browser journey passed in ${BROWSER_SECONDS} s"

log "a Professional order (100 headshots) whose rendering worker is SIGKILLed"
ORDER=$(python3 Tests/Fuzz/seed.py "$BASE_URL" "$TOKEN" Tests/Fixtures/faces pay professional) || fail "paying the Professional order failed"
psql_q() { psql "$PG_URL" -Atc "$1"; }
VICTIM=
for _ in $(seq 600); do
  OWNER=$(psql_q "select lease_owner from generation_jobs where order_id = '$ORDER' and status = 'running' and progress_done >= 5")
  if [ -n "$OWNER" ]; then
    for i in 1 2; do
      pid_var="PID_worker_$i"
      case "$OWNER" in *"-${!pid_var}-"*) VICTIM=$i ;; esac
    done
    [ -n "$VICTIM" ] && break
  fi
  sleep 0.1
done
[ -n "$VICTIM" ] || fail "no worker was seen rendering the order"
pid_var="PID_worker_$VICTIM"
DONE_AT_KILL=$(psql_q "select progress_done from generation_jobs where order_id = '$ORDER'")
kill -KILL "${!pid_var}"
log "killed worker-$VICTIM (pid ${!pid_var}) with $DONE_AT_KILL of 100 made; restarting it as systemd would"
sleep 2
start "worker-$VICTIM" "$BIN/headshot" worker
COUNT=$(python3 Tests/Fuzz/seed.py "$BASE_URL" "$TOKEN" Tests/Fixtures/faces wait "$ORDER") || fail "the order did not complete after the kill"
ASSETS=$(psql_q "select count(*) || ' ' || count(distinct sequence) from generated_assets where order_id = '$ORDER'")
JOBS=$(psql_q "select count(*) filter (where status = 'succeeded') || ' of ' || count(*) from generation_jobs")
SUCCEEDED=$(psql_q "select count(*) from audit_events where subject_id in (select id from generation_jobs where order_id = '$ORDER') and to_state = 'succeeded'")
REAPED=$(psql_q "select count(*) from audit_events where subject_id in (select id from generation_jobs where order_id = '$ORDER') and detail = 'lease expired'")
AUDIT=0; DATA_DIR="$WORK/migrate" "$BIN/headshot" audit-storage >"$WORK/logs/audit-storage.log" 2>&1 || AUDIT=$?
PASS=yes
[ "$COUNT" = 100 ] && [ "$ASSETS" = "100 100" ] && [ "$SUCCEEDED" = 1 ] && [ "$REAPED" -ge 1 ] && [ "$AUDIT" = 0 ] || PASS=no
[ "$(psql_q "select count(*) from generation_jobs where status <> 'succeeded'")" = 0 ] || PASS=no
record "scale-out: worker SIGKILLed mid-render (at $DONE_AT_KILL of 100)" \
  "gallery $COUNT; rows/distinct $ASSETS; job succeeded ${SUCCEEDED}×, reaped ${REAPED}×; jobs $JOBS succeeded; audit-storage exit $AUDIT" \
  "100 headshots once each, no orphan blobs" "$PASS"
log "after the kill: gallery $COUNT, assets $ASSETS, succeeded $SUCCEEDED, reaped $REAPED, jobs $JOBS, audit-storage $AUDIT"
[ "$PASS" = yes ] || { cat "$WORK/logs/audit-storage.log" >&2; exit 1; }

log "SIGTERM: every process of the topology stops cleanly"
STOPS=()
for name in web-1 web-2 worker-1 worker-2; do
  pid_var="PID_${name//-/_}"
  kill -TERM "${!pid_var}"
  status=0; wait "${!pid_var}" || status=$?
  STOPS+=("$name $status")
done
CLEAN=yes
for stop in "${STOPS[@]}"; do [ "${stop##* }" = 0 ] || CLEAN=no; done
record "scale-out: SIGTERM to each web node and worker" "$(IFS=,; echo "${STOPS[*]}" | sed 's/,/, /g')" "exit 0 each" "$CLEAN"
[ "$CLEAN" = yes ] || fail "a process did not stop cleanly: ${STOPS[*]}"
log "the scale-out topology held"
