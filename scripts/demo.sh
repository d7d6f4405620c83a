#!/usr/bin/env bash
# The demo: installs what it needs, builds, starts a sandbox MariaDB on a
# free loopback port, runs every discovered test against it, prints the
# summary, and stops the sandbox. Reports land in build/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
mkdir -p build/demo
# The load workloads run 2 s each here (--load.time; sysbench's 10 s by default).
exec build/bin/test-rig run --sandbox --python-tests samples/python --load.time 2 \
  --report-json build/demo/report.json --junit build/demo/junit.xml "$@"
