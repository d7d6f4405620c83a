"""Passing tests: typed rows, parameters, sessions, custom data, options,
retried transactions and a machine of custom states."""
import datetime
import decimal
import secrets
import threading

from test_rig_python import DbError, PyState, PyStateHandler, PyTest


class TypedRows(PyStateHandler):
    def execute(self, ctx):
        rows = ctx.connection.execute_query(
            "SELECT 42 AS i, -7 AS neg, 18446744073709551615 AS big, 1.5e0 AS f, "
            "CAST('12.340' AS DECIMAL(10,3)) AS d, 'héllo' AS s, NULL AS n, "
            "CAST('2026-11-26 18:00:01.250000' AS DATETIME(6)) AS dt, DATE '2026-11-26' AS day, "
            "TIME '-01:02:03' AS t, X'00FF' AS b")
        assert rows == [{
            "i": 42, "neg": -7, "big": 18446744073709551615, "f": 1.5,
            "d": decimal.Decimal("12.340"), "s": "héllo", "n": None,
            "dt": datetime.datetime(2026, 11, 26, 18, 0, 1, 250000),
            "day": datetime.date(2026, 11, 26),
            "t": -datetime.timedelta(hours=1, minutes=2, seconds=3), "b": b"\x00\xff"}], rows
        return PyState.completed()


class Parameters(PyStateHandler):
    def execute(self, ctx):
        db = ctx.connection
        t = "py_params_%s" % secrets.token_hex(6)  # this run's own name
        db.execute("CREATE TABLE " + t + " (id INT PRIMARY KEY, name VARCHAR(100), "
                   "blob_col VARBINARY(8), at DATETIME)")
        tricky = "it's a \"quote\" \\ and ; DROP TABLE py_params; --"
        affected = db.execute("INSERT INTO " + t + " VALUES (%s, %s, %s, %s), (%s, %s, %s, %s)",
                              (1, tricky, b"\x00'", datetime.datetime(2026, 1, 2, 3, 4, 5),
                               2, None, None, None))
        assert affected == 2, affected
        rows = db.execute_query("SELECT * FROM " + t + " WHERE name = %(name)s", {"name": tricky})
        assert [r["id"] for r in rows] == [1], rows
        assert rows[0]["blob_col"] == b"\x00'" and rows[0]["at"].year == 2026, rows
        assert db.execute_query("SELECT 100 %% %s AS m", (7,))[0]["m"] == 2
        db.execute("DROP TABLE " + t)
        return PyState.completed()


class SessionsAndData(PyStateHandler):
    """Two named sessions on two threads; custom data and options."""

    def execute(self, ctx):
        a, b = ctx.get_connection("a"), ctx.get_connection("b")
        assert a.connection_id != b.connection_id
        ids = {}

        windows = {}

        def worker(name, db):
            # SYSDATE(6) is read when evaluated: before and after the sleep.
            row = db.execute_query(
                "SELECT CONNECTION_ID() AS id, SYSDATE(6) AS t0, SLEEP(0.2) AS s, SYSDATE(6) AS t1")[0]
            ids[name] = row["id"]
            windows[name] = (str(row["t0"]), str(row["t1"]))

        threads = [threading.Thread(target=worker, args=(n, d)) for n, d in (("a", a), ("b", b))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert ids == {"a": a.connection_id, "b": b.connection_id}, ids
        # The GIL is released while a query waits, so the server ran the two
        # sleeps at once: each began before the other ended. (Held, the second
        # query could only start once the first returned.) Timed by the
        # server, so a busy client machine cannot make it fail.
        (a0, a1), (b0, b1) = windows["a"], windows["b"]
        assert a0 < b1 and b0 < a1, "the two sessions ran one after the other: %s" % windows
        ctx.set_custom_data("answer", 42)
        assert ctx.get_custom_data("answer") == "42"
        assert ctx.get_custom_data("missing", "none") == "none"
        assert ctx.password and ctx.password not in repr(ctx), repr(ctx)
        assert ctx.username and ctx.database and ctx.port > 0
        ctx.record("flavor", a.server_flavor)
        return PyState.completed()


class RetriedTransfer(PyStateHandler):
    """A deadlock on the first attempt; retry_transaction commits both."""

    def execute(self, ctx):
        setup = ctx.connection
        table = "py_retry_%s" % secrets.token_hex(6)
        setup.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY, v INT) ENGINE=InnoDB")
        setup.execute("INSERT INTO " + table + " VALUES (1, 10), (2, 20)")
        barrier = threading.Barrier(2)
        errors = []

        def transfer(name, first, second):
            db = ctx.get_connection(name)
            attempts = []

            def body(tx):
                attempts.append(1)
                tx.execute("UPDATE " + table + " SET v = v + 1 WHERE id = %s", (first,))
                if len(attempts) == 1:
                    barrier.wait(timeout=5)
                tx.execute("UPDATE " + table + " SET v = v + 1 WHERE id = %s", (second,))

            try:
                ctx.retry_transaction(body, db)
            except DbError as e:
                errors.append(e)

        threads = [threading.Thread(target=transfer, args=("x", 1, 2)),
                   threading.Thread(target=transfer, args=("y", 2, 1))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        rows = setup.execute_query("SELECT id, v FROM " + table + " ORDER BY id")
        assert rows == [{"id": 1, "v": 12}, {"id": 2, "v": 22}], rows
        setup.execute("DROP TABLE " + table)
        return PyState.completed()


class Insert(PyStateHandler):
    def enter(self, ctx):
        ctx.connection.execute("CREATE TEMPORARY TABLE py_machine (n INT)")

    def execute(self, ctx):
        ctx.connection.execute("INSERT INTO py_machine VALUES (1), (2), (3)")
        return PyState.custom("verify")


class Verify(PyStateHandler):
    def execute(self, ctx):
        total = ctx.connection.execute_query("SELECT SUM(n) AS s FROM py_machine")[0]["s"]
        assert total == 6, total
        return PyState.completed()


tests = [
    PyTest("typed-rows", TypedRows(), doc="column types become Python types"),
    PyTest("parameters", Parameters(), doc="%s and %(name)s parameters are quoted safely"),
    PyTest("sessions", SessionsAndData()),
    PyTest("retry", RetriedTransfer()),
    PyTest("machine", doc="custom states and transitions", initial="insert",
           states={"insert": Insert(), "verify": Verify()},
           transitions=[("insert", "verify"), ("verify", "completed")]),
]
