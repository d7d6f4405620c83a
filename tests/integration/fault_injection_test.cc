// Fault injection against a sandbox of the test's own: the server is killed
// and restarted, or stopped and continued, in the middle of a
// multi-session txn/soak run. The run must complete, classify what it saw,
// count retries and reconnects, open and close the circuit breaker, and
// account for every transaction. A wrong password fails fast instead.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <future>
#include <thread>

#include "tests/integration/rig_process.h"

namespace rig::testing {
namespace {

using namespace std::chrono_literals;

class FaultInjection : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    directory_ = new std::string(temp_path("fault-sandbox"));
    RigRun r = run_rig({"sandbox", "start", *directory_});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  static void TearDownTestSuite() {
    run_rig({"sandbox", "stop", *directory_});
    delete directory_;
  }

  static std::string config() { return *directory_ + "/tidb_config.toml"; }
  static pid_t server_pid() {
    std::ifstream in(*directory_ + "/sandbox.pid");
    pid_t pid = 0;
    in >> pid;
    return pid;
  }

  // Starts txn/soak for `seconds` with a retry budget that outlasts a few
  // seconds of outage; `extra` adds flags.
  static std::future<RigRun> start_soak(const std::string& report, int seconds,
                                        std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--config",
                                     config(),
                                     "--report-json",
                                     report,
                                     "--retry-max-attempts",
                                     "80",
                                     "--retry-base-delay-ms",
                                     "50",
                                     "--retry-max-delay-ms",
                                     "400",
                                     "--connect-timeout",
                                     "1",
                                     "--breaker-recovery-timeout-ms",
                                     "500",
                                     "run",
                                     "txn/soak",
                                     "--txn.soak-seconds",
                                     std::to_string(seconds)};
    args.insert(args.end(), extra.begin(), extra.end());
    return std::async(std::launch::async, [args] { return run_rig(args); });
  }

  static std::string* directory_;
};

std::string* FaultInjection::directory_ = nullptr;

// The checks both outages share: the run passed, every transaction is
// accounted for, errors were transient connection errors, retries and
// reconnects were counted, and the breaker opened and closed again.
void expect_survived_outage(const nlohmann::json& test) {
  EXPECT_EQ(test["status"], "passed") << test["message"];
  const auto& ops = test["details"]["operations"];
  EXPECT_GT(ops["attempted"].get<int64_t>(), 0);
  EXPECT_EQ(ops["succeeded"].get<int64_t>() + ops["failed"].get<int64_t>() +
                ops["indeterminate"].get<int64_t>(),
            ops["attempted"].get<int64_t>())
      << ops;
  EXPECT_GT(test["retries"].get<int64_t>(), 0);
  EXPECT_GT(test["reconnects"].get<int64_t>(), 0);

  ASSERT_FALSE(test["errors"].empty());
  for (const auto& error : test["errors"]) {
    EXPECT_EQ(error["retry"], "transient") << error;
    EXPECT_EQ(error["kind"], "connection") << error;
  }

  bool opened = false, closed_after_open = false;
  for (const auto& event : test["breaker_events"]) {
    if (event["to"] == "open") opened = true;
    if (opened && event["from"] == "half-open" && event["to"] == "closed") closed_after_open = true;
  }
  EXPECT_TRUE(opened) << test["breaker_events"];
  EXPECT_TRUE(closed_after_open) << test["breaker_events"];
  EXPECT_EQ(test["breaker_events"].back()["to"], "closed");
}

bool has_error_code(const nlohmann::json& test, int code) {
  for (const auto& error : test["errors"]) {
    if (error["code"] == code) return true;
  }
  return false;
}

TEST_F(FaultInjection, ServerKilledAndRestartedOnTheSamePort) {
  std::string report = temp_path("kill.json");
  auto soak = start_soak(report, 8);
  std::this_thread::sleep_for(2s);
  ASSERT_EQ(::kill(server_pid(), SIGKILL), 0);
  std::this_thread::sleep_for(2500ms);
  RigRun restart = run_rig({"sandbox", "restart", *directory_});
  ASSERT_EQ(restart.exit_code, 0) << restart.out << restart.err;

  RigRun r = soak.get();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  nlohmann::json test = read_json(report)["tests"][0];
  expect_survived_outage(test);
  // While it was down, calls failed fast at the open circuit.
  EXPECT_TRUE(has_error_code(test, 50001)) << test["errors"];
  EXPECT_NE(r.err.find("closed -> open"), std::string::npos) << r.err;  // logged
}

