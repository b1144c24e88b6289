#!/usr/bin/env bash
# Builds the Yew UI into ui/dist: the wasm module, its JS glue (wasm-bindgen CLI, the version locked in
# Cargo.lock, installed by scripts/setup.sh), the page, the stylesheet and the icon. tauri.conf.json runs
# this as beforeBuildCommand, so `cargo tauri build` works too.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
profile="${UI_PROFILE:-release}"
flag=(); [ "$profile" = release ] && flag=(--release)
cargo build --quiet -p credence-ui --bin credence-ui --target wasm32-unknown-unknown "${flag[@]}"
rm -rf ui/dist && mkdir -p ui/dist
wasm-bindgen --target web --no-typescript --out-dir ui/dist \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/$profile/credence-ui.wasm"
cp ui/index.html ui/style.css icons/icon.png ui/dist/
