"""test-rig from Python.

    python3 -m test_rig run tests/test_orders.py [--config FILE] [options]

runs Python tests without the test-rig executable: the compiled module
test_rig_python carries the same bindings and test-rig's own code, so config
files, precedence (CLI > env > config > default), reports and exit codes
are the same. Handlers import their API from test_rig_python (re-exported
here)."""
from test_rig_python import (  # noqa: F401
    ConnectError, DbError, IndeterminateCommit, PyConnection, PyState, PyStateContext,
    PyStateHandler, PyTest, Skip, TestError, register_python_handler)
