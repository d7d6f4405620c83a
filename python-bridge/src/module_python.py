# The pure-Python part of test_rig_python, executed in the module's namespace
# when it is defined (embedded into the library at build time).
import importlib.util as _importlib_util
import os as _os
import re as _re
import sys as _sys


class PyStateHandler:
    """A state's handlers. Subclass it (at any depth) and override execute;
    enter and exit are optional. execute returns the next state's id."""

    def enter(self, context):
        return None

    def execute(self, context):
        raise NotImplementedError(type(self).__name__ + ".execute is not implemented")

    def exit(self, context):
        return None


class TestError(Exception):
    """Raised by PyState.error(msg): the run ends in the error state."""


class Skip(Exception):
    """Raise it (or call context.skip(reason)) when a test does not apply."""


class DbError(Exception):
    """A statement failed: the server's or client's error code and SQLSTATE."""

    def __init__(self, code, sqlstate, message):
        super().__init__("error %d (%s): %s" % (code, sqlstate, message))
        self.code = code
        self.sqlstate = sqlstate
        self.message = message


class ConnectError(Exception):
    """A session could not be opened; the run's message says why."""

    def __init__(self, status, message="could not connect"):
        super().__init__(message)
        self.status = status


class IndeterminateCommit(Exception):
    """The connection was lost during COMMIT: the outcome is unknown."""


class PyState:
    """State ids: the common states (PyState.connecting(), ... -- added from
    the SDK's list when the module loads), custom ones, and error(msg)."""

    @staticmethod
    def custom(state_id):
        return str(state_id)

    @staticmethod
    def error(message="the test moved to its error state"):
        raise TestError(message)


class PyTest:
    """A test. Either one handler (state "run", then "completed"), or a
    machine: states maps ids to handlers, transitions lists (from, to)
    pairs, initial names the first state. A state named in transitions but
    not in states is terminal. timeout_s limits every state."""

    def __init__(self, name, handler=None, *, doc="", states=None, transitions=None,
                 initial=None, timeout_s=None):
        if (handler is None) == (states is None):
            raise ValueError("PyTest(%r): give either a handler or states" % name)
        if handler is not None:
            states = {"run": handler}
            transitions = [("run", "completed")]
            initial = "run"
        if initial is None or initial not in states:
            raise ValueError("PyTest(%r): initial must name one of the states" % name)
        for state_id, state_handler in states.items():
            if not isinstance(state_handler, PyStateHandler):
                raise TypeError("PyTest(%r): the handler of state %r is not a PyStateHandler"
                                % (name, state_id))
        if not doc and handler is not None:
            doc = ((type(handler).__doc__ or "").strip().splitlines() or [""])[0]
        self.name = name
        self.doc = doc
        self.states = dict(states)
        self.transitions = [tuple(t) for t in (transitions or [])]
        self.initial = initial
        self.timeout_s = timeout_s

    def __repr__(self):
        return "PyTest(%r)" % self.name


_bindings = []


def register_python_handler(test, state, handler):
    """Binds handler to state `state` of test "plugin/test" (a C++ test, for
    instance) in place of its own handler. Call it at the top level of a
    test file."""
    if not isinstance(handler, PyStateHandler):
        raise TypeError("register_python_handler: handler is not a PyStateHandler")
    plugin, _, test_name = test.partition("/")
    if not test_name:
        raise ValueError("register_python_handler: test must be 'plugin/test', got %r" % test)
    _bindings.append((plugin, test_name, state, handler))


def _snake(name):
    return _re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _collect(path):
    """Imports one test file; returns (tests, bindings). Tests are the
    module's `tests` list, else one single-handler test per top-level
    PyStateHandler subclass named Test*."""
    directory = _os.path.dirname(_os.path.abspath(path))
    if directory not in _sys.path:
        _sys.path.insert(0, directory)
    stem = _os.path.splitext(_os.path.basename(path))[0]
    spec = _importlib_util.spec_from_file_location("test_rig_tests." + stem, path)
    module = _importlib_util.module_from_spec(spec)
    del _bindings[:]
    spec.loader.exec_module(module)
    bindings = list(_bindings)
    del _bindings[:]
    tests = getattr(module, "tests", None)
    if tests is None:
        short = stem[5:] if stem.startswith("test_") else stem
        tests = []
        for name, value in sorted(vars(module).items()):
            if (isinstance(value, type) and issubclass(value, PyStateHandler)
                    and value.__module__ == module.__name__ and name.startswith("Test")):
                tests.append(PyTest(short + "_" + _snake(name[4:]) if name != "Test" else short,
                                    value()))
    return list(tests), bindings