TEST_F(FaultInjection, ServerStoppedThenContinuedRecoversFromReadTimeouts) {
  std::string report = temp_path("stop.json");
  auto soak = start_soak(report, 7, {"--read-timeout", "1", "--write-timeout", "1"});
  std::this_thread::sleep_for(1500ms);
  pid_t pid = server_pid();
  ASSERT_EQ(::kill(pid, SIGSTOP), 0);
  std::this_thread::sleep_for(3s);
  ASSERT_EQ(::kill(pid, SIGCONT), 0);

  RigRun r = soak.get();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  nlohmann::json test = read_json(report)["tests"][0];
  expect_survived_outage(test);
  EXPECT_TRUE(has_error_code(test, 2013)) << test["errors"];  // the read timeouts
}

// Load at 8 threads through a server kill and restart: the workers'
// sessions are reopened once the server is back, throughput returns, and
// the table check runs on a fresh session (issue 16).
TEST_F(FaultInjection, LoadRecoversFromAServerRestart) {
  const std::string report = temp_path("load-kill.json");
  auto load = std::async(std::launch::async, [&] {
    return run_rig({"--config",
                    config(),
                    "--report-json",
                    report,
                    "--retry-max-attempts",
                    "80",
                    "--retry-base-delay-ms",
                    "50",
                    "--retry-max-delay-ms",
                    "400",
                    "--connect-timeout",
                    "1",
                    "--breaker-recovery-timeout-ms",
                    "500",
                    "run",
                    "load/read_write",
                    "--load.threads",
                    "8",
                    "--load.time",
                    "10",
                    "--load.table-size",
                    "1000"});
  });
  std::this_thread::sleep_for(3s);
  ASSERT_EQ(::kill(server_pid(), SIGKILL), 0);
  std::this_thread::sleep_for(2500ms);
  RigRun restart = run_rig({"sandbox", "restart", *directory_});
  ASSERT_EQ(restart.exit_code, 0) << restart.out << restart.err;

  RigRun r = load.get();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json document = read_json(report);
  const nlohmann::json& test = document["tests"][0];
  EXPECT_EQ(test["status"], "passed") << test["message"];
  const nlohmann::json& details = test["details"]["load"];
  const auto& events = details["events"];
  EXPECT_EQ(events["succeeded"].get<int64_t>() + events["failed"].get<int64_t>() +
                events["ignored"].get<int64_t>() + events["indeterminate"].get<int64_t>(),
            events["attempted"].get<int64_t>());
  EXPECT_GT(test["reconnects"].get<int64_t>(), 0);
  EXPECT_EQ(test["breaker_events"].back()["to"], "closed") << test["breaker_events"];
  // Throughput came back: the last interval ran events again.
  EXPECT_GT(details["intervals"].back()["tps"].get<double>(), 0) << details["intervals"];
}

