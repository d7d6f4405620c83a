#!/usr/bin/env bash
# Installs the Debian packages test-rig needs to build, test and run its demo.
# Safe to run again: apt-get skips what is already installed.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost-dev libboost-program-options-dev libboost-filesystem-dev
  libmariadb-dev mariadb-server mariadb-client galera-4 rsync
  libspdlog-dev libfmt-dev libtomlplusplus-dev nlohmann-json3-dev
  python3-dev pybind11-dev python3-pytest python3-pymysql python3-yaml
  libgtest-dev libgmock-dev googletest
  sysbench openssl procps time clang-format
  chromium-headless-shell
)

if [[ $(id -u) -ne 0 ]]; then
  sudo=sudo
else
  sudo=
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
