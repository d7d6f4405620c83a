#!/usr/bin/env bash
# Benchmarks the python bridge against one sandbox server, in one run:
#   (a) single-session point selects from a Python handler through the bridge
#   (b) the same loop with PyMySQL in plain Python
#   (c) the same loop from a C++ handler
# and the cost of dispatching an empty Python handler versus a C++ one.
# Prints the figures and the ratios. Usage: scripts/bench-python.sh [SECONDS]
# (default 5 per measurement). Needs a build (scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-5}
TABLE_SIZE=10000
STEPS=200000
RIG=build/bin/test-rig
PLUGINS=build/tests/test-plugins
PY=/usr/bin/python3
WORK=$(mktemp -d)
trap '"$RIG" sandbox stop "$WORK/sb" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

"$RIG" sandbox start "$WORK/sb" >/dev/null
CONFIG="$WORK/sb/tidb_config.toml"
rig() { "$RIG" --config "$CONFIG" --plugin-dir "$PLUGINS" --python-tests tests/bench/python \
          --max-steps 10000000 --log-level warn --report-json "$WORK/r.json" "$@" >/dev/null; }
record() {  # record TEST KEY: a record of the last run's report
  "$PY" -c 'import json,sys; t={t["name"]:t for t in json.load(open(sys.argv[1]))["tests"]}
print(t[sys.argv[2]]["records"][sys.argv[3]])' "$WORK/r.json" "$1" "$2"
}

rig run bench/prepare --bench.table-size "$TABLE_SIZE"
export BENCH_SECONDS=$SECONDS_EACH BENCH_TABLE_SIZE=$TABLE_SIZE BENCH_STEPS=$STEPS

# Interleaved, twice, so that drift on the machine hits every contender.
# Each round appends "name qps cpu_us_per_query".
: > "$WORK/rounds"
for round in 1 2; do
  rig run python/bench-point-select
  echo "bridge $(record python/bench-point-select qps) $(record python/bench-point-select cpu_us_per_query)" >> "$WORK/rounds"
  echo "pymysql $("$PY" tests/bench/pymysql_point_select.py "$CONFIG" "$SECONDS_EACH" "$TABLE_SIZE")" >> "$WORK/rounds"
  rig run bench/point-select --bench.seconds "$SECONDS_EACH" --bench.table-size "$TABLE_SIZE"
  echo "cpp $(record bench/point-select qps) $(record bench/point-select cpu_us_per_query)" >> "$WORK/rounds"
done

rig run python/bench-empty-loop
py_step=$(record python/bench-empty-loop ns_per_step)
rig run bench/empty-loop --bench.steps "$STEPS"
cpp_step=$(record bench/empty-loop ns_per_step)

"$PY" - "$WORK/rounds" "$py_step" "$cpp_step" <<'PYEOF'
import collections
import sys
rounds = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, qps, cpu = line.split()
    rounds[name].append((float(qps), float(cpu)))
mean = {name: [sum(column) / len(column) for column in zip(*values)]
        for name, values in rounds.items()}
py_step, cpp_step = float(sys.argv[2]), float(sys.argv[3])
print("single-session point select (mean of 2 interleaved rounds):")
print("                                     queries/s   client CPU us/query")
for key, label in (("bridge", "(a) Python handler via the bridge"),
                   ("pymysql", "(b) PyMySQL, plain Python"),
                   ("cpp", "(c) C++ handler")):
    print("  %-34s %9.0f   %9.1f" % (label, mean[key][0], mean[key][1]))
print("  throughput (a)/(b) = %.2f (target >= 2.5); (a)/(c) = %.2f"
      % (mean["bridge"][0] / mean["pymysql"][0], mean["bridge"][0] / mean["cpp"][0]))
print("  client CPU per query (b)/(a) = %.2f; (a)/(c) = %.2f"
      % (mean["pymysql"][1] / mean["bridge"][1], mean["bridge"][1] / mean["cpp"][1]))
# A step calls enter, execute and exit: three Python calls.
print("empty handler, one step (enter+execute+exit): Python %.0f ns, C++ %.0f ns"
      % (py_step, cpp_step))
print("  Python dispatch overhead per handler call: %.2f us (target <= 2 us)"
      % ((py_step - cpp_step) / 3 / 1000))
PYEOF
