#!/usr/bin/env bash
# The HTML report in a real browser (Debian's headless Chromium): a run of
# load/read_write under the nemesis's pauses, the isolation matrix at two
# levels and consistency/list-append at read committed (which finds
# anomalies and draws their cycles), written with --report-html. The page
# must fetch nothing, log nothing to the console, and hold as many chart
# points as the JSON report has intervals, a shaded span per fault, a
# matrix cell per isolation cell and a cycle per explained cycle. Its
# screenshot is kept in ARTIFACTS/report-html.png, the page beside it.
# Usage: html_report_test.sh TEST_RIG ARTIFACTS
set -euo pipefail
rig=$1 artifacts=$2
browser=$(command -v chromium-headless-shell || command -v chromium || true)
[[ -n "$browser" ]] ||
  { echo "html_report_test: no chromium-headless-shell; run scripts/install-deps.sh" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$artifacts"

"$rig" --sandbox run load/read_write isolation consistency/list-append \
  --load.time 6 --load.threads 2 --load.table-size 1000 \
  --isolation.levels read-committed,repeatable-read \
  --consistency.time 3 --consistency.isolation read-committed --consistency.out-dir "$work/out" \
  --nemesis pause --nemesis-interval 1.5 --nemesis-duration 1 \
  --report-json "$work/report.json" --report-html "$work/report.html" > "$work/run.log" 2>&1 ||
  { cat "$work/run.log" >&2; exit 1; }
cp "$work/report.html" "$artifacts/report-html.html"

# The page as the browser built it, and what it logged.
"$browser" --headless --no-sandbox --disable-gpu --user-data-dir="$work/profile" \
  --enable-logging=stderr --v=0 --dump-dom "file://$work/report.html" \
  > "$work/dom.html" 2> "$work/browser.log"
"$browser" --headless --no-sandbox --disable-gpu --user-data-dir="$work/profile" \
  --window-size=1200,5000 --screenshot="$artifacts/report-html.png" \
  "file://$work/report.html" > /dev/null 2>> "$work/browser.log"

python3 - "$work" "$artifacts/report-html.png" <<'PY'
import json, re, sys
work, png = sys.argv[1], sys.argv[2]
html = open(f"{work}/report.html").read()
dom = open(f"{work}/dom.html").read()
log = open(f"{work}/browser.log").read()
report = json.load(open(f"{work}/report.json"))

# Nothing fetched, nothing logged.
assert not re.search(r'\b(src|href)\s*=\s*"(?!#)', html), "the page links outside itself"
console = [line for line in log.splitlines() if "CONSOLE" in line]
assert not console, console
assert dom.count("<article") == len(report["tests"]), "a test is missing from the page"

def article(name):
    start = dom.index(f'id="test-{re.sub("[^A-Za-z0-9]", "-", name)}"')
    return dom[start:dom.index("</article>", start)]

tests = {t["name"]: t for t in report["tests"]}
load = article("load/read_write")
intervals = tests["load/read_write"]["details"]["metrics"]["intervals"]
count = len(intervals["start_unix_ms"])
charts = load.split("<svg")[1:]
throughput, latency = charts[0], charts[1]
assert throughput.count('class="point"') == count, (throughput.count('class="point"'), count)
# An interval in which no event completed has no latency to draw: a pause
# of the nemesis can span a whole one.
timed = sum(1 for h in intervals["histograms"]["event"] if h and h["count"] > 0)
assert 0 < timed <= count, (timed, count)
assert latency.count('class="point"') == 3 * timed, (latency.count('class="point"'), timed)
spans = sum(1 for e in report["nemesis"]["events"] if e["phase"] == "heal")
assert spans > 0 and throughput.count('class="fault"') == spans, (throughput.count('class="fault"'), spans)
assert 'class="bar"' in charts[2], "no histogram bars"

matrix = article("isolation/hermitage")
cells = tests["isolation/hermitage"]["details"]["isolation"]["cells"]
assert matrix.count('<td class="') == len(cells), (matrix.count('<td class="'), len(cells))
assert matrix.count('class="trace"') == len(cells)

consistency = article("consistency/list-append")
cycles = [e for e in tests["consistency/list-append"]["details"]["consistency"]["explanations"]
          if e["steps"]]
assert cycles, "read committed found no cycle to draw"
assert consistency.count('class="cycle"') == len(cycles), (consistency.count('class="cycle"'), len(cycles))

image = open(png, "rb").read()
assert image[:8] == b"\x89PNG\r\n\x1a\n" and len(image) > 20000, len(image)
print(f"html_report_test: {count} intervals, {spans} faults, {len(cells)} cells, "
      f"{len(cycles)} cycles drawn; screenshot {png} ({len(image)} bytes)")
PY
