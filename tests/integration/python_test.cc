// Python tests through the loader against the sandbox: passing, failing
// assert, exception, syntax error, timeout, unknown state, skip, SQL error,
// and a Python handler inside a C++ test.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/integration/rig_process.h"

namespace rig::testing {
namespace {

const std::string kCases = std::string(SOURCE_DIR) + "/tests/python/cases";
const std::string kSamples = std::string(SOURCE_DIR) + "/samples/python";

struct PythonRun {
  RigRun process;
  std::map<std::string, nlohmann::json> tests;
};

PythonRun run_python(const std::string& directory, std::vector<std::string> patterns) {
  std::string report = temp_path("python.json");
  std::vector<std::string> args = {"--config",      sandbox_config(), "--stop-grace",
                                   "0.5",           "--python-tests", directory,
                                   "--report-json", report,           "run"};
  args.insert(args.end(), patterns.begin(), patterns.end());
  PythonRun run{run_rig(args), {}};
  nlohmann::json document = read_json(report);
  for (const auto& test : document["tests"]) {
    run.tests[test["name"].get<std::string>()] = test;
  }
  return run;
}

std::string message_of(const nlohmann::json& test) { return test["message"].get<std::string>(); }

TEST(PythonTests, PassingTestsCheckTypesParametersSessionsRetryAndMachines) {
  PythonRun r = run_python(kCases, {"python/typed-rows", "python/parameters", "python/sessions",
                                    "python/retry", "python/machine"});
  EXPECT_EQ(r.process.exit_code, 0) << r.process.out << r.process.err;
  ASSERT_EQ(r.tests.size(), 5u);
  for (const auto& [name, test] : r.tests)
    EXPECT_EQ(test["status"], "passed") << name << message_of(test);
  EXPECT_EQ(r.tests["python/machine"]["states"], nlohmann::json({"insert", "verify", "completed"}));
  EXPECT_GE(r.tests["python/retry"]["retries"].get<int>(), 1);  // the deadlock was retried
  EXPECT_EQ(r.tests["python/sessions"]["records"]["flavor"], "mariadb");
  // The password is readable by handlers but never printed.
  std::string password = sandbox_password();
  EXPECT_EQ(r.process.out.find(password), std::string::npos);
  EXPECT_EQ(r.process.err.find(password), std::string::npos);
}

TEST(PythonTests, FailuresAreReportedWithTracebacks) {
  PythonRun r =
      run_python(kCases, {"python/failing-assert", "python/exception", "python/unknown-state",
                          "python/timeout", "python/skip", "python/sql-error"});
  EXPECT_EQ(r.process.exit_code, 1) << r.process.out << r.process.err;  // a failure wins

  const auto& failed = r.tests["python/failing-assert"];
  EXPECT_EQ(failed["status"], "failed");
  EXPECT_NE(message_of(failed).find("AssertionError: expected 2, got 1"), std::string::npos);
  EXPECT_NE(message_of(failed).find("test_failures.py\", line 11"), std::string::npos)
      << message_of(failed);
  EXPECT_NE(r.process.out.find("AssertionError: expected 2, got 1"), std::string::npos);

  const auto& raised = r.tests["python/exception"];
  EXPECT_EQ(raised["status"], "error");
  EXPECT_NE(message_of(raised).find("KeyError: 'no-such-key'"), std::string::npos);
  EXPECT_NE(message_of(raised).find("Traceback (most recent call last)"), std::string::npos);

  EXPECT_EQ(r.tests["python/unknown-state"]["status"], "error");
  EXPECT_NE(message_of(r.tests["python/unknown-state"]).find("returned 'nowhere'"),
            std::string::npos);

  const auto& slow = r.tests["python/timeout"];
  EXPECT_EQ(slow["status"], "error");
  EXPECT_NE(message_of(slow).find("exceeded its timeout"), std::string::npos) << message_of(slow);
  EXPECT_LT(slow["duration_s"].get<double>(), 10);  // stopped, not waited for

  EXPECT_EQ(r.tests["python/skip"]["status"], "skipped");
  EXPECT_EQ(message_of(r.tests["python/skip"]), "not on this server");

  const auto& sql = r.tests["python/sql-error"];
  EXPECT_EQ(sql["status"], "error");
  EXPECT_NE(message_of(sql).find("DbError: error 1064"), std::string::npos);
  EXPECT_EQ(sql["error_context"]["last_db_error"]["code"], 1064);
}

TEST(PythonTests, SyntaxErrorIsReportedForItsFileAndTheOthersStillRun) {
  PythonRun r = run_python(kCases, {"python"});
  EXPECT_EQ(r.process.exit_code, 1) << r.process.out << r.process.err;
  const auto& broken = r.tests["python/syntax_error"];
  EXPECT_EQ(broken["status"], "error");
  EXPECT_NE(message_of(broken).find("test_syntax_error.py\", line 5"), std::string::npos)
      << message_of(broken);
  EXPECT_NE(message_of(broken).find("SyntaxError"), std::string::npos);
  EXPECT_EQ(r.tests["python/typed-rows"]["status"], "passed");        // other files ran
  EXPECT_EQ(r.tests["python/mixed_auto_named"]["status"], "passed");  // discovered by name
}

TEST(PythonTests, AMissingPathIsReportedAsAnError) {
  PythonRun r = run_python("/nonexistent/tests", {"python"});
  EXPECT_EQ(r.process.exit_code, 3) << r.process.out << r.process.err;
  EXPECT_EQ(r.tests["python/tests"]["status"], "error");
  EXPECT_NE(message_of(r.tests["python/tests"]).find("/nonexistent/tests: no such file"),
            std::string::npos);
}

// Each file is imported in a child process first: one that ends the
// process, or never returns, becomes an error of its own; a file that
// declares no test is an error too, never silently ignored.
TEST(PythonTests, FilesThatEndTheProcessHangOrDeclareNothingAreErrors) {
  const std::string report = temp_path("python.json");
  RigRun r = run_rig({"--config", sandbox_config(), "--plugin-load-timeout", "1", "--python-tests",
                      std::string(SOURCE_DIR) + "/tests/python/unloadable", "--report-json", report,
                      "run", "python", "connection/standard"});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  std::map<std::string, nlohmann::json> tests;
  const nlohmann::json document = read_json(report);
  for (const auto& test : document["tests"]) tests[test["name"].get<std::string>()] = test;
  EXPECT_EQ(tests["connection/standard"]["status"], "passed");
  const std::map<std::string, std::string> expected = {
      {"python/ends_process", "ended the process with exit status 0 instead of returning"},
      {"python/loops", "did not return within 1 s and was killed"},
      {"python/defines_nothing", "test_defines_nothing.py defines no test: give it a `tests`"}};
  for (const auto& [name, fragment] : expected) {
    EXPECT_EQ(tests[name]["status"], "error") << name << ": " << r.out;
    EXPECT_NE(message_of(tests[name]).find(fragment), std::string::npos)
        << name << ": " << message_of(tests[name]);
  }
}

// A handler that crashes natively is reported with both stacks: Python's
// (faulthandler) down to the test file's line, then the native one.
TEST(PythonTests, ACrashShowsThePythonAndTheNativeStack) {
  PythonRun r = run_python(std::string(SOURCE_DIR) + "/tests/python/crashing", {"python"});
  EXPECT_EQ(r.process.exit_code, 3) << r.process.out << r.process.err;
  const auto& crashed = r.tests["python/crashes_segfault"];
  EXPECT_EQ(crashed["status"], "crashed") << crashed;
  const std::string stack = crashed.value("backtrace", "");
  EXPECT_NE(stack.find("Fatal Python error: Segmentation fault"), std::string::npos) << stack;
  EXPECT_NE(stack.find("test_crashes.py\", line 9 in read_address_zero"), std::string::npos)
      << stack;
  EXPECT_NE(stack.find("native stack:\n#0 "), std::string::npos) << stack;
  EXPECT_NE(stack.find("rig_python::PythonHandler::execute"), std::string::npos) << stack;
}

TEST(PythonTests, PythonHandlerRunsInsideACppTest) {
  PythonRun r = run_python(kCases, {"connection/standard"});
  EXPECT_EQ(r.process.exit_code, 0) << r.process.out << r.process.err;
  const auto& test = r.tests["connection/standard"];
  EXPECT_EQ(test["status"], "passed") << message_of(test);
  // Custom data set by the C++ parsing_config handler, read from Python.
  EXPECT_EQ(test["records"]["python_saw_expect_flavor"], "any");
  EXPECT_NE(test["records"]["python_version_row"].get<std::string>().find("MariaDB"),
            std::string::npos);
  // The C++ test's options, read from Python each as the type declared.
  EXPECT_EQ(test["records"]["python_read_options"], "[4, False, 'any', '']");
  EXPECT_EQ(test["records"]["python_unknown_option"],
            "\"plugin connection has no option 'no-such-option'\"");
}

// The dynamic loader's own trace (LD_DEBUG=libs) of the libraries a
// `test-rig list` maps.
std::string libraries_mapped(std::vector<std::string> args) {
  args.push_back("list");
  RigRun r = run_rig(args, {{{"LD_DEBUG", "libs"}}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.err;
}

TEST(PythonTests, OnlyRunsWithPythonTestsLoadLibpython) {
  const std::string without = libraries_mapped({});
  ASSERT_NE(without.find("libmariadb"), std::string::npos) << "no LD_DEBUG trace:\n" << without;
  EXPECT_EQ(without.find("libpython"), std::string::npos) << without;
  EXPECT_NE(libraries_mapped({"--python-tests", kSamples}).find("libpython"), std::string::npos);
}

TEST(PythonTests, AMissingRuntimeIsReportedWithWhatToDo) {
  // An installed layout holding the python plugin without its runtime.
  const std::filesystem::path root = std::filesystem::path(temp_path("install"));
  std::filesystem::create_directories(root / "bin");
  std::filesystem::create_directories(root / "lib/test-rig/plugins");
  std::filesystem::copy_file(TEST_RIG_BIN, root / "bin/test-rig");
  std::filesystem::copy_file(std::string(PLUGIN_DIR) + "/python.so",
                             root / "lib/test-rig/plugins/python.so");
  RigRun r = run_rig({"--python-tests", kSamples, "--strict", "list"},
                     {{}, (root / "bin/test-rig").string()});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("cannot load the Python runtime: " + root.string()), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("lib/test-rig/plugins/python/python_runtime.so"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("rebuild or reinstall test-rig to run Python tests"), std::string::npos)
      << r.err;
}

TEST(PythonTests, PythonTestsAppearInListAndDescribe) {
  RigRun list = run_rig({"--python-tests", kCases, "list"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("machine"), std::string::npos) << list.out;
  RigRun describe = run_rig({"--python-tests", kCases, "describe", "python/machine"});
  EXPECT_EQ(describe.exit_code, 0) << describe.err;
  EXPECT_NE(describe.out.find("insert -> verify"), std::string::npos) << describe.out;
}

TEST(PythonTests, SamplesPass) {
  PythonRun r = run_python(kSamples, {"python"});
  EXPECT_EQ(r.process.exit_code, 0) << r.process.out << r.process.err;
  EXPECT_GE(r.tests.size(), 2u);
  for (const auto& [name, test] : r.tests)
    EXPECT_EQ(test["status"], "passed") << name << message_of(test);
}

}  // namespace
}  // namespace rig::testing
