"""python3 -m test_rig: the standalone runner, against the sandbox server."""
import os

from conftest import CASES, SAMPLES


def test_samples_pass(standalone, sandbox_config):
    r = standalone("run", SAMPLES, "--config", sandbox_config)
    assert r.code == 0, r.out + r.err
    assert {"python/reporting", "python/isolation-snapshot",
            "python/isolation-row-lock"} <= set(r.tests)
    assert all(t["status"] == "passed" for t in r.tests.values()), r.tests
    assert r.tests["python/reporting"]["records"]["tables"].isdigit()


def test_one_file_and_a_pattern(standalone, sandbox_config):
    r = standalone("run", os.path.join(CASES, "test_values.py"), "python/typed-rows",
                   "--config", sandbox_config)
    assert r.code == 0, r.out + r.err
    assert list(r.tests) == ["python/typed-rows"]


def test_a_path_after_a_plugin_flag_is_a_path(standalone, sandbox_config):
    # --load.dry-run takes no value: test-rig, not a list in __main__.py,
    # knows it from the option's declaration.
    import test_rig_python
    plugins = os.path.join(os.path.dirname(test_rig_python.__file__), "..", "lib", "test-rig",
                           "plugins")
    r = standalone("run", "--plugin-dir", plugins, "--load.dry-run",
                   os.path.join(CASES, "test_values.py"), "python/typed-rows", "--strict",
                   "false", "--config", sandbox_config)
    assert r.code == 0, r.out + r.err
    assert list(r.tests) == ["python/typed-rows"]


def test_same_result_semantics_as_the_loader(standalone, sandbox_config):
    r = standalone("run", os.path.join(CASES, "test_failures.py"), "--config", sandbox_config)
    assert r.code == 1, r.out + r.err  # a failed test wins over errors
    status = {name: t["status"] for name, t in r.tests.items()}
    assert status == {"python/failing-assert": "failed", "python/exception": "error",
                      "python/unknown-state": "error", "python/timeout": "error",
                      "python/skip": "skipped", "python/sql-error": "error"}
    assert "AssertionError: expected 2, got 1" in r.tests["python/failing-assert"]["message"]
    assert "exceeded its timeout" in r.tests["python/timeout"]["message"]


def test_syntax_error_is_reported_for_its_file(standalone, sandbox_config):
    r = standalone("run", os.path.join(CASES, "test_syntax_error.py"),
                   os.path.join(CASES, "test_values.py"), "python/syntax_error",
                   "python/machine", "--config", sandbox_config)
    assert r.code == 3, r.out + r.err
    assert r.tests["python/syntax_error"]["status"] == "error"
    assert "SyntaxError" in r.tests["python/syntax_error"]["message"]
    assert r.tests["python/machine"]["status"] == "passed"


def test_precedence_cli_over_env_over_config(standalone, sandbox_config):
    typed = os.path.join(CASES, "test_values.py")
    # The environment overrides the config file: no such database.
    r = standalone("run", typed, "python/typed-rows", "--config", sandbox_config,
                   env={"TIDB_DATABASE": "no_such_db"})
    assert r.code == 1, r.out + r.err
    assert "no_such_db" in r.tests["python/typed-rows"]["message"]
    # The command line overrides the environment.
    r = standalone("run", typed, "python/typed-rows", "--config", sandbox_config,
                   "--database", "rig_test", env={"TIDB_DATABASE": "no_such_db"})
    assert r.code == 0, r.out + r.err


def test_server_down_is_an_infrastructure_error(standalone, tmp_path):
    r = standalone("run", SAMPLES, "-H", "127.0.0.1:1", "--connect-timeout", "1")
    assert r.code == 3, r.out + r.err
    assert all(t["status"] == "error" for t in r.tests.values())


def test_list_and_usage(standalone):
    r = standalone("list", CASES)
    assert r.code == 0, r.err
    assert "typed-rows" in r.out
    r = standalone("frobnicate")
    assert r.code == 2
    assert "python3 -m test_rig COMMAND PATH" in r.err
