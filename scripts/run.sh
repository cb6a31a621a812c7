#!/usr/bin/env bash
# `make run`: installs what is missing, builds and serves on http://localhost:8080 with SQLite.
# A debug build of the Swift code: on a fresh 2-core machine it was ready in 14.7 minutes against 23.9 for a release
# build (whose whole-module compiles of Vapor and of the app run on one core each), and it renders at
# close to the release build's speed, because the imaging work is C and C++ (libvips, dlib, OpenCV and our
# shims) that is optimised in every configuration. `make bench` and `make proof` use the release build.
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
ensure_packages ca-certificates libsqlite3-0 tzdata "${IMAGING_PACKAGES[@]}"
ensure_swift
bash scripts/models.sh
log "building (debug Swift; the C and C++ imaging code optimised)"
swift build --product headshot
# One address everywhere: the one printed here is BASE_URL, which email links use. Redirects within
# the site are relative, so another loopback alias (127.0.0.1) works the same in the browser.
export BASE_URL="${BASE_URL:-http://localhost:${PORT:-8080}}"
log "starting on $BASE_URL (Ctrl-C stops)"
exec "$(swift build --show-bin-path)/headshot" serve --hostname "${HOST:-127.0.0.1}" --port "${PORT:-8080}"
