#!/usr/bin/env bash
# `make bench`: installs what is missing, builds the benchmark in release mode and prints its tables.
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
ensure_packages "${IMAGING_PACKAGES[@]}"
ensure_swift
bash scripts/models.sh
log "building the benchmark (release)"
swift build -c release --product headshot-bench
MODELS_DIR=${MODELS_DIR:-models} "$(swift build -c release --show-bin-path)/headshot-bench" imaging "$@"
