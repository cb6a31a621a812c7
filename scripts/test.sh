#!/usr/bin/env bash
# `make test`: installs what the tests need, starts a throwaway PostgreSQL 15 cluster and SMTP test servers
# on free loopback ports, runs the whole suite on SQLite and again on PostgreSQL, and stops what it started.
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
ROOT=$(pwd)

ensure_packages postgresql-15 postgresql-client-15 python3 python3-venv openssl ca-certificates curl chromium chromium-driver "${IMAGING_PACKAGES[@]}"
ensure_swift
bash scripts/models.sh
export MODELS_DIR=${MODELS_DIR:-$ROOT/models}
# Screenshots from the browser tests are kept here for people to look at after the run.
export ARTIFACTS_DIR=${ARTIFACTS_DIR:-$ROOT/artifacts}
export TEST_CHROMEDRIVER=/usr/bin/chromedriver TEST_CHROMIUM=/usr/bin/chromium

WORK=$(mktemp -d /tmp/headshot-test.XXXXXX)
chmod 755 "$WORK"
PIDS=()
PG_DATA="$WORK/pg"

cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  stop_postgres "$PG_DATA"
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT INT TERM

ensure_test_server_tools

log "starting PostgreSQL 15"
start_postgres "$PG_DATA"
export TEST_POSTGRES_URL=$PG_URL

log "starting SMTP test servers"
start_smtp_relay "$WORK" test "s3cret-pass" /dev/stdout
PIDS+=("$RELAY_PID")
export TEST_SMTP_PORT=$RELAY_PORT TEST_SMTP_LOGIN_PORT=$RELAY_LOGIN_PORT TEST_SMTP_PLAIN_PORT=$RELAY_PLAIN_PORT TEST_SMTP_CA="$RELAY_CERT" \
  TEST_SMTP_MAILDIR="$WORK/mail" TEST_SMTP_USER=test TEST_SMTP_PASSWORD="s3cret-pass"

log "starting the S3-compatible test server (moto)"
start_moto "$WORK/moto.log"
PIDS+=("$S3_PID")
export TEST_S3_ENDPOINT=$S3_ENDPOINT

log "building tests"
swift build --build-tests

# The suites that wait on another process under a fixed timeout (Chromium over WebDriver, the SMTP
# test server's TLS conversations) run in a phase of their own after the parallel suite, so two
# hundred tests starting at once on two cores cannot starve the server or relay they are waiting on.
END_TO_END_SUITES='BrowserTests|SMTPTests|SMTPClientTests'
# The targets that never open a database (imaging, storage, mail, ZIP) run once, on the SQLite pass:
# the PostgreSQL pass would run the same code on the same inputs again.
DATABASE_FREE='^(ImagingTests|BlobStorageTests|MailTests|ZipTests)\.'
for database in sqlite postgres; do
  SKIP=()
  [ "$database" = postgres ] && SKIP=(--skip "$DATABASE_FREE")
  log "test suite on $database"
  TEST_DATABASE=$database swift test --skip-build --skip "$END_TO_END_SUITES" "${SKIP[@]}"
  log "end-to-end suites (browser, SMTP) on $database"
  TEST_DATABASE=$database swift test --skip-build --filter "$END_TO_END_SUITES" "${SKIP[@]}"
done
log "API fuzzing (schemathesis, bounded, fixed seed) against headshot serve"
bash scripts/fuzz.sh 5
log "all tests passed on SQLite and PostgreSQL, and the API fuzzing found nothing"
