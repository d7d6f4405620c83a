# A handler that crashes the process natively: the report must say where,
# in Python (faulthandler's traceback) and below it (the native stack).
import ctypes

from test_rig_python import PyState, PyStateHandler


def read_address_zero():
    return ctypes.string_at(0)


class TestSegfault(PyStateHandler):
    def execute(self, ctx):
        read_address_zero()
        return PyState.completed()
