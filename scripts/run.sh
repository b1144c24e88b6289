#!/usr/bin/env bash
# The product's main job: build the Credence desktop app and open it on the default vault (the first run
# creates the vault). With arguments, runs the command line instead: scripts/run.sh tx list --json
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

if (($#)); then
  cargo build --release --quiet -p credence-cli
  exec "$CARGO_TARGET_DIR/release/credence" "$@"
fi

app="$(bash scripts/build-app.sh)"
echo "Credence: $app (vault: ${CREDENCE_VAULT:-the default, see \`scripts/run.sh where\`})"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$app"
fi
# A machine without a screen (a server, CI): run the app in a virtual display and show what it shows.
shot="$HOME/.cache/credence/window.png"
mkdir -p "$(dirname "$shot")"
echo "No display here: running the app in a virtual display; a screenshot goes to $shot. Ctrl-C stops it."
display=":$((RANDOM % 400 + 100))"
Xvfb "$display" -screen 0 1280x820x24 -nolisten tcp >/dev/null 2>&1 & xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
DISPLAY="$display" "$app" & pid=$!
sleep 6 && DISPLAY="$display" import -window root "$shot" && echo "Screenshot: $shot"
wait "$pid"
