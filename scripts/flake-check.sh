#!/usr/bin/env bash
# Runs the whole ctest suite again and again and counts the runs that fail:
# the suite's flake check. With --burners N, N processes spin on the CPU
# beside it the whole time (`yes > /dev/null`), as a busy CI machine would.
#
#   scripts/flake-check.sh [--build DIR] [--burners N] RUNS
#
# Each run's output goes to DIR/flake/run-K.log; a failed run's log is kept
# as DIR/flake/FAILED-K.log, with its fixture servers' error logs (which
# the fixtures keep in DIR/server-logs) in DIR/flake/FAILED-K-server-logs,
# and named at the end. One line per run, then the
# totals; the exit code is 1 when any run failed.
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
burners=0
while [[ $# -gt 1 ]]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --burners) burners="$2"; shift 2 ;;
    *) echo "flake-check: unknown option '$1'; see the usage at the top of $0" >&2; exit 2 ;;
  esac
done
runs="${1:-}"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] ||
  { echo "flake-check: give the number of runs, e.g. scripts/flake-check.sh 50" >&2; exit 2; }
[[ -f "$build/CTestTestfile.cmake" ]] ||
  { echo "flake-check: no build in '$build'; build first (cmake -B $build && cmake --build $build -j2)" >&2; exit 2; }

pids=()
stop_burners() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop_burners EXIT
for ((b = 0; b < burners; b++)); do
  yes >/dev/null &
  pids+=($!)
done

logs="$build/flake"
mkdir -p "$logs"
failed=()
total_start=$(date +%s)
for ((k = 1; k <= runs; k++)); do
  start=$(date +%s)
  if (cd "$build" && ctest -j 2 --output-on-failure) >"$logs/run-$k.log" 2>&1; then
    verdict=passed
  else
    verdict=FAILED
    failed+=("$k")
    cp "$logs/run-$k.log" "$logs/FAILED-$k.log"
    if [[ -d "$build/server-logs" ]]; then cp -r "$build/server-logs" "$logs/FAILED-$k-server-logs"; fi
  fi
  summary=$(grep -E 'tests passed' "$logs/run-$k.log" || echo "no summary")
  echo "run $k/$runs: $verdict in $(($(date +%s) - start)) s ($summary)"
done
echo "flake-check: $((runs - ${#failed[@]})) of $runs runs passed, $burners burner(s)," \
  "$(($(date +%s) - total_start)) s in all"
if ((${#failed[@]})); then
  for k in "${failed[@]}"; do
    echo "  run $k failed: $logs/FAILED-$k.log"
    grep -E '^\s+[0-9]+ - ' "$logs/FAILED-$k.log" | sed 's/^/    /' || true
  done
  exit 1
fi
