"""The test_rig_python API itself, without a server."""
import pytest

import test_rig
import test_rig_python as api
from test_rig_python import PyState, PyStateHandler, PyTest, register_python_handler


class Handler(PyStateHandler):
    def execute(self, context):
        return PyState.completed()


class Deeper(Handler):
    """Inherits execute two levels down."""


def test_common_states_have_the_ids_of_the_cpp_sdk():
    assert [PyState.initial(), PyState.parsing_config(), PyState.connecting(),
            PyState.testing_connection(), PyState.verifying_database(),
            PyState.getting_version(), PyState.completed()] == [
        "initial", "parsing_config", "connecting", "testing_connection",
        "verifying_database", "getting_version", "completed"]
    assert PyState.custom("verify") == "verify"


def test_error_state_raises_with_the_message():
    with pytest.raises(api.TestError, match="balance went negative"):
        PyState.error("balance went negative")


def test_single_handler_test_is_run_then_completed():
    test = PyTest("t", Deeper())
    assert test.initial == "run"
    assert test.transitions == [("run", "completed")]
    assert test.doc == "Inherits execute two levels down."


def test_machine_validation():
    with pytest.raises(ValueError, match="initial must name one of the states"):
        PyTest("t", states={"a": Handler()}, initial="b", transitions=[("a", "completed")])
    with pytest.raises(TypeError, match="not a PyStateHandler"):
        PyTest("t", states={"a": object()}, initial="a")
    with pytest.raises(ValueError, match="either a handler or states"):
        PyTest("t")


def test_register_python_handler_checks_its_arguments():
    with pytest.raises(ValueError, match="plugin/test"):
        register_python_handler("standard", "getting_version", Handler())
    with pytest.raises(TypeError):
        register_python_handler("connection/standard", "getting_version", object())


def test_base_handler_execute_must_be_overridden():
    with pytest.raises(NotImplementedError, match="PyStateHandler.execute"):
        PyStateHandler().execute(None)


def test_package_reexports_the_module():
    assert test_rig.PyStateHandler is PyStateHandler
