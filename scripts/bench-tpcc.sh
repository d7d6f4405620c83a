#!/usr/bin/env bash
# Benchmarks load/tpcc (issue 21) on one sandbox server and one dataset per
# scale, against a floor: a straightforward TPC-C client written below in
# Python (PyMySQL), one process and one connection per terminal, running
# the same five transactions with the same statements and mix.
#   - prepare: load/tpcc's time per warehouse, and its client CPU (user +
#     sys of the test-rig process, /usr/bin/time) as a share of the wall time;
#   - run: tpmC (New-Orders completed per minute) of the rig and of the floor
#     at each of THREADS terminals for each of WAREHOUSES, and each client's
#     CPU per New-Order and per transaction.
# ROUNDS rounds, each running both clients once at every point; they swap
# places every round. Prints the median of the rounds for each, and the
# median (and range) of the per-round ratios rig/floor, which cancel what
# drifts between rounds on a noisy machine.
# Usage: scripts/bench-tpcc.sh [SECONDS] [ROUNDS] [THREADS] [WAREHOUSES]
# (default 10 s, 3 rounds, "1 4 16", "1 4": about 9 minutes). Needs a build
# (scripts/build.sh) and python3-pymysql (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-10}
ROUNDS=${2:-3}
THREADS=${3:-1 4 16}
WAREHOUSES=${4:-1 4}
[[ $SECONDS_EACH =~ ^[1-9][0-9]*$ && $ROUNDS =~ ^[1-9][0-9]*$ &&
   $THREADS =~ ^[1-9][0-9]*( [1-9][0-9]*)*$ && $WAREHOUSES =~ ^[1-9][0-9]*( [1-9][0-9]*)*$ ]] ||
  { echo "usage: scripts/bench-tpcc.sh [SECONDS] [ROUNDS] [THREADS] [WAREHOUSES] (positive whole" \
      "numbers; THREADS and WAREHOUSES space-separated lists such as \"1 4 16\")" >&2; exit 2; }
RIG=build/bin/test-rig
[[ -x $RIG ]] || { echo "no $RIG: build first (scripts/build.sh)" >&2; exit 2; }
/usr/bin/python3 -c "import pymysql" 2>/dev/null ||
  { echo "needs python3-pymysql (scripts/install-deps.sh)" >&2; exit 2; }
WORK=$(mktemp -d)
trap '"$RIG" sandbox stop "$WORK/sb" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
"$RIG" sandbox start "$WORK/sb" >/dev/null
CONFIG="$WORK/sb/tidb_config.toml"
SOCKET="$WORK/sb/mysqld.sock"

# The floor: one process per terminal. Its password comes from the config
# file, never from argv.
cat > "$WORK/floor.py" <<'PYEOF'
import multiprocessing, random, sys, time, tomllib
import pymysql

ITEMS, DISTRICTS, CUSTOMERS = 100000, 10, 3000
SYLLABLES = ["BAR", "OUGHT", "ABLE", "PRI", "PRES", "ESE", "ANTI", "CALLY", "ATION", "EING"]

def nurand(r, a, x, y, c):
    return (((r.randint(0, a) | r.randint(x, y)) + c) % (y - x + 1)) + x

