#!/usr/bin/env bash
# The demo: installs what it needs, builds, starts a sandbox MariaDB on a
# free loopback port, runs every discovered test against it, prints the
# summary, and stops the sandbox. Reports land in build/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
mkdir -p build/demo
# The load and consistency workloads run 2 s each here (--load.time,
# --consistency.time; sysbench's 10 s and 5 s by default); the histories and
# explanations of the consistency tests land in build/demo/consistency/.
exec build/bin/test-rig run --sandbox --python-tests samples/python --load.time 2 \
  --consistency.time 2 --consistency.out-dir build/demo/consistency \
  --report-json build/demo/report.json --junit build/demo/junit.xml "$@"
