#!/usr/bin/env bash
# Configures and builds test-rig into build/ (Ninja, 2 jobs, ccache when
# present). Extra arguments go to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build build -j 2
