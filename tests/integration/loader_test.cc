// The loader's commands and its handling of bad input, bad plugins and
// misbehaving handlers.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <sstream>

#include "tests/integration/rig_process.h"

namespace rig::testing {
namespace {

int count_lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

TEST(Loader, ListShowsPluginsTestsVersionsAndPaths) {
  RigRun r = run_rig({"list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("connection 1.0.0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("lib/test-rig/plugins/connection.so"), std::string::npos);
  EXPECT_NE(r.out.find("connection/sessions"), std::string::npos);
}

TEST(Loader, HelpGroupsOptionsByPlugin) {
  RigRun r = run_rig({"--help", "--plugin-dir", TEST_PLUGIN_DIR});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("-H, --host TEXT"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("env TIDB_HOST"), std::string::npos);
  EXPECT_NE(r.out.find("options of plugin 'connection' (config [plugins.connection]):"),
            std::string::npos);
  EXPECT_NE(r.out.find("--connection.sessions N"), std::string::npos);
  EXPECT_NE(r.out.find("env TEST_RIG_CONNECTION_SESSIONS"), std::string::npos);
  EXPECT_NE(r.out.find("options of plugin 'misbehaving'"), std::string::npos);
  // Defaults as a user would type them: floats without trailing zeros, and
  // those of flags too.
  EXPECT_NE(r.out.find("[default 10; range 0..604800; env TEST_RIG_LOAD_TIME]"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("autocommits [default false; env TEST_RIG_LOAD_SKIP_TRX]"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find(".000000"), std::string::npos) << r.out;
  // A built-in command's own options, under the command.
  const auto report = r.out.find("options of the command 'report' (on its command line only):");
  ASSERT_NE(report, std::string::npos) << r.out;
  EXPECT_LT(report, r.out.find("--max-p99-rise TEXT")) << r.out;
  EXPECT_LT(report, r.out.find("--force ")) << r.out;
  EXPECT_NE(r.out.find("options of the command 'sandbox'"), std::string::npos) << r.out;
}

TEST(Loader, DescribeShowsStatesAndDot) {
  RigRun text = run_rig({"describe", "connection/standard"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("getting_version -> completed"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("--connection.expect-flavor (enum: any|mysql|mariadb|tidb) default any"),
            std::string::npos)
      << text.out;
  RigRun dot = run_rig({"describe", "connection/standard", "--dot"});
  ASSERT_EQ(dot.exit_code, 0) << dot.err;
  EXPECT_EQ(dot.out.rfind("digraph \"standard\"", 0), 0u) << dot.out;
  EXPECT_NE(dot.out.find("\"initial\" -> \"parsing_config\";"), std::string::npos);
  EXPECT_EQ(run_rig({"describe", "nosuch"}).exit_code, 2);
}

TEST(Loader, UsageErrorsAreOneLineAndExitTwo) {
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"run", "--no-such-option"},
                                             {"run", "nosuch/*"},
                                             {"--connection.sessions", "0", "run"},
                                             {"--connection.expect-flavor", "oracle", "run"},
                                             {"--log-level", "loud", "list"},
                                             {"frobnicate"},
                                             {"--config", "/nonexistent.toml", "list"}}) {
    RigRun r = run_rig(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << " " << r.out << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_EQ(r.err.rfind("test-rig: ", 0), 0u) << r.err;
  }
}

TEST(Loader, MalformedConfigNamesFileLineAndKey) {
  std::string config = temp_path("tidb_config.toml");
  write_file(config,
             "[database]\nhost = \"127.0.0.1:1\"\n\n[plugins.connection]\nsessions = \"four\"\n");
  RigRun r = run_rig({"--config", config, "run"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "test-rig: config error: " + config +
                       ":5: key 'plugins.connection.sessions': expected an integer\n");
}

// A flag takes `true`/`false` (or, for --sandbox, a choice) as the next
// word, as with '='; any other next word stays a word of its own.
TEST(Loader, AFlagTakesTrueOrFalseAsItsNextWord) {
  RigRun off = run_rig({"--strict", "false", "config", "show"});
  EXPECT_EQ(off.exit_code, 0) << off.err;
  EXPECT_NE(off.out.find("strict                 = false                        # --strict"),
            std::string::npos)
      << off.out;
  RigRun on = run_rig({"--strict", "config", "show"});
  EXPECT_NE(on.out.find("strict                 = true"), std::string::npos) << on.out;
  // Floating-point defaults read as typed, in describe as in --help.
  RigRun described = run_rig({"describe", "txn"});
  EXPECT_NE(described.out.find("--txn.soak-seconds (float) default 2:"), std::string::npos)
      << described.out;
  EXPECT_EQ(described.out.find("000000"), std::string::npos) << described.out;
}

TEST(Loader, ConfigShowReportsEachValueAndItsSource) {
  std::string config = temp_path("c.toml");
  write_file(config,
             "[database]\nuser = \"from-file\"\nhost = \"file:1\"\n"
             "[plugins.connection]\nexpect-flavor = \"mariadb\"\n");
  RigRun r =
      run_rig({"--config", config, "-H", "cli:2", "--connection.sessions", "3", "config", "show"},
              {{{"TIDB_USER", "from-env"},
                {"TEST_RIG_CONNECTION_MIN_VERSION", "10.0"},
                {"TIDB_PASSWORD", "s3cret-value"}}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto line_of = [&](const std::string& key) {
    auto at = r.out.find("\n" + key + " ");
    return at == std::string::npos ? "" : r.out.substr(at + 1, r.out.find('\n', at + 1) - at - 1);
  };
  EXPECT_NE(line_of("host").find("\"cli:2\""), std::string::npos);
  EXPECT_NE(line_of("host").find("# --host"), std::string::npos);
  EXPECT_NE(line_of("user").find("# environment variable TIDB_USER"), std::string::npos);
  EXPECT_NE(line_of("expect-flavor").find(config + ":5"), std::string::npos) << r.out;
  EXPECT_NE(line_of("min-version").find("TEST_RIG_CONNECTION_MIN_VERSION"), std::string::npos);
  EXPECT_NE(line_of("sessions").find("3"), std::string::npos);
  EXPECT_NE(line_of("database").find("# default"), std::string::npos);
  EXPECT_NE(line_of("password").find("********"), std::string::npos);
  EXPECT_EQ(r.out.find("s3cret-value"), std::string::npos);
}

TEST(Loader, BadPluginsAreReportedAndTheRestStillRun) {
  std::string json = temp_path("r.json");
  RigRun r = run_rig({"--config", sandbox_config(), "--plugin-dir", BAD_PLUGIN_DIR, "run",
                      "connection/standard", "invalid_machine", "--report-json", json});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  for (const char* file :
       {"wrong_abi_major.so", "other_abi_symbol.so", "no_entry.so", "failing_init.so",
        "truncated_descriptor.so", "shadow_duplicate.so", "invalid_machine.so"}) {
    EXPECT_NE(r.err.find(std::string(BAD_PLUGIN_DIR) + "/" + file), std::string::npos) << file;
  }
  auto report = read_json(json);
  EXPECT_EQ(report["summary"]["passed"], 2);  // connection/standard, invalid_machine/valid
  EXPECT_EQ(report["load_problems"].size(), 9u);

  RigRun strict =
      run_rig({"--config", sandbox_config(), "--plugin-dir", BAD_PLUGIN_DIR, "--strict", "run"});
  EXPECT_EQ(strict.exit_code, 2);
  EXPECT_NE(strict.err.find("--strict: 9 plugin problem(s)"), std::string::npos) << strict.err;
}

// A plugin is tried in a child process before it is loaded: an entry that
// exits (in-process, an exit 0 with nothing tested), crashes or hangs is a
// plugin problem, and test-rig goes on.
TEST(Loader, APluginThatExitsCrashesOrHangsWhileLoadingIsSkipped) {
  const std::vector<std::string> fatal = {"--plugin-dir", FATAL_PLUGIN_DIR, "--plugin-load-timeout",
                                          "1"};
  auto with = [&fatal](std::vector<std::string> args) {
    args.insert(args.begin(), fatal.begin(), fatal.end());
    return args;
  };
  RigRun version = run_rig(with({"--version"}));
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_EQ(version.out.rfind("test-rig ", 0), 0u) << version.out;

  const std::string json = temp_path("r.json");
  RigRun r = run_rig(
      with({"--config", sandbox_config(), "run", "connection/standard", "--report-json", json}));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("PASS  connection/standard"), std::string::npos) << r.out;
  const std::string dir = FATAL_PLUGIN_DIR;
  for (const std::string& problem :
       {dir + "/exits_in_entry.so: skipped: loading it (tried first in a child process) ended "
              "the process with exit status 0 instead of returning",
        dir + "/crashes_in_entry.so: skipped: loading it (tried first in a child process) "
              "crashed with SIGSEGV",
        dir + "/hangs_in_entry.so: skipped: loading it (tried first in a child process) did not "
              "return within 1 s and was killed"}) {
    EXPECT_NE(r.err.find(problem), std::string::npos) << problem << "\n" << r.err;
  }
  EXPECT_EQ(read_json(json)["load_problems"].size(), 3u);

  RigRun strict = run_rig(with({"--config", sandbox_config(), "--strict", "run"}));
  EXPECT_EQ(strict.exit_code, 2) << strict.err;
}

TEST(Loader, PluginsBuiltAgainstOlderHeadersRunAndTheirStructsAreNotOverrun) {
  // abi_v1_0 to abi_v1_4 (tests/abi/old_plugin.c) know only the ABI of
  // their frozen plugin_api.h; each checks what the host writes into its
  // structs and the guard bytes after them.
  const std::string report = temp_path("abi.json");
  RigRun r = run_rig({"--config", sandbox_config(), "--plugin-dir", ABI_PLUGIN_DIR, "--report-json",
                      report, "run", "abi_v1_0", "abi_v1_1", "abi_v1_2", "abi_v1_3", "abi_v1_4"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.err.find("problem"), std::string::npos) << r.err;
  const nlohmann::json json = read_json(report);
  ASSERT_EQ(json["tests"].size(), 5u) << json;
  for (const auto& test : json["tests"]) {
    EXPECT_EQ(test["status"], "passed") << test["name"] << ": " << test["message"];
  }
  EXPECT_EQ(json["tests"][0]["records"]["abi_minor_built_against"], "0");
  EXPECT_EQ(json["tests"][1]["records"]["abi_minor_built_against"], "1");
  EXPECT_EQ(json["tests"][2]["records"]["abi_minor_built_against"], "2");
  EXPECT_EQ(json["tests"][3]["records"]["abi_minor_built_against"], "3");
  EXPECT_EQ(json["tests"][4]["records"]["abi_minor_built_against"], "4");
}

// ABI 1.2's configure phase: a plugin's tests follow its own option, from
// the command line (by its name or its alias), the environment or the
// config file; a configure that fails is a plugin problem.
TEST(Loader, APluginDecidesItsTestsFromItsOwnOptionsInTheConfigurePhase) {
  auto tests_listed = [](std::vector<std::string> args, const RigOptions& options = {}) {
    args.insert(args.begin(), {"--plugin-dir", CONFIGURED_PLUGIN_DIR});
    args.push_back("list");
    RigRun r = run_rig(args, options);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string names;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
      // "  configured/t2   one of the tests ..." gives "t2 ".
      if (line.rfind("  configured/t", 0) == 0) names += line.substr(13, line.find(' ', 2) - 12);
    }
    return names;
  };
  EXPECT_EQ(tests_listed({}), "t1 ");  // the option's default
  EXPECT_EQ(tests_listed({"--configured.tests", "3"}), "t1 t2 t3 ");
  EXPECT_EQ(tests_listed({"--configured-tests", "2"}), "t1 t2 ");
  EXPECT_EQ(tests_listed({"--configured-tests=4"}), "t1 t2 t3 t4 ");
  EXPECT_EQ(tests_listed({}, {.env = {{"TEST_RIG_CONFIGURED_TESTS", "2"}}}), "t1 t2 ");
  const std::string config = temp_path("configured.toml");
  write_file(config, "[plugins.configured]\ntests = 3\n");
  EXPECT_EQ(tests_listed({"--config", config}), "t1 t2 t3 ");

  RigRun failed = run_rig(
      {"--plugin-dir", CONFIGURED_PLUGIN_DIR, "--configured.tests", "0", "--strict", "list"});
  EXPECT_EQ(failed.exit_code, 2) << failed.out << failed.err;
  EXPECT_NE(failed.err.find("configure failed: --configured.tests 0 asks for no tests"),
            std::string::npos)
      << failed.err;
}

// The configure phase needs no server: a --host that does not parse is an
// error for `run`, not for the commands that only inspect.
TEST(Loader, ListAndConfigShowWorkWhateverTheHostSays) {
  for (const char* command : {"list", "config"}) {
    std::vector<std::string> args = {"--plugin-dir", CONFIGURED_PLUGIN_DIR, "-H", "h:99999999",
                                     command};
    if (std::string(command) == "config") args.push_back("show");
    RigRun r = run_rig(args);
    EXPECT_EQ(r.exit_code, 0) << command << ": " << r.err;
  }
  RigRun run = run_rig({"-H", "h:99999999", "run", "connection/standard"});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("port must be a number from 1 to 65535"), std::string::npos) << run.err;
}

// An alias may not take a core option's name: the host drops it as a
// problem, and the core option keeps its meaning.
TEST(Loader, AnOptionsAliasThatIsACoreOptionsNameIsRefused) {
  RigRun r = run_rig({"--plugin-dir", CONFIGURED_PLUGIN_DIR, "--log-level", "warn", "list"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("alias 'log-level' of option 'configured.taken' is already a test-rig "
                       "option's name; alias dropped"),
            std::string::npos)
      << r.err;
  RigRun help = run_rig({"--plugin-dir", CONFIGURED_PLUGIN_DIR, "--help"});
  EXPECT_NE(help.out.find("also --configured-tests"), std::string::npos) << help.out;
  EXPECT_EQ(help.out.find("also --log-level"), std::string::npos) << help.out;
}

// A hook is never entered by the machine: the test calls what is bound to
// it, and is skipped while nothing is.
TEST(Loader, AHookCallsTheHandlerBoundToIt) {
  const std::string report = temp_path("hooked.json");
  RigRun bound =
      run_rig({"--config", sandbox_config(), "--plugin-dir", CONFIGURED_PLUGIN_DIR,
               "--configured.bind-step", "--report-json", report, "run", "configured/hooked"});
  EXPECT_EQ(bound.exit_code, 0) << bound.out << bound.err;
  const nlohmann::json json = read_json(report);
  ASSERT_EQ(json["tests"].size(), 1u) << json;
  EXPECT_EQ(json["tests"][0]["status"], "passed") << json;
  EXPECT_EQ(json["tests"][0]["records"]["step_calls"], "3") << json;

  RigRun unbound = run_rig({"--config", sandbox_config(), "--plugin-dir", CONFIGURED_PLUGIN_DIR,
                            "--report-json", report, "run", "configured/hooked"});
  EXPECT_EQ(read_json(report)["tests"][0]["status"], "skipped") << unbound.out << unbound.err;

  RigRun described = run_rig({"--plugin-dir", CONFIGURED_PLUGIN_DIR, "--configured.bind-step",
                              "describe", "configured/hooked"});
  EXPECT_NE(described.out.find("hooks (bind a handler to call it):\n    step"), std::string::npos)
      << described.out;
  EXPECT_NE(described.out.find("[bound] called three times by start"), std::string::npos)
      << described.out;
}

TEST(Loader, PluginPathFromTheEnvironment) {
  RigRun r = run_rig({"list"},
                     {{{"TEST_RIG_PLUGIN_PATH", std::string("/nonexistent:") + TEST_PLUGIN_DIR}}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("misbehaving/segfault"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("problem: /nonexistent: plugin directory does not exist"), std::string::npos)
      << r.out;
}

TEST(Loader, NamingTheInstallDirectoryAgainIsNoDuplicate) {
  RigRun r = run_rig({"--plugin-dir", PLUGIN_DIR, "--plugin-dir", std::string(PLUGIN_DIR) + "/",
                      "--strict", "list"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.find("problem:"), std::string::npos) << r.out;
}

TEST(Loader, MissingPluginDirectoryIsAProblem) {
  RigRun r = run_rig({"--plugin-dir", "/nonexistent/plugins", "--strict", "run"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/plugins: plugin directory does not exist"), std::string::npos)
      << r.err;
}

// Every way a handler can misbehave, in one run: each is classified, the
// rest still run, and the reports hold every test.
TEST(Loader, MisbehavingHandlersAreIsolatedAndClassified) {
  std::string json = temp_path("r.json"), junit = temp_path("j.xml");
  RigRun r = run_rig({"--config", sandbox_config(), "--plugin-dir", TEST_PLUGIN_DIR,
                      "--state-timeout", "1", "--stop-grace", "0.5", "--max-steps", "50", "run",
                      "misbehaving", "--report-json", json, "--junit", junit});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;  // `cleanup` fails; failures win
  auto report = read_json(json);
  std::map<std::string, nlohmann::json> tests;
  for (const auto& test : report["tests"]) tests[test["test"]] = test;
  ASSERT_EQ(tests.size(), 13u);
  EXPECT_EQ(tests["passes"]["status"], "passed");
  EXPECT_EQ(tests["result_cut_off"]["status"], "passed") << tests["result_cut_off"]["message"];
  EXPECT_EQ(tests["throws"]["status"], "error");
  EXPECT_EQ(tests["throws"]["message"], "state 'start' execute: boom from a handler");
  EXPECT_EQ(tests["throws_int"]["message"],
            "state 'start' execute: handler threw an exception of unknown type");
  EXPECT_EQ(tests["segfault"]["status"], "crashed");
  EXPECT_EQ(tests["segfault"]["message"],
            "crashed with SIGSEGV (Segmentation fault) in state 'start'");
  // Where: the crashing thread's stack, symbolized down to the handler's
  // file and line, in the JSON and JUnit reports alike.
  const std::string stack = tests["segfault"].value("backtrace", "");
  EXPECT_NE(stack.find("tests/plugins/misbehaving.cc:"), std::string::npos) << stack;
  EXPECT_NE(stack.find("execute_trampoline"), std::string::npos) << stack;
  EXPECT_NE(stack.find("(misbehaving.so)"), std::string::npos) << stack;
  EXPECT_NE(read_file(junit).find("tests/plugins/misbehaving.cc:"), std::string::npos);
  EXPECT_EQ(r.out.find("execute_trampoline"), std::string::npos) << "only under -v";
  EXPECT_FALSE(tests["aborts"].value("backtrace", "").empty());
  EXPECT_EQ(tests["aborts"]["status"], "crashed");
  EXPECT_NE(tests["aborts"]["message"].get<std::string>().find("SIGABRT"), std::string::npos);
  EXPECT_EQ(tests["hangs"]["status"], "error");
  EXPECT_EQ(tests["hangs"]["message"],
            "state 'start' exceeded its timeout of 1 s and did not stop within 0.5 s when told "
            "to; the test's process was killed");
  EXPECT_LT(tests["hangs"]["duration_s"].get<double>(), 10.0);
  EXPECT_EQ(tests["undeclared"]["message"],
            "state 'start' returned 'start', which is not a declared transition");
  EXPECT_EQ(tests["endless"]["message"], "step limit of 50 transitions reached in state 'ping'");
  EXPECT_EQ(tests["skips"]["status"], "skipped");
  EXPECT_EQ(tests["skips"]["message"], "needs TiDB");
  EXPECT_EQ(tests["cleanup"]["status"], "failed");
  EXPECT_EQ(tests["cleanup"]["records"]["exit_ran"], "yes");
  EXPECT_EQ(report["summary"]["crashed"], 2);

  std::string xml = read_file(junit);
  EXPECT_NE(xml.find("tests=\"13\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<error type=\"crashed\""), std::string::npos);

  // Bytes that are not UTF-8 become U+FFFD, in both reports, and nothing is lost.
  EXPECT_EQ(tests["odd_bytes"]["status"], "failed");
  EXPECT_EQ(
      tests["odd_bytes"]["message"],
      "state 'start' execute: latin-1 \xEF\xBF\xBDt\xEF\xBF\xBD, cut \xEF\xBF\xBD, bell \x07 end");
  EXPECT_NE(xml.find("latin-1 \xEF\xBF\xBDt\xEF\xBF\xBD, cut \xEF\xBF\xBD, bell ? end"),
            std::string::npos)
      << xml;
  EXPECT_EQ(std::system(("python3 -c 'import sys, xml.dom.minidom; "
                         "xml.dom.minidom.parse(sys.argv[1])' " +
                         junit)
                            .c_str()),
            0)
      << "the JUnit report is well-formed XML";
}

// A report that cannot be written is an error the exit code shows, with
// the path, even when every test passed.
TEST(Loader, AReportThatCannotBeWrittenIsAnInfrastructureError) {
  for (const char* option : {"--junit", "--report-json"}) {
    RigRun r =
        run_rig({"--config", sandbox_config(), "run", "connection/standard", option, "/dev/full"});
    EXPECT_EQ(r.exit_code, 3) << option << r.out << r.err;
    EXPECT_NE(r.err.find("cannot write the"), std::string::npos) << option << r.err;
    EXPECT_NE(r.err.find("/dev/full"), std::string::npos) << option << r.err;
  }
}

// A test's process dies with test-rig, even when test-rig is killed with
// SIGKILL alone: an orphan would go on loading the server, with nobody to
// report to, and hold its tables.
TEST(Loader, ATestsProcessDiesWithTestRigEvenByKill9) {
  pid_t rig = 0, test_process = 0;
  RigOptions options;
  options.pid = &rig;
  options.signal_process_group = false;
  options.signal_when = [&] {
    std::istringstream children(
        read_file("/proc/" + std::to_string(rig) + "/task/" + std::to_string(rig) + "/children"));
    return static_cast<bool>(children >> test_process);
  };
  RigRun r = run_rig({"--config", sandbox_config(), "--plugin-dir", TEST_PLUGIN_DIR,
                      "--state-timeout", "600", "run", "misbehaving/hangs"},
                     options);
  EXPECT_EQ(r.exit_code, 128 + SIGKILL) << r.out << r.err;
  ASSERT_GT(test_process, 0);
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, test_process, 0));
  if (pidfd < 0) {
    EXPECT_EQ(errno, ESRCH) << "no such process: it is gone already";
    return;
  }
  struct pollfd exited {
    pidfd, POLLIN, 0
  };
  EXPECT_EQ(::poll(&exited, 1, 30000), 1)
      << "the test's process " << test_process << " outlived test-rig";
  ::close(pidfd);
}

// A core dump would hold the password: test processes, forked or not, can
// write none, even when the shell that started test-rig allows them.
TEST(Loader, NoProcessThatHoldsThePasswordCanDumpCore) {
  for (const char* isolation : {"process", "none"}) {
    std::string json = temp_path("r.json");
    RigOptions options;
    options.core_limit_unlimited = true;
    RigRun r =
        run_rig({"--config", sandbox_config(), "--plugin-dir", TEST_PLUGIN_DIR, "--isolation",
                 isolation, "run", "misbehaving/dump_settings", "--report-json", json},
                options);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    auto records = read_json(json)["tests"][0]["records"];
    EXPECT_EQ(records["dumpable"], "0") << isolation;
    EXPECT_EQ(records["core_limit"], "0/0") << isolation;
  }
}

TEST(Loader, VerboseShowsWhereATestCrashed) {
  RigRun r = run_rig({"--config", sandbox_config(), "--plugin-dir", TEST_PLUGIN_DIR, "-v", "run",
                      "misbehaving/segfault"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  const std::size_t crash = r.out.find("CRASH misbehaving/segfault");
  ASSERT_NE(crash, std::string::npos) << r.out;
  EXPECT_NE(r.out.find("#0 ", crash), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("misbehaving.cc:", crash), std::string::npos) << r.out;
}

TEST(Loader, InProcessIsolationRunsHandlersToo) {
  std::string json = temp_path("r.json");
  RigRun r = run_rig({"--config", sandbox_config(), "--plugin-dir", TEST_PLUGIN_DIR, "--isolation",
                      "none", "run", "misbehaving/passes", "misbehaving/throws",
                      "misbehaving/cleanup", "connection/standard", "--report-json", json});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  auto report = read_json(json);
  EXPECT_EQ(report["summary"]["passed"], 2);
  EXPECT_EQ(report["summary"]["error"], 1);
  EXPECT_EQ(report["summary"]["failed"], 1);
}

TEST(Loader, InterruptStopsTheRunWritesReportsAndRemovesTheSandbox) {
  std::string tmp = temp_path("tmp"), json = temp_path("r.json");
  std::filesystem::create_directories(tmp);
  // Interrupted once misbehaving/hangs is under way, however long the
  // sandbox took to start and misbehaving/passes to run.
  const std::string hanging = temp_path("hanging");
  RigOptions options;
  options.env = {{"TMPDIR", tmp}, {"MISBEHAVING_HANGS_MARKER", hanging}};
  options.signal_when = [&] { return std::filesystem::exists(hanging); };
  options.signal_to_send = SIGINT;
  options.signal_process_group = false;
  RigRun r = run_rig(
      {"--plugin-dir", TEST_PLUGIN_DIR, "--stop-grace", "0.5", "run", "--sandbox",
       "misbehaving/passes", "misbehaving/hangs", "connection/standard", "--report-json", json},
      options);
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("run stopped early: interrupted by a signal"), std::string::npos) << r.out;
  auto report = read_json(json);
  EXPECT_EQ(report["aborted"], "interrupted by a signal");
  EXPECT_EQ(report["tests"][0]["status"], "passed");
  EXPECT_EQ(report["tests"][1]["message"],
            "interrupted by a signal; the test's process was killed before it reported");
  EXPECT_TRUE(std::filesystem::is_empty(tmp)) << "sandbox directory left behind";
}

}  // namespace
}  // namespace rig::testing
