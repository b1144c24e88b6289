#!/usr/bin/env bash
# Installs what building and testing Credence needs, only where it is missing (safe to run again).
# Debian/Ubuntu only; on macOS and Windows see README.md for the prerequisites.
set -euo pipefail

need_pkgs=(build-essential pkg-config perl make libdbus-1-dev keyutils
           dbus dbus-x11 gnome-keyring)   # the last three: the real OS-keychain test

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
  fi
else
  echo "setup: not a Debian-like system; install the packages listed in README.md yourself" >&2
fi

command -v cargo >/dev/null 2>&1 || { echo "setup: cargo not found; install Rust from rustup.rs" >&2; exit 1; }
