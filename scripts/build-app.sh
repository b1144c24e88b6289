#!/usr/bin/env bash
# Builds the desktop app: the UI (scripts/build-ui.sh), then the native binary with the UI embedded
# (feature custom-protocol, as `cargo tauri build` does; without it the binary would load the dev server).
# PROFILE=debug builds a debug binary (what the end-to-end tests use). Prints the binary's path.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
profile="${PROFILE:-release}"
flag=(); [ "$profile" = release ] && flag=(--release)
bash scripts/build-ui.sh >&2
cargo build --quiet -p credence-desktop --features custom-protocol "${flag[@]}" >&2
echo "$CARGO_TARGET_DIR/$profile/credence-desktop"
