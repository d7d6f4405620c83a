"""A file that does not compile: reported for this file only."""
from test_rig_python import PyStateHandler


class Broken(PyStateHandler)
    def execute(self, ctx):
        return "completed"
