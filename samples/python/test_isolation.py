"""Isolation seen from Python: two real sessions on two threads.

- snapshot: at REPEATABLE READ a reader keeps its snapshot while another
  session commits an update, and sees the update after its own COMMIT;
- row-lock: a writer blocked by SELECT ... FOR UPDATE proceeds only after the
  lock holder commits, and its update lands on top.

Run it with:  test-rig --python-tests samples/python run 'python/isolation*'
"""
import threading
import time

from test_rig_python import PyState, PyStateHandler, PyTest, owner_comment, unique_name


def fresh_table(ctx, prefix):
    """A one-row table of a name of this run's own (a connection id is not:
    the server hands ids out again after a restart). CREATE fails, rather
    than replacing it, if the name were somebody else's; the owner comment
    lets the next run drop it should this one be killed."""
    db = ctx.connection
    name = unique_name(prefix)
    db.execute("CREATE TABLE " + name + " (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB "
               + owner_comment())
    db.execute("INSERT INTO " + name + " VALUES (1, 10)")
    return name


class Snapshot(PyStateHandler):
    """A REPEATABLE READ reader keeps its snapshot until it commits."""

    def execute(self, ctx):
        table = fresh_table(ctx, "py_iso_snapshot")
        reader, writer = ctx.get_connection("reader"), ctx.get_connection("writer")
        reader.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        reader.begin()
        before = reader.execute_query("SELECT v FROM " + table + " WHERE id = 1")[0]["v"]

        def update():
            writer.execute("UPDATE " + table + " SET v = 20 WHERE id = 1")  # autocommit

        thread = threading.Thread(target=update)
        thread.start()
        thread.join(timeout=10)
        assert not thread.is_alive(), "the writer never finished"

        during = reader.execute_query("SELECT v FROM " + table + " WHERE id = 1")[0]["v"]
        reader.commit()
        after = reader.execute_query("SELECT v FROM " + table + " WHERE id = 1")[0]["v"]
        ctx.record("observed", "%d/%d/%d" % (before, during, after))
        assert (before, during, after) == (10, 10, 20), (before, during, after)
        ctx.connection.execute("DROP TABLE " + table)
        return PyState.completed()


class RowLock(PyStateHandler):
    """FOR UPDATE makes a second writer wait until COMMIT."""

    def execute(self, ctx):
        table = fresh_table(ctx, "py_iso_lock")
        holder, waiter = ctx.get_connection("holder"), ctx.get_connection("waiter")
        holder.begin()
        holder.execute_query("SELECT v FROM " + table + " WHERE id = 1 FOR UPDATE")
        finished = {}

        def blocked_update():
            waiter.execute("UPDATE " + table + " SET v = v + 1 WHERE id = 1")
            finished["at"] = time.monotonic()

        thread = threading.Thread(target=blocked_update)
        thread.start()
        time.sleep(0.3)  # the waiter is now stuck on the row lock
        assert "at" not in finished, "the update did not wait for the row lock"
        holder.execute("UPDATE " + table + " SET v = 100 WHERE id = 1")
        committed_at = time.monotonic()
        holder.commit()
        thread.join(timeout=10)
        assert finished.get("at", 0) >= committed_at, "the waiter finished before COMMIT"
        value = holder.execute_query("SELECT v FROM " + table + " WHERE id = 1")[0]["v"]
        assert value == 101, "expected the waiter's +1 on top of 100, got %r" % value
        ctx.connection.execute("DROP TABLE " + table)
        return PyState.completed()


tests = [
    PyTest("isolation-snapshot", Snapshot()),
    PyTest("isolation-row-lock", RowLock()),
]
