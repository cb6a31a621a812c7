#!/usr/bin/env bash
# `make run`: installs what is missing, builds in release mode and serves on http://localhost:8080 with SQLite.
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
ensure_packages ca-certificates libsqlite3-0 tzdata "${IMAGING_PACKAGES[@]}"
ensure_swift
bash scripts/models.sh
log "building (release)"
swift build -c release --product headshot
# One address everywhere: the one printed here is BASE_URL, which email links use. Redirects within
# the site are relative, so another loopback alias (127.0.0.1) works the same in the browser.
export BASE_URL="${BASE_URL:-http://localhost:${PORT:-8080}}"
log "starting on $BASE_URL (Ctrl-C stops)"
exec "$(swift build -c release --show-bin-path)/headshot" serve --hostname "${HOST:-127.0.0.1}" --port "${PORT:-8080}"
