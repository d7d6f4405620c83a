#!/usr/bin/env bash
# Benchmarks the load plugin against sysbench, in one run, interleaved,
# against one sandbox server and one table (sysbench's layout, made by
# load/point_select's prepare):
#   - sysbench oltp_point_select versus load/point_select at each of
#     THREADS (default 1, 4, 16 and 64), both drawing row ids uniformly
#     (sysbench's own default, "special", sends 3/4 of its draws to
#     0.75 % of the rows): queries/s and client CPU per query (user + sys time of
#     the client process tree, from /usr/bin/time, divided by its queries);
#   - a raw Connector/C prepared-statement loop, as the floor;
#   - load/python with samples/python/test_load_event.py (one point select
#     per event from a Python handler) at 4 threads.
# ROUNDS rounds, each running every contender once; sysbench and the rig
# swap places every round, so neither always runs first. Reports the
# median of the rounds for each contender, and the median (and range) of
# the per-round ratios rig/sysbench, which cancel what drifts between rounds.
# Then, with two CPUs or more, ROUNDS rounds side by side: sysbench and the
# rig (and, at 1 thread, the raw loop) run at the same time, on one CPU
# they share, with the server on the others. Both then see the same machine
# at the same moment, so the ratios are free of the drift that makes
# sequential runs on a VM differ by 10-30 % (measured: side-by-side rounds
# stay within about 2 % of each other).
# Usage: scripts/bench-load.sh [SECONDS] [ROUNDS] [THREADS]
# (default 8 s, 5 rounds, "1 4 16 64": about 10 min; "1 4": about 6).
# Needs a build (scripts/build.sh) and Debian's sysbench.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-8}
ROUNDS=${2:-5}
THREADS=${3:-1 4 16 64}
[[ $SECONDS_EACH =~ ^[1-9][0-9]*$ && $ROUNDS =~ ^[1-9][0-9]*$ && $THREADS =~ ^[1-9][0-9]*( [1-9][0-9]*)*$ ]] ||
  { echo "usage: scripts/bench-load.sh [SECONDS] [ROUNDS] [THREADS] (positive whole numbers; THREADS" \
      "a space-separated list such as \"1 4 16 64\")" >&2; exit 2; }
TABLE_SIZE=100000
RIG=build/bin/test-rig
FLOOR=build/bin/raw_point_select
WORK=$(mktemp -d)
trap '"$RIG" sandbox stop "$WORK/sb" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
command -v sysbench >/dev/null || { echo "needs sysbench (apt-get install sysbench)" >&2; exit 2; }

"$RIG" sandbox start "$WORK/sb" >/dev/null
CONFIG="$WORK/sb/tidb_config.toml"
# sysbench reads the password from a 0600 options file, never from argv.
python3 - "$CONFIG" "$WORK/sysbench.cfg" <<'PYEOF'
import os, sys, tomllib
db = tomllib.load(open(sys.argv[1], "rb"))["database"]
host, _, port = db["host"].rpartition(":")
fd = os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
os.write(fd, ("mysql-host=%s\nmysql-port=%s\nmysql-user=%s\nmysql-password=%s\nmysql-db=%s\n"
              % (host, port, db["user"], db["password"], db["database"])).encode())
PYEOF

"$RIG" --config "$CONFIG" --log-level warn run load/point_select --load.table-size "$TABLE_SIZE" \
  --load.time 1 --load.cleanup none >/dev/null

# measure NAME COMMAND...: appends "NAME queries_per_s cpu_us_per_query".
# Two measures of different names may run at once.
measure() {
  local name=$1; shift
  /usr/bin/time -f "%U %S" -o "$WORK/$name.time" "$@" > "$WORK/$name.out" 2>&1
  python3 - "$name" "$WORK/$name.out" "$WORK/$name.time" "$SECONDS_EACH" >> "$WORK/results" <<'PYEOF'
import json, re, sys
name, out, timing, seconds = sys.argv[1], open(sys.argv[2]).read(), open(sys.argv[3]).read(), float(sys.argv[4])
user, system = map(float, timing.split()[-2:])
if "sysbench" in name:
    m = re.search(r"queries:\s+(\d+)\s+\(([\d.]+) per sec", out)
    queries, qps = int(m.group(1)), float(m.group(2))
elif "raw" in name:
    queries, qps = map(float, out.split()[:2])
elif name.startswith("python"):
    m = re.search(r"events: (\d+) succeeded \(([\d.]+)/s\)", out)
    queries, qps = int(m.group(1)), float(m.group(2))
else:
    m = re.search(r"queries: (\d+) \(([\d.]+)/s\)", out)
    queries, qps = int(m.group(1)), float(m.group(2))
print(name, qps, (user + system) * 1e6 / queries)
PYEOF
}

