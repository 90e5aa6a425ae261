#!/usr/bin/env bash
# Installs the Debian packages Mythos Chat needs to build, run and test, and only those that
# are missing, so repeated runs are fast and offline-friendly.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-websockets-dev qt6-httpserver-dev qt6-charts-dev libqt6opengl6-dev
  libqt6sql6-sqlite libqt6sql6-psql
  libnats-dev nats-server libyaml-cpp-dev zlib1g-dev
  postgresql-15 curl
  # scripts/soak.sh checks acknowledged messages against each instance's SQLite history.
  sqlite3
  chromium nsis dpkg-dev fakeroot
  # promtool, for the alert rules' tests (resources/monitoring).
  prometheus
  # The fuzz stage: Debian 12's clang 14 and its runtime libraries (libclang_rt.fuzzer,
  # ASan, UBSan live in libclang-rt-14-dev).
  clang clang-14 libclang-rt-14-dev llvm-14
  # scripts/check-format.sh: the formatter .clang-format is written for.
  clang-format
)
# The browser tests run on Node.js; use the machine's own when it has one.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
[ "${MYTHOS_DEPS_EXTRA:-}" ] && read -r -a extra <<<"$MYTHOS_DEPS_EXTRA" && packages+=("${extra[@]}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing packages: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
