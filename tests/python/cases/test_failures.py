"""Tests that must not pass: a failing assert, an exception, an unknown
next state, a handler past its timeout, a skip."""
import time

from test_rig_python import PyState, PyStateHandler, PyTest


class WrongCount(PyStateHandler):
    def execute(self, ctx):
        rows = ctx.connection.execute_query("SELECT 1 AS one")
        assert rows[0]["one"] == 2, "expected 2, got %r" % rows[0]["one"]
        return PyState.completed()


class Raises(PyStateHandler):
    def execute(self, ctx):
        return {}["no-such-key"]


class GoesNowhere(PyStateHandler):
    def execute(self, ctx):
        return "nowhere"


class Sleeps(PyStateHandler):
    def execute(self, ctx):
        time.sleep(30)
        return PyState.completed()


class NotHere(PyStateHandler):
    def execute(self, ctx):
        ctx.skip("not on this server")


class BadSql(PyStateHandler):
    def execute(self, ctx):
        ctx.connection.execute("SELEC 1")
        return PyState.completed()


tests = [
    PyTest("failing-assert", WrongCount()),
    PyTest("exception", Raises()),
    PyTest("unknown-state", GoesNowhere()),
    PyTest("timeout", Sleeps(), timeout_s=0.5),
    PyTest("skip", NotHere()),
    PyTest("sql-error", BadSql()),
]
