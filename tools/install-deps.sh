#!/usr/bin/env bash
# Installs the Debian packages dcsim needs, only those that are missing (see README.md).
set -euo pipefail
packages=(build-essential cmake ninja-build ccache pkg-config git
  libboost-graph-dev libeigen3-dev libyaml-cpp-dev libcli11-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev libxkbcommon-dev
  libopenmpi-dev openmpi-bin
  clang libclang-rt-14-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