def last_name(n):
    return SYLLABLES[n // 100] + SYLLABLES[n // 10 % 10] + SYLLABLES[n % 10]

def terminal(args):
    config, database, w_count, home, seconds, seed = args
    db = tomllib.load(open(config, "rb"))["database"]
    host, _, port = db["host"].rpartition(":")
    conn = pymysql.connect(host=host, port=int(port), user=db["user"], password=db["password"],
                           database=database, autocommit=False)
    cur = conn.cursor()
    r = random.Random(seed)
    c_last, c_id, ol_i_id = 157, 259, 7911   # the run's NURand constants; any will do here
    deck, counts = [], {"new_order": 0, "all": 0}
    def customer(w, d, lock):
        if r.randint(1, 100) > 60:
            return nurand(r, 1023, 1, CUSTOMERS, c_id)
        cur.execute("SELECT c_id FROM customer WHERE c_w_id = %s AND c_d_id = %s AND c_last = %s"
                    " ORDER BY c_first" + (" FOR UPDATE" if lock else ""),
                    (w, d, last_name(nurand(r, 255, 0, 999, c_last))))
        ids = [row[0] for row in cur.fetchall()]
        return ids[(len(ids) - 1) // 2]
    def remote(w):
        if w_count == 1:
            return w
        other = r.randint(1, w_count - 1)
        return other + 1 if other >= w else other
    def new_order(w):
        d, c, lines = r.randint(1, DISTRICTS), nurand(r, 1023, 1, CUSTOMERS, c_id), r.randint(5, 15)
        rollback = r.randint(1, 100) == 1
        order = []
        for k in range(lines):
            item = ITEMS + 1 if rollback and k == lines - 1 else nurand(r, 8191, 1, ITEMS, ol_i_id)
            order.append((item, remote(w) if r.randint(1, 100) == 1 else w, r.randint(1, 10)))
        cur.execute("SELECT d_next_o_id FROM district WHERE d_w_id = %s AND d_id = %s FOR UPDATE",
                    (w, d))
        o_id = cur.fetchone()[0]
        cur.execute("UPDATE district SET d_next_o_id = d_next_o_id + 1 WHERE d_w_id = %s AND "
                    "d_id = %s", (w, d))
        cur.execute("INSERT INTO orders (o_id, o_d_id, o_w_id, o_c_id, o_entry_d, o_carrier_id, "
                    "o_ol_cnt, o_all_local) VALUES (%s, %s, %s, %s, NOW(), NULL, %s, %s)",
                    (o_id, d, w, c, lines, int(all(s == w for _, s, _ in order))))
        cur.execute("INSERT INTO new_order (no_o_id, no_d_id, no_w_id) VALUES (%s, %s, %s)",
                    (o_id, d, w))
        for number in sorted(range(lines), key=lambda k: (order[k][1], order[k][0])):
            item, supplier, quantity = order[number]
            cur.execute("SELECT i_price FROM item WHERE i_id = %s", (item,))
            row = cur.fetchone()
            if row is None:
                conn.rollback()
                return True
            cur.execute("SELECT s_quantity, s_dist_%02d FROM stock WHERE s_w_id = %%s AND "
                        "s_i_id = %%s FOR UPDATE" % d, (supplier, item))
            s_quantity, dist = cur.fetchone()
            left = s_quantity - quantity + (0 if s_quantity >= quantity + 10 else 91)
            cur.execute("UPDATE stock SET s_quantity = %s, s_ytd = s_ytd + %s, s_order_cnt = "
                        "s_order_cnt + 1, s_remote_cnt = s_remote_cnt + %s WHERE s_w_id = %s AND "
                        "s_i_id = %s", (left, quantity, int(supplier != w), supplier, item))
            cur.execute("INSERT INTO order_line (ol_o_id, ol_d_id, ol_w_id, ol_number, ol_i_id, "
                        "ol_supply_w_id, ol_delivery_d, ol_quantity, ol_amount, ol_dist_info) "
                        "VALUES (%s, %s, %s, %s, %s, %s, NULL, %s, %s * %s, %s)",
                        (o_id, d, w, number + 1, item, supplier, quantity, quantity, row[0], dist))
        cur.execute("SELECT c_discount, c_last, c_credit FROM customer WHERE c_w_id = %s AND "
                    "c_d_id = %s AND c_id = %s", (w, d, c))
        cur.fetchone()
        conn.commit()
        return True
    def payment(w):
        d = r.randint(1, DISTRICTS)
        c_w, c_d = (remote(w), r.randint(1, DISTRICTS)) if r.randint(1, 100) > 85 else (w, d)
        c = customer(c_w, c_d, True)
        amount = "%d.%02d" % divmod(r.randint(100, 500000), 100)
        cur.execute("UPDATE warehouse SET w_ytd = w_ytd + CAST(%s AS DECIMAL(6,2)) WHERE w_id = %s",
                    (amount, w))
        cur.execute("UPDATE district SET d_ytd = d_ytd + CAST(%s AS DECIMAL(6,2)) WHERE d_w_id = %s"
                    " AND d_id = %s", (amount, w, d))
        cur.execute("SELECT w_name, d_name FROM warehouse, district WHERE w_id = %s AND d_w_id = "
                    "w_id AND d_id = %s", (w, d))
        w_name, d_name = cur.fetchone()
        cur.execute("SELECT c_credit FROM customer WHERE c_w_id = %s AND c_d_id = %s AND c_id = %s"
                    " FOR UPDATE", (c_w, c_d, c))
        bad = cur.fetchone()[0] == "BC"
        cur.execute("UPDATE customer SET c_balance = c_balance - CAST(%s AS DECIMAL(6,2)), "
                    "c_ytd_payment = c_ytd_payment + CAST(%s AS DECIMAL(6,2)), c_payment_cnt = "
                    "c_payment_cnt + 1" + (", c_data = LEFT(CONCAT(%s, c_data), 500)" if bad else "")
                    + " WHERE c_w_id = %s AND c_d_id = %s AND c_id = %s",
                    (amount, amount) + (("%s %s %s %s %s %s " % (c, c_d, c_w, d, w, amount),)
                                        if bad else ()) + (c_w, c_d, c))
        cur.execute("INSERT INTO history (h_c_id, h_c_d_id, h_c_w_id, h_d_id, h_w_id, h_date, "
                    "h_amount, h_data) VALUES (%s, %s, %s, %s, %s, NOW(), CAST(%s AS DECIMAL(6,2)),"
                    " %s)", (c, c_d, c_w, d, w, amount, w_name + "    " + d_name))
        conn.commit()
    def order_status(w):
        d = r.randint(1, DISTRICTS)
        c = customer(w, d, False)
        cur.execute("SELECT c_balance, c_first, c_middle, c_last FROM customer WHERE c_w_id = %s "
                    "AND c_d_id = %s AND c_id = %s", (w, d, c))
        cur.fetchone()
        cur.execute("SELECT o_id, o_entry_d, o_carrier_id FROM orders WHERE o_w_id = %s AND "
                    "o_d_id = %s AND o_c_id = %s ORDER BY o_id DESC LIMIT 1", (w, d, c))
        row = cur.fetchone()
        if row:
            cur.execute("SELECT ol_i_id, ol_supply_w_id, ol_quantity, ol_amount, ol_delivery_d "
                        "FROM order_line WHERE ol_w_id = %s AND ol_d_id = %s AND ol_o_id = %s",
                        (w, d, row[0]))
            cur.fetchall()
        conn.commit()
    def delivery(w):
        carrier = r.randint(1, 10)
        for d in range(1, DISTRICTS + 1):
            cur.execute("SELECT no_o_id FROM new_order WHERE no_w_id = %s AND no_d_id = %s ORDER "
                        "BY no_o_id LIMIT 1 FOR UPDATE", (w, d))
            row = cur.fetchone()
            if row is None:
                continue
            o_id = row[0]
            cur.execute("DELETE FROM new_order WHERE no_w_id = %s AND no_d_id = %s AND no_o_id = %s",
                        (w, d, o_id))
            cur.execute("SELECT o_c_id FROM orders WHERE o_w_id = %s AND o_d_id = %s AND o_id = %s"
                        " FOR UPDATE", (w, d, o_id))
            c = cur.fetchone()[0]
            cur.execute("UPDATE orders SET o_carrier_id = %s WHERE o_w_id = %s AND o_d_id = %s AND"
                        " o_id = %s", (carrier, w, d, o_id))
            cur.execute("UPDATE order_line SET ol_delivery_d = NOW() WHERE ol_w_id = %s AND "
                        "ol_d_id = %s AND ol_o_id = %s", (w, d, o_id))
            cur.execute("SELECT COALESCE(SUM(ol_amount), 0) FROM order_line WHERE ol_w_id = %s AND"
                        " ol_d_id = %s AND ol_o_id = %s", (w, d, o_id))
            amount = cur.fetchone()[0]
            cur.execute("UPDATE customer SET c_balance = c_balance + %s, c_delivery_cnt = "
                        "c_delivery_cnt + 1 WHERE c_w_id = %s AND c_d_id = %s AND c_id = %s",
                        (amount, w, d, c))
        conn.commit()
    def stock_level(w):
        d = (home - 1) // w_count % DISTRICTS + 1
        cur.execute("SELECT d_next_o_id FROM district WHERE d_w_id = %s AND d_id = %s", (w, d))
        next_o = cur.fetchone()[0]
        cur.execute("SELECT COUNT(DISTINCT s_i_id) FROM order_line, stock WHERE ol_w_id = %s AND "
                    "ol_d_id = %s AND ol_o_id < %s AND ol_o_id >= %s AND s_w_id = %s AND s_i_id = "
                    "ol_i_id AND s_quantity < %s", (w, d, next_o, next_o - 20, w, r.randint(10, 20)))
        cur.fetchone()
        conn.commit()
    kinds = [("new_order", new_order, 45), ("payment", payment, 43),
             ("order_status", order_status, 4), ("delivery", delivery, 4),
             ("stock_level", stock_level, 4)]
    w = (home - 1) % w_count + 1
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not deck:
            deck = [k for k in kinds for _ in range(k[2])]
            r.shuffle(deck)
        name, body, _ = deck.pop()
        while True:
            try:
                body(w)
                break
            except pymysql.err.OperationalError as e:
                conn.rollback()
                if e.args[0] not in (1213, 1205):
                    raise
        counts["all"] += 1
        counts["new_order"] += name == "new_order"
    return counts

if __name__ == "__main__":
    config, database, warehouses, threads, seconds = sys.argv[1:6]
    args = [(config, database, int(warehouses), k + 1, float(seconds), 1000 + k)
            for k in range(int(threads))]
    with multiprocessing.Pool(len(args)) as pool:
        results = pool.map(terminal, args)
    print(sum(c["new_order"] for c in results), sum(c["all"] for c in results))
PYEOF

: > "$WORK/results"
# measure NAME COMMAND...: appends "NAME new_orders transactions cpu_s".
measure() {
  local name=$1; shift
  /usr/bin/time -f "%U %S" -o "$WORK/$name.time" "$@" > "$WORK/$name.out" 2>&1 ||
    { echo "$name failed:" >&2; tail -5 "$WORK/$name.out" >&2; exit 1; }
  python3 - "$name" "$WORK/$name.out" "$WORK/$name.time" >> "$WORK/results" <<'PYEOF'
import json, re, sys
name, out, timing = sys.argv[1], open(sys.argv[2]).read(), open(sys.argv[3]).read()
cpu = sum(map(float, timing.split()[-2:]))
if name.startswith("floor"):
    new_orders, transactions = map(int, out.split()[-2:])
else:
    new_orders = int(re.search(r"\n\s+new_order\s+(\d+)", out).group(1))
    transactions = int(re.search(r"events: (\d+) succeeded", out).group(1))
print(name, new_orders, transactions, cpu)
PYEOF
}

# One dataset per scale, each in a database of its own, kept for the runs.
for w in $WAREHOUSES; do
  mariadb -uroot -S "$SOCKET" -e "CREATE DATABASE tpcc_$w"
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$WORK/prepare-$w.time" "$RIG" --config "$CONFIG" --database "tpcc_$w" \
    --log-level warn run load/tpcc --load.warehouses "$w" --load.threads "$w" --load.time 1 \
    --load.cleanup none > "$WORK/prepare-$w.out" 2>&1
  wall=$(python3 -c "import time; print(time.time() - $start)")
  read -r user sys < "$WORK/prepare-$w.time"
  grep -o "prepared .*" "$WORK/prepare-$w.out" | sed "s/^/warehouses $w: /"
  python3 -c "print('  client CPU %.1f s of %.1f s wall (%.0f %%)' % ($user + $sys, $wall, 100 * ($user + $sys) / $wall))"
done

for round in $(seq "$ROUNDS"); do
  for w in $WAREHOUSES; do
    for t in $THREADS; do
      rig() {
        measure "rig-$w-$t-$round" "$RIG" --config "$CONFIG" --database "tpcc_$w" \
          --log-level warn run load/tpcc --load.warehouses "$w" --load.threads "$t" \
          --load.time "$SECONDS_EACH" --load.cleanup none --load.prepared
      }
      floor() {
        measure "floor-$w-$t-$round" /usr/bin/python3 "$WORK/floor.py" "$CONFIG" "tpcc_$w" "$w" "$t" \
          "$SECONDS_EACH"
      }
      if (( round % 2 )); then rig; floor; else floor; rig; fi
    done
  done
done

python3 - "$WORK/results" "$SECONDS_EACH" "$THREADS" "$WAREHOUSES" <<'PYEOF'
import collections, statistics, sys
seconds = float(sys.argv[2])
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, new_orders, transactions, cpu = line.split()
    who, w, t, _ = name.split("-")
    rows[(who, int(w), int(t))].append((int(new_orders), int(transactions), float(cpu)))
print("%-10s %5s %7s %10s %10s %12s %12s" % ("client", "wh", "threads", "tpmC", "tpmTotal",
                                             "us/NewOrder", "us/txn"))
ratios = {}
for w in map(int, sys.argv[4].split()):
    for t in map(int, sys.argv[3].split()):
        for who in ("rig", "floor"):
            runs = rows[(who, w, t)]
            tpmc = statistics.median(n * 60 / seconds for n, _, _ in runs)
            total = statistics.median(a * 60 / seconds for _, a, _ in runs)
            per_no = statistics.median(c * 1e6 / max(n, 1) for n, _, c in runs)
            per_txn = statistics.median(c * 1e6 / max(a, 1) for _, a, c in runs)
            print("%-10s %5d %7d %10.0f %10.0f %12.0f %12.0f" % (who, w, t, tpmc, total, per_no,
                                                               per_txn))
        per_round = [r[0] / max(f[0], 1) for r, f in zip(rows[("rig", w, t)], rows[("floor", w, t)])]
        ratios[(w, t)] = per_round
print("\ntpmC rig/floor, median (range) of the rounds:")
for (w, t), r in ratios.items():
    print("  %d warehouse(s), %2d threads: %.2f (%.2f-%.2f)" % (w, t, statistics.median(r), min(r),
                                                             max(r)))
PYEOF
