"""Fixtures for the Python-side tests: the sandbox the ctest fixture started
(TEST_RIG_SANDBOX_CONFIG) and a runner for `python3 -m test_rig`."""
import json
import os
import subprocess
import sys

import pytest

# cases/, cluster/, crashing/ and unloadable/ hold test-rig Python tests
# (also named test_*.py), not pytest ones; some of them end or crash the
# process.
collect_ignore_glob = ["cases/*", "cluster/*", "crashing/*", "unloadable/*"]

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases")
SAMPLES = os.path.join(HERE, "..", "..", "samples", "python")


@pytest.fixture
def sandbox_config():
    path = os.environ.get("TEST_RIG_SANDBOX_CONFIG")
    if not path or not os.path.exists(path):
        pytest.fail("TEST_RIG_SANDBOX_CONFIG must name a running sandbox's config "
                    "(ctest sets it; or: test-rig sandbox start DIR)")
    return path


class Run:
    def __init__(self, process, report):
        self.code = process.returncode
        self.out = process.stdout
        self.err = process.stderr
        self.tests = {}
        if report and os.path.exists(report):
            with open(report) as f:
                self.tests = {t["name"]: t for t in json.load(f)["tests"]}


@pytest.fixture
def standalone(tmp_path):
    """Runs python3 -m test_rig with `args` in a hermetic environment."""

    def run(*args, env=None):
        report = str(tmp_path / "report.json")
        clean = {k: v for k, v in os.environ.items()
                 if not k.startswith(("TIDB_", "TEST_RIG_"))}
        clean.update(env or {})
        process = subprocess.run(
            [sys.executable, "-m", "test_rig"] + list(args) + ["--report-json", report],
            cwd=tmp_path, env=clean, capture_output=True, text=True, timeout=120)
        return Run(process, report)

    return run
