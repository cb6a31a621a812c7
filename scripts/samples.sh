#!/usr/bin/env bash
# `make samples`: builds the renderer (release) and writes the contact sheet and the presets page's examples.
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
ensure_packages "${IMAGING_PACKAGES[@]}"
ensure_swift
bash scripts/models.sh
swift build -c release --product headshot-bench
MODELS_DIR=${MODELS_DIR:-$(pwd)/models} "$(swift build -c release --show-bin-path)/headshot-bench" samples "$@"
