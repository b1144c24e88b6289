#!/usr/bin/env bash
# A short fuzzing run of the statement reader (default 60 s), seeded with the golden files.
# Usage: scripts/fuzz.sh [SECONDS]. Installs cargo-fuzz when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
seconds="${1:-60}"
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz 0.13.2" >&2
  cargo install cargo-fuzz --locked --version 0.13.2 --quiet
fi
corpus="$CARGO_TARGET_DIR/fuzz-corpus/import_reader"
mkdir -p "$corpus"
cp -n core/tests/fixtures/import/* "$corpus/" 2>/dev/null || true
cd core
# cargo-fuzz passes unstable flags to rustc; RUSTC_BOOTSTRAP lets the stable toolchain accept them.
RUSTC_BOOTSTRAP=1 cargo fuzz run import_reader "$corpus" -- \
  -max_total_time="$seconds" -timeout=5 -rss_limit_mb=1024 -print_final_stats=1 2>&1 | tail -n 20
