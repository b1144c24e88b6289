#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what it needs, then lints and tests every crate.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo test --workspace
