#!/bin/sh
# Stops the sandbox or cluster of a ctest fixture, first copying each of
# its servers' error logs into LOGS (emptied first), so that what the
# servers said during a failed run can still be read once their directory
# is gone (scripts/flake-check.sh keeps them with the failed run's log).
#
#   stop_keeping_logs.sh TEST_RIG DIR LOGS
set -u
rig=$1 dir=$2 logs=$3
rm -rf "$logs" && mkdir -p "$logs"
for log in "$dir"/error.log "$dir"/node*/error.log; do
  if [ -f "$log" ]; then cp "$log" "$logs/$(basename "$(dirname "$log")")-error.log"; fi
done
exec "$rig" sandbox stop "$dir"
