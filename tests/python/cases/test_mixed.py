"""Python in a C++ test: this handler replaces the getting_version state of
connection/standard and reads the custom data its C++ handlers set.
Discovered tests: TestAutoNamed becomes python/mixed_auto_named."""
from test_rig_python import PyState, PyStateHandler, register_python_handler


class VersionFromPython(PyStateHandler):
    def execute(self, ctx):
        # Set by the C++ parsing_config handler of the same run.
        ctx.record("python_saw_expect_flavor", ctx.get_custom_data("expect_flavor", "unset"))
        version = ctx.connection.execute_query("SELECT VERSION() AS v")[0]["v"]
        ctx.record("python_version_row", version)
        # connection's own options, each as its type.
        ctx.record("python_read_options", repr([
            ctx.option("sessions"), ctx.option("expect-tls"), ctx.option("expect-flavor"),
            ctx.option("min-version")]))
        try:
            ctx.option("no-such-option")
        except KeyError as e:
            ctx.record("python_unknown_option", str(e))
        return PyState.completed()


register_python_handler("connection/standard", "getting_version", VersionFromPython())


class TestAutoNamed(PyStateHandler):
    def execute(self, ctx):
        return PyState.completed()