// A server killed and left down is given up on after
// circuit_breaker.give_up_s: the load ends as an error, not at its event
// count or its state timeout, and its accounting is written.
TEST_F(FaultInjection, ADeadServerIsGivenUpOnAndTheAccountingWritten) {
  // The load's accounting is details.load.events, the soak's
  // details.operations: the same four counts but "ignored".
  const std::vector<std::pair<std::vector<std::string>, std::string>> runs = {
      {{"load/read_write", "--load.threads", "4", "--load.events", "1000000000",
        "--load.table-size", "1000"},
       "load"},
      {{"txn/soak", "--txn.soak-seconds", "600", "--retry-max-attempts", "1000"}, "operations"}};
  for (const auto& [words, accounting] : runs) {
    SCOPED_TRACE(words.front());
    const std::string report = temp_path("dead.json");
    std::vector<std::string> args = {"--config",
                                     config(),
                                     "--report-json",
                                     report,
                                     "--connect-timeout",
                                     "1",
                                     "--breaker-give-up-s",
                                     "3",
                                     "run"};
    args.insert(args.end(), words.begin(), words.end());
    auto run = std::async(std::launch::async, [&] { return run_rig(args); });
    std::this_thread::sleep_for(2s);
    ASSERT_EQ(::kill(server_pid(), SIGKILL), 0);
    RigRun r = run.get();
    RigRun restart = run_rig({"sandbox", "restart", *directory_});
    ASSERT_EQ(restart.exit_code, 0) << restart.out << restart.err;

    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    const nlohmann::json document = read_json(report);
    const nlohmann::json& test = document["tests"][0];
    EXPECT_EQ(test["status"], "error");
    EXPECT_NE(test["message"].get<std::string>().find("gave up on"), std::string::npos)
        << test["message"];
    EXPECT_TRUE(has_error_code(test, 50002)) << test["errors"];
    ASSERT_TRUE(test["details"].contains(accounting)) << test;
    const nlohmann::json& details = test["details"][accounting];
    const auto& counts = details.contains("events") ? details["events"] : details;
    EXPECT_GT(counts["succeeded"].get<int64_t>(), 0);
    EXPECT_EQ(counts["succeeded"].get<int64_t>() + counts["failed"].get<int64_t>() +
                  counts.value("ignored", int64_t{0}) + counts["indeterminate"].get<int64_t>(),
              counts["attempted"].get<int64_t>())
        << counts;
  }
}

TEST_F(FaultInjection, WrongPasswordFailsFastWithoutRetries) {
  std::string report = temp_path("auth.json");
  auto started = std::chrono::steady_clock::now();
  RigRun r = run_rig({"--config", config(), "--report-json", report, "--retry-max-attempts", "80",
                      "run", "txn/soak"},
                     {{{"TIDB_PASSWORD", "not-the-password"}}});
  auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_LT(elapsed, 5s);
  nlohmann::json test = read_json(report)["tests"][0];
  EXPECT_EQ(test["status"], "error");
  EXPECT_NE(test["message"].get<std::string>().find("authentication failed"), std::string::npos)
      << test["message"];
  EXPECT_EQ(test["retries"], 0);
  EXPECT_EQ(test["reconnects"], 0);
  ASSERT_EQ(test["errors"].size(), 1u) << test["errors"];
  EXPECT_EQ(test["errors"][0]["code"], 1045);
  EXPECT_EQ(test["errors"][0]["retry"], "permanent");
  EXPECT_TRUE(test["breaker_events"].empty());
}

// Every suite through a server fault in the middle of what it checks: the
// run finishes within its retry budget, recovers and passes or ends as an
// error (exit 3), and never as a failed property -- a lost connection is no
// evidence about the database (issue 16).
enum class Fault { kKillAndRestart, kStopFiveSeconds };

struct SuiteFault {
  const char* name;
  std::vector<std::string> run;  // what follows `run`
  // Strikes once this statement, polled as root, answers other than 0.
  const char* strike_when;
  // --read-timeout and --write-timeout: longer than the lock waits the
  // test itself proves, else the waits read as a stalled server.
  const char* io_timeout = "1";
};

// An UPDATE of a txn table running for 200 ms waits for a row lock.
// (INNODB_TRX would say so directly, but polling keeps it from refreshing.)
constexpr const char* kLockWait =
    "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'UPDATE txn%' AND "
    "TIME_MS > 200";
constexpr const char* kBusySessions =
    "SELECT COUNT(*) >= 3 FROM information_schema.PROCESSLIST WHERE USER = 'rig'";

const SuiteFault kSuiteFaults[] = {
    {"select_for_update", {"txn/select-for-update", "--txn.hold-ms", "1500"}, kLockWait, "3"},
    {"select_for_share", {"txn/select-for-share", "--txn.hold-ms", "1500"}, kLockWait, "3"},
    {"lock_wait_timeout",
     {"txn/lock-wait-timeout", "--txn.lock-wait-timeout", "2"},
     kLockWait,
     "4"},
    {"soak", {"txn/soak", "--txn.soak-seconds", "6"}, kBusySessions},
    {"ddl_online",
     {"ddl/online", "--ddl.load-ms", "4000"},
     "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'ALTER TABLE%'"},
    {"import_csv",
     {"import/csv", "--import.rows", "400000"},
     "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'LOAD DATA%'"},
    {"isolation", {"isolation"}, kBusySessions},
    {"load_read_write",
     {"load/read_write", "--load.threads", "8", "--load.time", "8", "--load.table-size", "1000"},
     "SELECT COUNT(*) >= 9 FROM information_schema.PROCESSLIST WHERE USER = 'rig'"},
};

