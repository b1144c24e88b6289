#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what it needs, lints every crate, fuzzes the
# statement reader for a minute (FUZZ_SECONDS to change; 0 skips it), runs every test, then drives the
# built desktop app end to end in a virtual display (scripts/e2e.sh; E2E=0 skips it), and ends with one
# line of totals.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
cargo clippy --workspace --all-targets --quiet -- -D warnings
if [ "${FUZZ_SECONDS:-60}" != 0 ]; then
  bash scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
cargo test --workspace 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "${E2E:-1}" != 0 ]; then
  bash scripts/e2e.sh 2>&1 | tee -a "$log"
  e2e_status=${PIPESTATUS[0]}
  [ "$status" = 0 ] && status=$e2e_status
fi
set -e
awk '/^test result:/ { for (i = 1; i < NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