: > "$WORK/results"
# sysbench_run THREADS [PREFIX...] / rig_run THREADS [PREFIX...]: one
# measurement of each, its command after PREFIX (e.g. taskset -c 1), named
# after the prefix's first word ("taskset-sysbench-1") if there is one.
sysbench_run() {
  local threads=$1; shift
  measure "${1:+$1-}sysbench-$threads" "$@" sysbench oltp_point_select \
    --config-file="$WORK/sysbench.cfg" --rand-type=uniform --tables=1 \
    --table-size="$TABLE_SIZE" --threads="$threads" --time="$SECONDS_EACH" run
}
rig_run() {
  local threads=$1; shift
  measure "${1:+$1-}rig-$threads" "$@" "$RIG" --config "$CONFIG" --log-level warn \
    run load/point_select --load.prepare skip --load.cleanup none \
    --load.table-size "$TABLE_SIZE" --load.threads "$threads" --load.time "$SECONDS_EACH" \
    --load.prepared
}

for round in $(seq "$ROUNDS"); do
  for threads in $THREADS; do
    if (( round % 2 )); then
      sysbench_run "$threads"; rig_run "$threads"
    else
      rig_run "$threads"; sysbench_run "$threads"
    fi
  done
  measure "raw-1" "$FLOOR" "$CONFIG" "$SECONDS_EACH" "$TABLE_SIZE"
  measure "python-4" "$RIG" --config "$CONFIG" --log-level warn --python-tests samples/python \
    run load/python --load.prepare skip --load.cleanup none --load.table-size "$TABLE_SIZE" \
    --load.threads 4 --load.time "$SECONDS_EACH"
done

# Side by side: the server on every CPU but the last, both clients on it.
CPUS=$(nproc)
if (( CPUS >= 2 )); then
  taskset -a -p -c "0-$((CPUS - 2))" "$(cat "$WORK/sb/mysqld.pid")" >/dev/null
  for round in $(seq "$ROUNDS"); do
    for threads in $THREADS; do
      sysbench_run "$threads" taskset -c "$((CPUS - 1))" & sysbench_pid=$!
      rig_run "$threads" taskset -c "$((CPUS - 1))" & rig_pid=$!
      # The floor beside them at 1 thread (it has one).
      floor_pid=
      if (( threads == 1 )); then
        measure "taskset-raw-1" taskset -c "$((CPUS - 1))" "$FLOOR" "$CONFIG" "$SECONDS_EACH" \
          "$TABLE_SIZE" & floor_pid=$!
      fi
      wait "$sysbench_pid"; wait "$rig_pid"; [[ -z $floor_pid ]] || wait "$floor_pid"
    done
  done
fi

python3 - "$WORK/results" "$ROUNDS" "$SECONDS_EACH" "$THREADS" <<'PYEOF'
import collections, statistics, sys
thread_counts = [int(t) for t in sys.argv[4].split()]
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, qps, cpu = line.split()
    rows[name].append((float(qps), float(cpu)))
median = {k: [statistics.median(c) for c in zip(*v)] for k, v in rows.items()}

def ratios(threads, prefix):
    pairs = list(zip(rows["%srig-%d" % (prefix, threads)], rows["%ssysbench-%d" % (prefix, threads)]))
    qps_ratios = sorted(r[0] / s[0] for r, s in pairs)
    cpu_ratios = sorted(r[1] / s[1] for r, s in pairs)
    print("  %d thr, rig/sysbench per round: throughput %.3f (%.3f-%.3f; target >= 1), "
          "CPU/query %.3f (%.3f-%.3f; target <= 1)"
          % (threads, statistics.median(qps_ratios), qps_ratios[0], qps_ratios[-1],
             statistics.median(cpu_ratios), cpu_ratios[0], cpu_ratios[-1]))

def row(label, key):
    q, c = median[key]
    print("%-36s %12.0f %22.2f" % (label, q, c))

# sysbench and the rig at each thread count, then the floor; `prefix`
# picks the runs in turn ("") or side by side ("taskset-").
def contenders(prefix):
    for threads in thread_counts:
        for key, label in (("sysbench", "sysbench"), ("rig", "test-rig load/point_select")):
            row("%s, %d thr" % (label, threads), "%s%s-%d" % (prefix, key, threads))
        ratios(threads, prefix)
    if prefix + "raw-1" in median:
        row("raw Connector/C PS, 1 thr", prefix + "raw-1")

print("oltp_point_select, 100000 rows, uniform ids, %s rounds of %s s, medians"
      % (sys.argv[2], sys.argv[3]))
print("%-36s %12s %22s" % ("", "queries/s", "client CPU us/query"))
contenders("")
row("load/python (Python event), 4 thr", "python-4")
if any(k.startswith("taskset-") for k in rows):
    print("side by side (at the same time, on one shared CPU), medians")
    contenders("taskset-")
    if "taskset-raw-1" in rows:
        floor = sorted(r[1] / s[1] for r, s in zip(rows["taskset-raw-1"], rows["taskset-sysbench-1"]))
        print("  raw/sysbench CPU/query per round: %.3f (%.3f-%.3f)"
              % (statistics.median(floor), floor[0], floor[-1]))
else:
    print("side by side: skipped (needs two CPUs)")
PYEOF
