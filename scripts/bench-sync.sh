#!/usr/bin/env bash
# The sync server's figures of docs/benchmarks.md: DEVICES simulated devices (default 1000), each
# pushing and pulling OPS records (default 1000), CONCURRENCY at once (default 64), against
# credence-server on loopback, first on its embedded SQLite store, then on a throwaway PostgreSQL
# cluster (initdb in a temporary folder, as the postgres user when run as root, stopped at the end).
# Prints the load's throughput and latencies and the server's peak memory (VmHWM) for each.
# Usage: scripts/bench-sync.sh [DEVICES] [OPS] [CONCURRENCY]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
devices="${1:-1000}" ops="${2:-1000}" concurrency="${3:-64}"
cargo build --release -q -p credence-server --bin credence-server --example sync_load
server="$CARGO_TARGET_DIR/release/credence-server"
load="$CARGO_TARGET_DIR/release/examples/sync_load"
work="$(mktemp -d)"
pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
as_pg=(); [ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)
cleanup() {
  [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null || true
  [ -d "$work/pg" ] && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

run_load() { # label, then the server's storage options
  local label="$1"; shift
  "$server" --listen 127.0.0.1:0 "$@" > "$work/server.out" 2> "$work/server.err" &
  server_pid=$!
  until grep -q "listening on" "$work/server.out" 2>/dev/null; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.err"; exit 1; }
    sleep 0.1
  done
  local url; url="$(sed -n 's/^credence-server listening on //p' "$work/server.out")"
  echo "== $label"
  "$load" "$url" "$devices" "$ops" "$concurrency"
  echo "server peak memory: $(awk '/VmHWM/ { print $2, $3 }' "/proc/$server_pid/status")"
  kill "$server_pid"; wait "$server_pid" || true; server_pid=
}

run_load "embedded SQLite" --data "$work/sqlite"

mkdir -p "$work/pg" && [ "$(id -u)" = 0 ] && chown postgres:postgres "$work" "$work/pg"
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U credence --auth=trust -E UTF8 >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -o "-k $work -c listen_addresses='' -c max_connections=200" -w start >/dev/null
"${as_pg[@]}" "$pg_bin/psql" "host=$work user=credence dbname=postgres" -qc "CREATE DATABASE credence"
run_load "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}')" --database "host=$work user=credence dbname=credence" --connections 32
