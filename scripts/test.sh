#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what it needs, then lints and tests every crate,
# then fuzzes the statement reader for a minute (FUZZ_SECONDS to change; 0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo test --workspace
if [ "${FUZZ_SECONDS:-60}" != 0 ]; then
  bash scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
fi
