"""The Python side of scripts/bench-python.sh.

python/bench-point-select  single-session point selects through the bridge
python/bench-empty-loop    an empty handler stepped repeatedly (dispatch cost)
Options come from the environment: BENCH_SECONDS, BENCH_TABLE_SIZE, BENCH_STEPS.
"""
import os
import random
import resource
import time

from test_rig_python import PyState, PyStateHandler, PyTest


def cpu_seconds():
    """User + system CPU time of this process (the test's own child)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class PointSelect(PyStateHandler):
    def execute(self, ctx):
        db = ctx.connection
        rows = int(os.environ.get("BENCH_TABLE_SIZE", "10000"))
        seconds = float(os.environ.get("BENCH_SECONDS", "5"))
        pick = random.Random(1).randint
        query = db.execute_query
        queries = 0
        cpu_start = cpu_seconds()
        start = time.perf_counter()
        deadline = start + seconds
        while time.perf_counter() < deadline:
            result = query("SELECT c FROM sbtest1 WHERE id=%s", (pick(1, rows),))
            assert result, "point select found no row"
            queries += 1
        elapsed = time.perf_counter() - start
        ctx.record("queries", str(queries))
        ctx.record("qps", "%.1f" % (queries / elapsed))
        ctx.record("cpu_us_per_query", "%.2f" % ((cpu_seconds() - cpu_start) * 1e6 / queries))
        return PyState.completed()


class EmptyLoop(PyStateHandler):
    def __init__(self):
        self.steps = 0
        self.target = int(os.environ.get("BENCH_STEPS", "100000"))
        self.start = 0.0

    def execute(self, ctx):
        if self.steps == 0:
            self.start = time.perf_counter()
        self.steps += 1
        if self.steps < self.target:
            return "spin"
        ns = (time.perf_counter() - self.start) * 1e9
        ctx.record("steps", str(self.steps))
        ctx.record("ns_per_step", "%.1f" % (ns / self.steps))
        return PyState.completed()


tests = [
    PyTest("bench-point-select", PointSelect()),
    PyTest("bench-empty-loop", states={"spin": EmptyLoop()}, initial="spin",
           transitions=[("spin", "spin"), ("spin", "completed")]),
]
