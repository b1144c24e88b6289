#!/usr/bin/env bash
# Fuzzes the local REST API with Schemathesis (installed by scripts/setup.sh): `credence serve` on a
# fresh vault on a free loopback port, then every operation of the committed docs/openapi.json with
# generated valid and invalid requests. Fails on any 5xx, any status, header, content type or body the
# document does not describe, an invalid request accepted, or an operation that ignores the token.
# Usage: scripts/api-fuzz.sh [EXAMPLES per operation, default 30]. Needs the debug `credence` binary
# (scripts/test.sh builds it first).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
examples="${1:-30}"
st="$HOME/.cache/credence/schemathesis/bin/st"
credence="$CARGO_TARGET_DIR/debug/credence"
[ -x "$credence" ] || cargo build --quiet -p credence-cli --bin credence

work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
export CREDENCE_VAULT="$work/fuzz.vault" CREDENCE_PASSPHRASE="fuzzing the local api for real"
"$credence" init --json >/dev/null
"$credence" account add Everyday --type checking >/dev/null
"$credence" serve --listen 127.0.0.1:0 --json >"$work/serving" &
server=$!
# The server's first line says where it listens; wait for it (or for the server to die).
for _ in $(seq 1 600); do
  [ -s "$work/serving" ] && break
  kill -0 "$server" 2>/dev/null || { echo "api-fuzz: credence serve stopped" >&2; exit 1; }
  sleep 0.1
done
base="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["listening"].removesuffix("/api/v1"))' "$work/serving")"
token="$(cat "$CREDENCE_VAULT.api-token")"
# Run from the scratch folder: Schemathesis keeps its state in the working directory.
repo="$PWD"
cd "$work"
"$st" --config-file "$repo/scripts/schemathesis.toml" run "$repo/docs/openapi.json" --url "$base" \
  --header "Authorization: Bearer $token" --checks all --mode all \
  --max-examples "$examples" --seed 20261203 --generation-database none --no-color
