#!/usr/bin/env bash
# Installs exactly the Debian packages vitals builds, runs and tests with. Idempotent.
set -euo pipefail

packages=(
  cmake g++ make pkg-config ca-certificates curl
  clang-14 libclang-rt-14-dev llvm-14
  prometheus-cpp-dev libcivetweb-dev libtomlplusplus-dev libspdlog-dev
  libsqlite3-dev libsimdjson-dev nlohmann-json3-dev
  libcurl4-openssl-dev libssl-dev zlib1g-dev libroaring-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  prometheus prometheus-alertmanager
  python3 python3-jsonschema python3-yaml
  util-linux mount
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: every package is installed"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup: installing ${missing[*]}"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
