#!/usr/bin/env bash
# The demo: installs what it needs, builds, starts a sandbox MariaDB on a
# free loopback port, runs every discovered test against it, prints the
# summary, and stops the sandbox. Reports land in build/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
mkdir -p build/demo
exec build/bin/test-rig run --sandbox --python-tests samples/python \
  --report-json build/demo/report.json --junit build/demo/junit.xml "$@"
