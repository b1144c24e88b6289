# Sourced by the other scripts: where builds go. The target folder lives outside the clone so a fresh
# clone (CI) reuses earlier builds on the same machine.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/credence/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
