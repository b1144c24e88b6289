# Sourced by the other scripts: where builds go. The target folder lives outside the clone so a fresh
# clone (CI) reuses earlier builds on the same machine. Cargo names the workspace's own crates by their
# path inside the workspace, so two checkouts that both exist and take turns building here can pick up
# each other's crates: give the second one its own CARGO_TARGET_DIR (or `cargo clean -p` the crates).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/credence/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
