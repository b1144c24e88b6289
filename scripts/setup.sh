#!/usr/bin/env bash
# Installs what building and testing Credence needs, only where it is missing (safe to run again).
# Debian/Ubuntu only; on macOS and Windows see README.md for the prerequisites.
set -euo pipefail
cd "$(dirname "$0")/.."

need_pkgs=(build-essential pkg-config perl make libdbus-1-dev keyutils
           dbus dbus-x11 gnome-keyring            # the real OS-keychain test
           libwebkit2gtk-4.1-dev libssl-dev librsvg2-dev   # the desktop app (Tauri on WebKitGTK)
           xvfb webkit2gtk-driver imagemagick     # the app in a virtual display: E2E and screenshots
           dunst                                  # a notification daemon: E2E reads the app's notifications back
           gcc-mingw-w64-x86-64                   # checking that core, CLI and app still build for Windows
           python3-venv                           # Schemathesis (from PyPI) fuzzing the REST API
           postgresql)                            # the sync server's PostgreSQL backend (tests start their own cluster)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${need_pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}" >&2
    sudo_cmd=(); [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
    # Debian's package creates and starts a "main" cluster; the tests run throwaway clusters of their own
    # (server/tests/support/postgres.rs), so the one the install started is stopped again.
    if [[ " ${missing[*]} " == *" postgresql "* ]] && command -v pg_lsclusters >/dev/null 2>&1; then
      pg_lsclusters -h | awk '$4 == "online" { print $1, $2 }' | while read -r version cluster; do
        "${sudo_cmd[@]}" pg_ctlcluster "$version" "$cluster" stop || true
      done
    fi
  fi
else
  echo "setup: not a Debian-like system; install the packages listed in README.md yourself" >&2
fi

command -v cargo >/dev/null 2>&1 || { echo "setup: cargo not found; install Rust from rustup.rs" >&2; exit 1; }

# The UI is Rust compiled to wasm; its JS glue comes from wasm-bindgen, whose CLI must be exactly the
# version in Cargo.lock.
if command -v rustup >/dev/null 2>&1 && ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown target" >&2
  rustup target add wasm32-unknown-unknown
fi
if command -v rustup >/dev/null 2>&1 && ! rustup target list --installed | grep -qx x86_64-pc-windows-gnu; then
  echo "setup: adding the x86_64-pc-windows-gnu target" >&2
  rustup target add x86_64-pc-windows-gnu
fi
for component in rustfmt clippy; do
  if command -v rustup >/dev/null 2>&1 && ! rustup component list --installed | grep -q "^$component-"; then
    echo "setup: adding the $component component" >&2
    rustup component add "$component"
  fi
done
bindgen_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3 }' Cargo.lock)"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  echo "setup: installing wasm-bindgen-cli $bindgen_version (a few minutes, once)" >&2
  # Not --locked: the CLI's own lock file names a webpki-roots release the registry index lacks.
  cargo install --quiet wasm-bindgen-cli --version "$bindgen_version"
fi
# tauri-driver bridges WebDriver to the app for the end-to-end tests.
if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "setup: installing tauri-driver 2.1.0" >&2
  cargo install --quiet --locked tauri-driver --version 2.1.0
fi
# Schemathesis fuzzes the REST API from its OpenAPI document (scripts/api-fuzz.sh), in its own venv.
schemathesis_venv="$HOME/.cache/credence/schemathesis"
if [ ! -x "$schemathesis_venv/bin/st" ]; then
  echo "setup: installing Schemathesis into $schemathesis_venv" >&2
  python3 -m venv "$schemathesis_venv"
  "$schemathesis_venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis>=4.0,<5"
fi
