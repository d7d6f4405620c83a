"""A new session meant for a node that stopped answering opens on the next.

The cluster test runs it against the 3-node sandbox, giving node 2's PID in
RIG_TEST_NODE2_PID. Once a session of the run is served by node 2, it stops
that node (SIGSTOP), opens one session for each server in turn, and
continues the node before any statement runs on them, whatever happened.
"""
import os
import signal

from test_rig_python import PyState, PyStateHandler, PyTest


def node_of(session):
    return session.execute_query("SELECT @@wsrep_node_name AS node")[0]["node"]


class OpensPastAStoppedNode(PyStateHandler):
    def execute(self, ctx):
        # New sessions take the servers in turn: after the one on node 2
        # come node 3, node 1, and node 2 again.
        before = []
        while "node2" not in before and len(before) <= ctx.server_count:
            before.append(node_of(ctx.get_connection("before_%d" % len(before))))
        ctx.record("before", ",".join(before))
        node2 = int(os.environ["RIG_TEST_NODE2_PID"])
        os.kill(node2, signal.SIGSTOP)
        try:
            after = [ctx.get_connection("after_%d" % i) for i in range(ctx.server_count)]
        finally:
            # Before any statement: the cluster orders each one through
            # every member, so a statement would wait for node 2 too.
            os.kill(node2, signal.SIGCONT)
        ctx.record("after", ",".join(node_of(session) for session in after))
        return PyState.completed()


tests = [PyTest("failover", OpensPastAStoppedNode())]
