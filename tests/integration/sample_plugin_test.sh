#!/usr/bin/env bash
# Installs test-rig into a temporary prefix, builds samples/cpp-plugin out of
# tree against the installed SDK at Release (-O3, where GCC 12 warns most;
# the sample builds with -Werror), and runs it against the sandbox server:
# once normally (must pass), once with --inventory.sabotage (must fail), and
# once over a decoy table under its name (must error and leave it intact).
# Usage: sample_plugin_test.sh BUILD_DIR SOURCE_DIR SANDBOX_CONFIG
set -euo pipefail
build=$1 source=$2 config=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$source/samples/cpp-plugin" -B "$work/sample" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/sample" >/dev/null
rig="$work/prefix/bin/test-rig"

# Listed to a file first: `list | grep -q` would fail the script (pipefail)
# whenever grep's early exit cut test-rig off with SIGPIPE.
"$rig" --plugin-dir "$work/sample" list > "$work/sample-list.txt"
grep -q "inventory/roundtrip" "$work/sample-list.txt"
# The installed test-rig finds the shipped plugins beside itself.
"$rig" list > "$work/list.txt"
grep -q "connection/standard" "$work/list.txt"

"$rig" --config "$config" --plugin-dir "$work/sample" run inventory connection/standard \
  --report-json "$work/pass.json"
python3 - "$work/pass.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
assert report["summary"]["passed"] == 2, report["summary"]
test = next(t for t in report["tests"] if t["name"] == "inventory/roundtrip")
assert test["states"] == ["initial", "create_table", "insert_rows", "verify", "cleanup",
                          "completed"], test["states"]
assert test["records"]["rows_inserted"] == "1000", test["records"]
PY

set +e
"$rig" --config "$config" --plugin-dir "$work/sample" run inventory --inventory.sabotage \
  --report-json "$work/fail.json"
code=$?
set -e
[[ $code -eq 1 ]] || { echo "sabotaged run exited $code, expected 1"; exit 1; }
python3 - "$work/fail.json" <<'PY'
import json, sys
test = json.load(open(sys.argv[1]))["tests"][0]
assert test["status"] == "failed", test
assert test["message"] == "state 'verify' execute: row count: expected 1000, got 999", test
assert test["states"][-1] == "error", test["states"]
PY
# A table of someone else's under the name the sample will choose (the run
# token fixed by TEST_RIG_RUN_TOKEN): the run errors, and the table keeps its
# row, since the sample drops only a table it created.
token=decoy$$
sql() { mariadb --socket="$(dirname "$config")/mysqld.sock" -uroot -N -B rig_test -e "$1"; }
sql "CREATE TABLE inventory_$token (v INT); INSERT INTO inventory_$token VALUES (7)"
set +e
TEST_RIG_RUN_TOKEN=$token "$rig" --config "$config" --plugin-dir "$work/sample" run inventory \
  --report-json "$work/decoy.json" > "$work/decoy.out"
code=$?
set -e
kept=$(sql "SELECT v FROM inventory_$token")
sql "DROP TABLE inventory_$token"
[[ $code -eq 3 ]] || { echo "run over a decoy exited $code, expected 3"; exit 1; }
[[ $kept == 7 ]] || { echo "the decoy inventory_$token lost its row: '$kept'"; exit 1; }
grep -q "already exists" "$work/decoy.out"

echo "sample plugin: built out of tree, passed, failed when sabotaged, left a decoy alone"
