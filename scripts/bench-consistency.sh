#!/usr/bin/env bash
# Benchmarks the consistency plugin (not a test; never timed in ctest):
#
# 1. The checker, on synthetic list-append histories of 10^4, 10^5 and 10^6
#    transactions over few (10) and many (10^5) keys, each from a simulated
#    strict-serializable database (tests/simulation), written to a file and
#    checked in a process of its own (build/bin/consistency_checker_bench):
#    transactions checked per second, the check's cost in floors (one plain
#    pass over every operation and element of the same history, measured in
#    the same process: what merely touching the history costs), and the
#    process's peak resident memory. Targets: >= 200 000 transactions/s, and
#    10^6 transactions in under 2 GiB. (Elle, for comparison, publishes
#    100 000-160 000 transactions/s with a 60 GB heap; it cannot run here:
#    its Clojure dependencies come from Maven, which this machine cannot
#    reach.)
# 2. What recording the history costs the workload: consistency/list-append
#    with --consistency.record true and false on one sandbox, ROUNDS rounds
#    of SECONDS each, first in turn (swapping the order every round), then
#    side by side (both at once, sharing the same server and machine at the
#    same moment). Reports committed transactions/s, the medians and the
#    per-round ratios recorded/unrecorded. Target: >= 0.95.
#
# Usage: scripts/bench-consistency.sh [SECONDS] [ROUNDS] (default 5 s, 5
# rounds: about 5 minutes). Needs a build (scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-5}
ROUNDS=${2:-5}
[[ $SECONDS_EACH =~ ^[1-9][0-9]*$ && $ROUNDS =~ ^[1-9][0-9]*$ ]] ||
  { echo "usage: scripts/bench-consistency.sh [SECONDS] [ROUNDS] (positive whole numbers)" >&2; exit 2; }
RIG=build/bin/test-rig
BENCH=build/bin/consistency_checker_bench
[[ -x $RIG && -x $BENCH ]] || { echo "needs a build: scripts/build.sh" >&2; exit 2; }
WORK=$(mktemp -d)
trap '"$RIG" sandbox stop "$WORK/sb" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

echo "== the checker on synthetic histories (one process per history)"
printf '%-14s %-8s %12s %10s %14s %10s %10s\n' transactions keys "check s" "floor s" \
  "checked txn/s" "in floors" "peak MiB"
for transactions in 10000 100000 1000000; do
  for keys in 10 100000; do
    "$BENCH" generate "$transactions" "$keys" 1 "$WORK/history.jsonl"
    line=$("$BENCH" check "$WORK/history.jsonl")
    value() { grep -o "$1=[0-9.]*" <<<"$line" | cut -d= -f2; }
    printf '%-14s %-8s %12s %10s %14s %10s %10s\n' "$transactions" "$keys" "$(value check_s)" \
      "$(value floor_s)" "$(value check_txn_per_s)" "$(value check_in_floors)" "$(value peak_mib)"
    rm -f "$WORK/history.jsonl"
  done
done

echo
echo "== what recording costs: consistency/list-append, ${SECONDS_EACH} s, 8 sessions"
"$RIG" sandbox start "$WORK/sb" >/dev/null 2>&1
CONFIG="$WORK/sb/tidb_config.toml"
# run NAME RECORD: one run; appends its committed transactions/s to NAME.tps.
run() {
  "$RIG" --config "$CONFIG" --log-level warn --report-json "$WORK/$1.json" \
    run consistency/list-append --consistency.time "$SECONDS_EACH" --consistency.record "$2" \
    --consistency.out-dir "$WORK/out" >/dev/null 2>&1 || true
  python3 - "$WORK/$1.json" >>"$WORK/$1.tps" <<'PYEOF'
import json, sys
ops = json.load(open(sys.argv[1]))["tests"][0]["details"]["operations"]
print("%.1f" % (ops["succeeded"] / ops["seconds"]))
PYEOF
}
for round in $(seq "$ROUNDS"); do
  if ((round % 2)); then run in_turn_recorded true; run in_turn_unrecorded false
  else run in_turn_unrecorded false; run in_turn_recorded true; fi
done
for round in $(seq "$ROUNDS"); do
  run side_recorded true & run side_unrecorded false & wait
done
python3 - "$WORK" <<'PYEOF'
import statistics, sys
work = sys.argv[1]
def tps(name): return [float(x) for x in open(f"{work}/{name}.tps")]
for mode in ("in_turn", "side"):
    rec, unrec = tps(mode + "_recorded"), tps(mode + "_unrecorded")
    ratios = [r / u for r, u in zip(rec, unrec)]
    print(f"{mode.replace('_', ' '):8} recorded {statistics.median(rec):8.1f} txn/s  "
          f"unrecorded {statistics.median(unrec):8.1f} txn/s  "
          f"ratio median {statistics.median(ratios):.3f} (range {min(ratios):.3f}-{max(ratios):.3f})")
PYEOF
