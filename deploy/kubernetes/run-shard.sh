#!/usr/bin/env bash
# One shard of a test-rig run: what each pod of the Indexed Job runs, and
# what tests/integration/kubernetes_local_test.sh runs on one machine.
#
#   SHARD=1 SHARDS=3 RUN_ID=nightly-42 REPORTS=/reports run-shard.sh load/read_write txn
#
# SHARD defaults to JOB_COMPLETION_INDEX, which Kubernetes sets in each pod
# of an Indexed Job; RUN_ID, the same in every shard of the run, to the
# Job's uid (shards-job.yaml gives it from the pod's labels). The words
# are test-rig run's: test patterns and options. The config file (TEST_RIG_CONFIG, default
# /etc/test-rig/config.toml) says where the server is; the password comes
# from TIDB_PASSWORD (a Secret in the cluster), never from the arguments.
# Writes REPORTS/shard-SHARD.json and .xml; exits as test-rig run does.
set -euo pipefail
shard="${SHARD:-${JOB_COMPLETION_INDEX:-}}"
shards="${SHARDS:-}"
reports="${REPORTS:-/reports}"
config="${TEST_RIG_CONFIG:-/etc/test-rig/config.toml}"
rig="${TEST_RIG:-test-rig}"
run_id="${RUN_ID:-}"
[[ "$shard" =~ ^[0-9]+$ && "$shards" =~ ^[1-9][0-9]*$ ]] ||
  { echo "run-shard: set SHARD (or JOB_COMPLETION_INDEX) and SHARDS, e.g. SHARD=0 SHARDS=3" >&2; exit 2; }
[[ -n "$run_id" ]] ||
  { echo "run-shard: set RUN_ID, the same for every shard of the run, e.g. RUN_ID=nightly-42" >&2; exit 2; }
mkdir -p "$reports"
exec "$rig" --config "$config" --shard "$shard/$shards" --run-id "$run_id" \
  --report-json "$reports/shard-$shard.json" --junit "$reports/shard-$shard.xml" run "$@"
