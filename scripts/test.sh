#!/usr/bin/env bash
# The whole test suite: installs what it needs, builds, and runs ctest --
# unit tests, then integration tests against a sandbox MariaDB that the
# suite starts and stops itself.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd build
exec ctest -j 2 --output-on-failure --timeout 300 "$@"
