#!/usr/bin/env bash
# Starts the desktop app in a virtual display and saves a screenshot of it: scripts/screenshot.sh OUT.png
# [SECONDS]. The app uses $CREDENCE_VAULT (default: the usual vault); BIN overrides the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:?usage: scripts/screenshot.sh OUT.png [SECONDS]}"
wait="${2:-6}"
bin="${BIN:-$(bash scripts/build-app.sh)}"
display=":$((RANDOM % 400 + 100))"
Xvfb "$display" -screen 0 1280x820x24 -nolisten tcp >/dev/null 2>&1 & xvfb=$!
trap 'kill $app $xvfb 2>/dev/null || true' EXIT
sleep 1
DISPLAY="$display" "$bin" & app=$!
sleep "$wait"
DISPLAY="$display" import -window root "$out"
echo "$out"
