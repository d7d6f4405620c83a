"""A Python workload for the load plugin: this handler is bound to the hook
"event" of load/python, called once per event on every worker thread, and measured
like any workload (tps, latency histograms, errors, fairness).

Run it with:
  test-rig --python-tests samples/python run load/python --load.threads 4 --load.time 10
"""
import random
import threading

from test_rig_python import PyState, PyStateHandler, register_python_handler


class PointSelectEvent(PyStateHandler):
    """One sysbench-style point select per event, on the thread's own session."""

    def __init__(self):
        self.local = threading.local()

    def enter(self, ctx):
        # Once per worker thread: its session, its random ids, the table.
        me = threading.get_ident()
        self.local.db = ctx.get_connection("py-event-%d" % me)
        self.local.random = random.Random(int(ctx.get_custom_data("load.seed", "1")) * 7919 + me)
        self.local.rows = int(ctx.get_custom_data("load.table_size", "10000"))
        self.local.sql = "SELECT c FROM %s1 WHERE id=%%s" % ctx.get_custom_data(
            "load.table_prefix", "sbtest")

    def execute(self, ctx):
        local = self.local
        rows = local.db.execute_query(local.sql, (local.random.randint(1, local.rows),))
        assert len(rows) == 1, "point select found %d rows" % len(rows)
        return PyState.completed()


register_python_handler("load/python", "event", PointSelectEvent())
