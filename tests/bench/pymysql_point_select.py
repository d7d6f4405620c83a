"""PyMySQL baseline for scripts/bench-python.sh: single-connection point
selects for SECONDS; prints queries per second and client CPU
microseconds per query. Connection settings come
from the sandbox's TOML config (argv[1])."""
import random
import resource
import sys
import time
import tomllib

import pymysql


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(config_path, seconds, table_size):
    with open(config_path, "rb") as f:
        db = tomllib.load(f)["database"]
    host, _, port = db["host"].rpartition(":")
    conn = pymysql.connect(host=host, port=int(port), user=db["user"], password=db["password"],
                           database=db["database"], autocommit=True)
    cursor = conn.cursor()
    pick = random.Random(1).randint
    queries = 0
    cpu_start = cpu_seconds()
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        cursor.execute("SELECT c FROM sbtest1 WHERE id=%s", (pick(1, table_size),))
        assert cursor.fetchall(), "point select found no row"
        queries += 1
    elapsed = time.perf_counter() - start
    print("%.1f %.2f" % (queries / elapsed, (cpu_seconds() - cpu_start) * 1e6 / queries))


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]), int(sys.argv[3]))
