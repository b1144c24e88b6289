#!/usr/bin/env bash
# A short fuzzing run of the statement reader (default 60 s), seeded with the golden files.
# Usage: scripts/fuzz.sh [SECONDS]. Builds the libFuzzer target with plain cargo and the flags cargo-fuzz
# would pass (coverage instrumentation, AddressSanitizer), so a fresh machine need not install
# cargo-fuzz (minutes of compiling) first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
seconds="${1:-60}"
target="$(rustc -vV | awk '/^host:/ { print $2 }')"
corpus="$CARGO_TARGET_DIR/fuzz-corpus/import_reader"
mkdir -p "$corpus"
cp -n core/tests/fixtures/import/* "$corpus/" 2>/dev/null || true
flags=(-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4
       -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table
       -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Zsanitizer=address
       -Cdebug-assertions -Coverflow-checks)
# An explicit --target keeps these flags off build scripts and proc macros, and the artifacts apart from
# the ordinary builds in the same target folder. RUSTC_BOOTSTRAP lets the stable toolchain take -Z.
(cd core/fuzz && RUSTC_BOOTSTRAP=1 RUSTFLAGS="${flags[*]}" \
  cargo build --quiet --release --target "$target" --bin import_reader)
"$CARGO_TARGET_DIR/$target/release/import_reader" "$corpus" \
  -max_total_time="$seconds" -timeout=5 -rss_limit_mb=1024 -print_final_stats=1 2>&1 | tail -n 20