class SuiteFaults : public FaultInjection,
                    public ::testing::WithParamInterface<std::tuple<SuiteFault, Fault>> {};

TEST_P(SuiteFaults, EndInAPassOrAnErrorNeverAFailure) {
  const auto& [suite, fault] = GetParam();
  const std::string report = temp_path("suite-fault.json");
  std::vector<std::string> args = {"--config",
                                   config(),
                                   "--report-json",
                                   report,
                                   "--retry-max-attempts",
                                   "80",
                                   "--retry-base-delay-ms",
                                   "50",
                                   "--retry-max-delay-ms",
                                   "400",
                                   "--connect-timeout",
                                   "1",
                                   "--breaker-recovery-timeout-ms",
                                   "500",
                                   "--read-timeout",
                                   "1",
                                   "--write-timeout",
                                   "1",
                                   "run"};
  args.insert(args.end(), suite.run.begin(), suite.run.end());
  const auto started = std::chrono::steady_clock::now();
  auto run = std::async(std::launch::async, [&] { return run_rig(args); });

  bool struck = false;
  while (!struck && run.wait_for(20ms) == std::future_status::timeout) {
    const std::string answer = sandbox_sql(suite.strike_when, *directory_);
    struck = !answer.empty() && answer != "0\n";
  }
  ASSERT_TRUE(struck) << "the run ended before the moment to strike: " << run.get().out;
  const pid_t server = server_pid();
  if (fault == Fault::kKillAndRestart) {
    ASSERT_EQ(::kill(server, SIGKILL), 0);
    std::this_thread::sleep_for(2500ms);
    RigRun restart = run_rig({"sandbox", "restart", *directory_});
    ASSERT_EQ(restart.exit_code, 0) << restart.out << restart.err;
  } else {
    ASSERT_EQ(::kill(server, SIGSTOP), 0);
    std::this_thread::sleep_for(5s);
    ASSERT_EQ(::kill(server, SIGCONT), 0);
  }
  RigRun r = run.get();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 120s) << "beyond the retry budget";
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.exit_code << "\n" << r.out << r.err;
  const nlohmann::json document = read_json(report);
  ASSERT_FALSE(document["tests"].empty()) << r.out;
  for (const auto& test : document["tests"]) {
    EXPECT_NE(test["status"], "failed") << test["name"] << ": " << test["message"];
    EXPECT_NE(test["status"], "crashed") << test["name"] << ": " << test["message"];
    if (test["details"].contains("load")) {
      const auto& events = test["details"]["load"]["events"];
      EXPECT_EQ(events["succeeded"].get<int64_t>() + events["failed"].get<int64_t>() +
                    events["ignored"].get<int64_t>() + events["indeterminate"].get<int64_t>(),
                events["attempted"].get<int64_t>())
          << events;
    }
    if (test["details"].contains("operations")) {
      const auto& ops = test["details"]["operations"];
      EXPECT_EQ(ops["succeeded"].get<int64_t>() + ops["failed"].get<int64_t>() +
                    ops["indeterminate"].get<int64_t>(),
                ops["attempted"].get<int64_t>())
          << ops;
    }
  }
  // The load's accounting is written however its run ended.
  if (suite.run.front() == "load/read_write") {
    EXPECT_TRUE(document["tests"][0]["details"].contains("load")) << document["tests"][0];
  }
}

INSTANTIATE_TEST_SUITE_P(EverySuite, SuiteFaults,
                         ::testing::Combine(::testing::ValuesIn(kSuiteFaults),
                                            ::testing::Values(Fault::kKillAndRestart,
                                                              Fault::kStopFiveSeconds)),
                         [](const ::testing::TestParamInfo<std::tuple<SuiteFault, Fault>>& info) {
                           return std::string(std::get<0>(info.param).name) +
                                  (std::get<1>(info.param) == Fault::kKillAndRestart ? "_killed"
                                                                                     : "_stopped");
                         });

}  // namespace
}  // namespace rig::testing
