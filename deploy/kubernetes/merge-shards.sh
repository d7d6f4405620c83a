#!/usr/bin/env bash
# The merge step: waits until every shard's report is in REPORTS (at most
# WAIT_SECONDS, default 3600), then merges them into REPORTS/merged.json
# and merged.xml. Exits as test-rig report merge does: 0 every test passed,
# 1 a test failed, 2 a report is missing or unreadable, 3 an error.
#
#   SHARDS=3 REPORTS=/reports merge-shards.sh
set -euo pipefail
shards="${SHARDS:-}"
reports="${REPORTS:-/reports}"
wait_seconds="${WAIT_SECONDS:-3600}"
rig="${TEST_RIG:-test-rig}"
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "merge-shards: set SHARDS, e.g. SHARDS=3" >&2; exit 2; }
files=()
for ((i = 0; i < shards; i++)); do files+=("$reports/shard-$i.json"); done
deadline=$((SECONDS + wait_seconds))
for file in "${files[@]}"; do
  until [[ -s "$file" ]]; do
    if ((SECONDS >= deadline)); then
      echo "merge-shards: $file did not appear within $wait_seconds s; is its pod done?" >&2
      exit 2
    fi
    sleep 5
  done
done
exec "$rig" report merge "${files[@]}" \
  --report-json "$reports/merged.json" --junit "$reports/merged.xml"
