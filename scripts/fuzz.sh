#!/usr/bin/env bash
# A short fuzzing run (default 60 s each) of the statement reader, of key material (key files, recovery
# keys, credit profiles) and of backups restored and OFX/CAMT read directly, seeded with the golden files.
# Usage: scripts/fuzz.sh [SECONDS]. Builds the libFuzzer target with plain cargo and the flags cargo-fuzz
# would pass (coverage instrumentation, AddressSanitizer), so a fresh machine need not install
# cargo-fuzz (minutes of compiling) first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
seconds="${1:-60}"
target="$(rustc -vV | awk '/^host:/ { print $2 }')"
flags=(-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4
       -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table
       -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Zsanitizer=address
       -Cdebug-assertions -Coverflow-checks)
# An explicit --target keeps these flags off build scripts and proc macros, and the artifacts apart from
# the ordinary builds in the same target folder. RUSTC_BOOTSTRAP lets the stable toolchain take -Z.
# Plain rustc: the fuzz targets are built with sanitizer flags clippy's driver need not see.
# OPENSSL_NO_VENDOR: SQLCipher here links the system's libcrypto (libssl-dev, from scripts/setup.sh)
# instead of compiling OpenSSL from source a second time; the targets fuzz our code, not OpenSSL.
(cd core/fuzz && env -u RUSTC_WORKSPACE_WRAPPER RUSTC_BOOTSTRAP=1 OPENSSL_NO_VENDOR=1 RUSTFLAGS="${flags[*]}" \
  cargo build --quiet --release --target "$target" --bin import_reader --bin key_material --bin backup_and_formats)
# Each target with its seed corpus: the statement reader with the golden statements; key files,
# recovery keys and credit profiles with the credit-profile fixtures and a real key file.
run() {
  local name="$1"; shift
  local corpus="$CARGO_TARGET_DIR/fuzz-corpus/$name"
  mkdir -p "$corpus"
  for seed in "$@"; do cp -n "$seed" "$corpus/" 2>/dev/null || true; done
  CREDENCE_FUZZ_SEEDS="$corpus" "$CARGO_TARGET_DIR/$target/release/$name" "$corpus" \
    -max_total_time="$seconds" -timeout=5 -rss_limit_mb=1024 -print_final_stats=1 2>&1 | tail -n 20
}
run import_reader core/tests/fixtures/import/*
run key_material core/tests/fixtures/score/*.json core/tests/fixtures/schema-v1.vault.keys
# The backup target writes its own seed backup (a real one, at the floor key-derivation cost) first.
run backup_and_formats core/tests/fixtures/import/*.ofx core/tests/fixtures/import/*.qfx core/tests/fixtures/import/*.xml
