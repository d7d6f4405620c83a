"""A session on each server of the --host list, named by its index.

The cluster test runs it against the 3-node sandbox and expects the nodes in
the order of the list.
"""
from test_rig_python import PyState, PyStateHandler, PyTest


class OneSessionPerServer(PyStateHandler):
    def execute(self, ctx):
        # Last server first: taking the servers in turn would not match.
        nodes = [None] * ctx.server_count
        for server in reversed(range(ctx.server_count)):
            session = ctx.get_connection("placed_%d" % server, server=server)
            nodes[server] = session.execute_query("SELECT @@wsrep_node_name AS node")[0]["node"]
        ctx.record("server_count", str(ctx.server_count))
        ctx.record("nodes", ",".join(nodes))
        return PyState.completed()


tests = [PyTest("placement", OneSessionPerServer())]
