#!/usr/bin/env bash
# The Kubernetes deployment's scripts on one machine: run-shard.sh three
# times, as the Indexed Job's pods 0, 1 and 2 would (JOB_COMPLETION_INDEX),
# against the sandbox, then merge-shards.sh as the merge Job would. Every
# selected test ran in exactly one shard, and the merged report holds them
# all, passed. The password reaches test-rig through TIDB_PASSWORD, as from
# the Secret, never through the arguments.
# Usage: kubernetes_local_test.sh TEST_RIG SOURCE_DIR SANDBOX_CONFIG
set -euo pipefail
rig=$1 source=$2 config=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
deploy="$source/deploy/kubernetes"

# The config as the ConfigMap would give it: no password in it.
password=$(sed -n 's/^password = "\(.*\)"$/\1/p' "$config")
grep -v '^password' "$config" > "$work/config.toml"

for index in 0 1 2; do
  JOB_COMPLETION_INDEX=$index SHARDS=3 REPORTS="$work/reports" TEST_RIG="$rig" \
    TEST_RIG_CONFIG="$work/config.toml" TIDB_PASSWORD="$password" \
    "$deploy/run-shard.sh" connection txn/select-for-update ddl/tables > "$work/shard-$index.log"
done
SHARDS=3 REPORTS="$work/reports" TEST_RIG="$rig" WAIT_SECONDS=5 \
  "$deploy/merge-shards.sh" > "$work/merge.log"

python3 - "$work/reports" "$password" <<'PY'
import json, sys
reports, password = sys.argv[1], sys.argv[2]
seen = []
for i in range(3):
    shard = json.load(open(f"{reports}/shard-{i}.json"))
    assert shard["run"]["shard"] == {"index": i, "count": 3}, shard["run"]["shard"]
    assert password not in open(f"{reports}/shard-{i}.json").read(), "the password in a report"
    seen += [t["name"] for t in shard["tests"]]
assert sorted(seen) == sorted(set(seen)), f"a test ran in two shards: {seen}"
merged = json.load(open(f"{reports}/merged.json"))
names = sorted(t["name"] for t in merged["tests"])
assert names == sorted(["connection/standard", "connection/sessions",
                        "txn/select-for-update", "ddl/tables"]), names
assert all(t["status"] == "passed" for t in merged["tests"]), merged["tests"]
assert len(merged["run"]["merged_from"]) == 3
PY

# A shard's report that never comes is named, and the merge fails.
rm "$work/reports/shard-2.json"
if SHARDS=3 REPORTS="$work/reports" TEST_RIG="$rig" WAIT_SECONDS=0 \
  "$deploy/merge-shards.sh" 2> "$work/missing.err"; then
  echo "merge-shards.sh merged without shard 2's report" >&2
  exit 1
fi
grep -q "shard-2.json did not appear within 0 s" "$work/missing.err"
echo "kubernetes_local_test: 3 shards and the merge ran as the Job's pods would"
