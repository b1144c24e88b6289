#!/usr/bin/env bash
# The product's main job: build Credence and open the default vault (creating it on first run).
# With arguments, runs `credence ARGS...` instead, e.g. scripts/run.sh tx list --json
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
cargo build --release --quiet -p credence-cli
credence="$CARGO_TARGET_DIR/release/credence"

if (($#)); then
  exec "$credence" "$@"
fi
vault="${CREDENCE_VAULT:-$("$credence" where)}"
if [ ! -e "$vault" ]; then
  echo "No vault yet at $vault; creating one."
  "$credence" init
fi
"$credence" account list
echo
"$credence" tx list --limit 20
echo
echo "Next: $credence --help   (the binary is $credence)"
