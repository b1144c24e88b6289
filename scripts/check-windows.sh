#!/usr/bin/env bash
# Checks that core, the CLI and the desktop app still compile for Windows (x86_64-pc-windows-gnu, with
# Debian's MinGW for the C parts), so a Unix-only call in platform code cannot land unnoticed. A type
# check, not a build: nothing here runs on Windows. macOS is not checked here (no SDK on Linux); its
# platform code is the Unix code plus the keychain backend (docs/security.md).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar
cargo check --quiet --target x86_64-pc-windows-gnu -p credence-core -p credence-cli -p credence-desktop
echo "windows: core, CLI and desktop app type-check for x86_64-pc-windows-gnu"
