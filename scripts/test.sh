#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what it needs, checks the formatting (rustfmt.toml),
# builds and lints every crate in one build, fuzzes for a minute per target (FUZZ_SECONDS to change; 0
# skips it), runs every test, fuzzes the REST API with Schemathesis (API_FUZZ examples per operation,
# default 30; 0 skips it), checks that core, the CLI and the app still compile for Windows (WINDOWS=0
# skips it), then drives the built desktop app end to end in a virtual display (scripts/e2e.sh; E2E=0
# skips it), and ends with one line of totals.
set -euo pipefail
cd "$(dirname "$0")/.."
# How long each step took, on stderr: where a slow CI run spent its time.
step_started=$SECONDS
took() { echo "test.sh: $1 took $((SECONDS - step_started)) s" >&2; step_started=$SECONDS; }
bash scripts/setup.sh
took setup
source scripts/env.sh
cargo fmt --all --check && cargo fmt --manifest-path core/fuzz/Cargo.toml --all --check
# One build serves the lints and the tests: clippy's driver compiles the workspace's own crates (what
# `cargo clippy` does, warnings as errors) and the dependencies are built once, for the tests, instead of
# a second time in check mode for clippy. Exported, so the app and E2E builds below reuse the same crates.
RUSTC_WORKSPACE_WRAPPER="$(rustup which clippy-driver)"
export RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
cargo test --workspace --all-targets --no-run --quiet
took "build and lint"
if [ "${FUZZ_SECONDS:-60}" != 0 ]; then
  bash scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
  took fuzzing
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
# Every test binary runs even when an earlier one fails, so one red run shows every failure.
cargo test --workspace --no-fail-fast 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
took tests
if [ "${API_FUZZ:-30}" != 0 ]; then
  bash scripts/api-fuzz.sh "${API_FUZZ:-30}"
  api_status=$?
  [ "$status" = 0 ] && status=$api_status
  took "API fuzzing"
fi
if [ "${WINDOWS:-1}" != 0 ]; then
  bash scripts/check-windows.sh
  windows_status=$?
  [ "$status" = 0 ] && status=$windows_status
  took "Windows check"
fi
if [ "${E2E:-1}" != 0 ]; then
  bash scripts/e2e.sh 2>&1 | tee -a "$log"
  e2e_status=${PIPESTATUS[0]}
  [ "$status" = 0 ] && status=$e2e_status
  took "end to end"
fi
set -e
awk '/^test result:/ { for (i = 1; i < NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
