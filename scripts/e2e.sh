#!/usr/bin/env bash
# The desktop app end to end: builds it (debug, UI embedded), then runs e2e/tests/app.rs in a virtual
# display through tauri-driver + WebKitWebDriver. E2E_SCREENSHOTS=DIR keeps a screenshot of each screen.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
# The UI itself is always an optimised wasm build (scripts/build-ui.sh): an unoptimised Yew app's deep
# render calls overflow the wasm stack on the dashboard and the page freezes.
CREDENCE_APP_BIN="$(PROFILE="${E2E_PROFILE:-debug}" bash scripts/build-app.sh)"
export CREDENCE_APP_BIN
# HOME for WebKit's caches and the keychain of this run only.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
run_home="$(mktemp -d)"
trap 'rm -rf "$run_home"' EXIT
# A session bus of this run only, with a notification daemon (dunst) on it: the app's notifications
# land there and the test reads them back (`dunstctl history`); both end with the session. The bus
# starts no service by itself (no service folders): a desktop portal it would start mounts a FUSE
# folder in $HOME that outlives the run and cannot be removed.
cat > "$run_home/session-bus.conf" <<'CONF'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
export CREDENCE_E2E_NOTIFICATIONS=1
HOME="$run_home" xvfb-run -a -s "-screen 0 1280x820x24" \
  dbus-run-session --config-file="$run_home/session-bus.conf" -- bash -c '
  dunst >/dev/null 2>&1 &
  daemon=$!
  trap "kill $daemon 2>/dev/null" EXIT
  cargo test -p credence-e2e --test app -- --ignored --test-threads=1 "$@"' e2e "$@"
