"""The seed's ReportingHandler, as a test-rig Python test.

Run it with:  test-rig --python-tests samples/python run python/reporting
"""
from test_rig_python import PyState, PyStateContext, PyStateHandler, PyTest


class ReportingHandler(PyStateHandler):
    """Reports what the server is and how many tables the database holds."""

    def enter(self, context: PyStateContext) -> str:
        context.info("Generating summary report...")
        return PyState.completed()

    def execute(self, context: PyStateContext) -> str:
        rows = context.connection.execute_query(
            "SELECT VERSION() AS version, COUNT(*) AS tables "
            "FROM information_schema.tables WHERE table_schema = %s",
            (context.database,))
        assert len(rows) == 1, rows
        version, tables = rows[0]["version"], rows[0]["tables"]
        assert isinstance(tables, int), type(tables)
        context.record("server_version", version)
        context.record("tables", str(tables))
        context.info("Report generated: %s, %d table(s) in %s" % (version, tables, context.database))
        return PyState.completed()

    def exit(self, context: PyStateContext) -> None:
        pass


tests = [PyTest("reporting", ReportingHandler())]
