#!/usr/bin/env bash
# `make bench`: installs what is missing, builds the service and the benchmark in release mode and
# prints their tables: the photo quality gate in-process, uploads through a running server, the studio
# renderer and whole Basic and Professional orders paid and made through a running server, and the
# generation queue on SQLite and on a throwaway PostgreSQL 15, and an order's deletion on SQLite/local disk
# and PostgreSQL/S3 (moto).
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
ensure_packages postgresql-15 postgresql-client-15 python3 python3-venv curl "${IMAGING_PACKAGES[@]}"
ensure_swift
bash scripts/models.sh
log "building the service and the benchmark (release)"
swift build -c release --product headshot
swift build -c release --product headshot-bench
BIN=$(swift build -c release --show-bin-path)
export MODELS_DIR=${MODELS_DIR:-$(pwd)/models}
"$BIN/headshot-bench" imaging "$@"
"$BIN/headshot-bench" upload --headshot "$BIN/headshot"
"$BIN/headshot-bench" studio
"$BIN/headshot-bench" packages
"$BIN/headshot-bench" memory
"$BIN/headshot-bench" zip

WORK=$(mktemp -d /tmp/headshot-bench.XXXXXX)
chmod 755 "$WORK"
S3_PID=""
trap 'stop_postgres "$WORK/pg"; [ -n "$S3_PID" ] && kill "$S3_PID" 2>/dev/null; rm -rf "$WORK"' EXIT INT TERM
start_postgres "$WORK/pg"
"$BIN/headshot-bench" queue --postgres "$PG_URL"
ROOT=$(pwd)
ensure_test_server_tools
start_moto "$WORK/moto.log"
"$BIN/headshot-bench" deletion --postgres "$PG_URL" --s3 "$S3_ENDPOINT"
