// Fault injection against a sandbox of the test's own: the server is killed
// and restarted, or stopped and continued, in the middle of a
// multi-session txn/soak run. The run must complete, classify what it saw,
// count retries and reconnects, open and close the circuit breaker, and
// account for every transaction. A wrong password fails fast instead.
#include <gtest/gtest.h>
#include <signal.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <thread>

#include "tests/integration/held_session.h"
#include "tests/integration/lossy_link.h"
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
    // `sandbox stop` removes the server's log with its directory; a failed
    // test's kept files get a copy.
    std::error_code ignored;
    std::filesystem::copy_file(*directory_ + "/error.log", temp_path("server-error.log"), ignored);
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

  // The arguments of a run whose retry budget outlasts a few seconds of
  // outage: `before_run` (more options), then `run` and `words`.
  static std::vector<std::string> outlasting(const std::string& report,
                                             const std::vector<std::string>& words,
                                             const std::vector<std::string>& before_run = {}) {
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
                                     "500"};
    args.insert(args.end(), before_run.begin(), before_run.end());
    args.push_back("run");
    args.insert(args.end(), words.begin(), words.end());
    return args;
  }

  static std::future<RigRun> start(std::vector<std::string> args, RigOptions options = {}) {
    return std::async(std::launch::async, [args = std::move(args), options = std::move(options)] {
      return run_rig(args, options);
    });
  }

  // Starts txn/soak for `seconds`; `extra` adds flags.
  static std::future<RigRun> start_soak(const std::string& report, int seconds,
                                        const std::vector<std::string>& extra = {}) {
    return start(
        outlasting(report, {"txn/soak", "--txn.soak-seconds", std::to_string(seconds)}, extra));
  }

  // What the server answers, as root, to a statement of one number.
  static int64_t server_number(const std::string& sql) {
    const std::string answer = sandbox_sql(sql, *directory_);
    return answer.empty() || !std::isdigit(static_cast<unsigned char>(answer[0]))
               ? 0
               : std::stoll(answer);
  }
  static int64_t commits() {
    return server_number(
        "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = "
        "'COM_COMMIT'");
  }

  // Waits until the run has committed 100 transactions: it is under way.
  static bool wait_for_commits(std::future<RigRun>& run) {
    const int64_t before = commits();
    return wait_until([before] { return commits() >= before + 100; }, run);
  }

  // Kills the server and restarts it on the same port 2.5 s later. (The
  // sleep is the outage's length, the shape of the fault, not a wait for
  // anything to happen.)
  static void kill_and_restart() {
    ASSERT_EQ(::kill(server_pid(), SIGKILL), 0);
    std::this_thread::sleep_for(2500ms);
    RigRun restart = run_rig({"sandbox", "restart", *directory_});
    ASSERT_EQ(restart.exit_code, 0) << restart.out << restart.err;
  }

  static std::string* directory_;
};

std::string* FaultInjection::directory_ = nullptr;

// Every operation attempted ended one way: `counts` is details.load.events
// or details.operations (which has no "ignored").
void expect_accounted(const nlohmann::json& counts) {
  EXPECT_EQ(counts["succeeded"].get<int64_t>() + counts["failed"].get<int64_t>() +
                counts.value("ignored", int64_t{0}) + counts["indeterminate"].get<int64_t>(),
            counts["attempted"].get<int64_t>())
      << counts;
}

// The checks both outages share: the run passed, every transaction is
// accounted for, errors were transient connection errors, retries and
// reconnects were counted, and the breaker opened and closed again.
void expect_survived_outage(const nlohmann::json& test) {
  EXPECT_EQ(test["status"], "passed") << test["message"];
  const auto& ops = test["details"]["operations"];
  EXPECT_GT(ops["attempted"].get<int64_t>(), 0);
  expect_accounted(ops);
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
  ASSERT_TRUE(wait_for_commits(soak)) << soak.get().out;
  ASSERT_NO_FATAL_FAILURE(kill_and_restart());

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
  ASSERT_TRUE(wait_for_commits(soak)) << soak.get().out;
  pid_t pid = server_pid();
  ASSERT_EQ(::kill(pid, SIGSTOP), 0);
  std::this_thread::sleep_for(3s);  // the stall's length
  ASSERT_EQ(::kill(pid, SIGCONT), 0);

  RigRun r = soak.get();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  nlohmann::json test = read_json(report)["tests"][0];
  expect_survived_outage(test);
  EXPECT_TRUE(has_error_code(test, 2013)) << test["errors"];  // the read timeouts
}

// A test that starts while the server is down waits for it: opening its
// first session is retried under [retry] as a transaction would be.
TEST_F(FaultInjection, ATestStartedWhileTheServerIsDownWaitsForIt) {
  ASSERT_EQ(::kill(server_pid(), SIGKILL), 0);
  std::string report = temp_path("down.json");
  std::promise<std::string> stderr_path;
  RigOptions options;
  options.started = [&](const std::string& path) { stderr_path.set_value(path); };
  auto soak = start(outlasting(report, {"txn/soak", "--txn.soak-seconds", "2"}), options);
  // The outage lasts until the test has been refused and says it waits.
  const std::string err = stderr_path.get_future().get();
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (read_file(err).find("is waiting for the server") == std::string::npos) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << read_file(err);
    ASSERT_EQ(soak.wait_for(20ms), std::future_status::timeout) << soak.get().out;
  }
  RigRun restart = run_rig({"sandbox", "restart", *directory_});
  ASSERT_EQ(restart.exit_code, 0) << restart.out << restart.err;

  RigRun r = soak.get();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  nlohmann::json test = read_json(report)["tests"][0];
  EXPECT_EQ(test["status"], "passed") << test["message"];
  EXPECT_GT(test["retries"].get<int64_t>(), 0);
  EXPECT_TRUE(has_error_code(test, 2002)) << test["errors"];  // refused while down
}

// Load at 8 threads through a server kill and restart: the workers'
// sessions are reopened once the server is back, throughput returns, and
// the table check runs on a fresh session (issue 16).
TEST_F(FaultInjection, LoadRecoversFromAServerRestart) {
  const std::string report = temp_path("load-kill.json");
  auto load = start(outlasting(report, {"load/read_write", "--load.threads", "8", "--load.time",
                                        "10", "--load.table-size", "1000"}));
  ASSERT_TRUE(wait_for_commits(load)) << load.get().out;
  ASSERT_NO_FATAL_FAILURE(kill_and_restart());

  RigRun r = load.get();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json document = read_json(report);
  const nlohmann::json& test = document["tests"][0];
  EXPECT_EQ(test["status"], "passed") << test["message"];
  const nlohmann::json& details = test["details"]["load"];
  expect_accounted(details["events"]);
  EXPECT_GT(test["reconnects"].get<int64_t>(), 0);
  EXPECT_EQ(test["breaker_events"].back()["to"], "closed") << test["breaker_events"];
  // Throughput came back: the last interval ran events again.
  const nlohmann::json& intervals = test["details"]["metrics"]["intervals"];
  EXPECT_GT(intervals["counters"]["events.succeeded"].back().get<int64_t>(), 0) << intervals;
}

// A server killed and left down is given up on after
// circuit_breaker.give_up_s: the load ends as an error, not at its event
// count or its state timeout, and its accounting is written.
TEST_F(FaultInjection, ADeadServerIsGivenUpOnAndTheAccountingWritten) {
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
    auto run = start(args);
    ASSERT_TRUE(wait_for_commits(run)) << run.get().out;
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
    expect_accounted(counts);
  }
}

// A connection lost while a result's rows arrive is an error of that
// query, never a shorter result: before the host asked Connector/C for the
// error at once, the lost rows read as a complete, empty result, and
// txn/soak under the nemesis failed with "15505 row(s) disagree with the
// ledger" when its check's SELECT was cut off by a kill.
TEST_F(FaultInjection, AResultCutOffByALostConnectionIsAnErrorNotFewerRows) {
  std::string report = temp_path("cut-off.json");
  RigRun r = run_rig({"--config", config(), "--plugin-dir", TEST_PLUGIN_DIR, "--report-json",
                      report, "run", "misbehaving/result_cut_off"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  nlohmann::json test = read_json(report)["tests"][0];
  EXPECT_EQ(test["status"], "passed") << test["message"];
  // 2013: lost connection to the server during the query.
  EXPECT_EQ(test["records"]["error_code"], "2013") << test["records"];
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

// A connection lost while load/read_write fills its tables -- here a
// statement past --read-timeout while the server stalls, as a busy machine
// can make one -- prepares again from the start: the run passes, and the
// half-filled table, which carries this run's own mark, is made again, not
// refused as a stranger's or reused half full.
TEST_F(FaultInjection, LoadPreparesAgainAfterAConnectionLostWhileFillingItsTables) {
  const std::string report = temp_path("prepare-fault.json");
  auto run = start(outlasting(
      report,
      {"load/read_write", "--load.threads", "2", "--load.time", "2", "--load.table-size", "300000"},
      {"--read-timeout", "1", "--write-timeout", "1"}));
  const bool filling = wait_until(
      [] {
        return server_number(
                   "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO "
                   "LIKE 'INSERT INTO `sbtest1`%'") != 0;
      },
      run);
  ASSERT_TRUE(filling) << "the run ended before it filled its table: " << run.get().out;
  const pid_t server = server_pid();
  ASSERT_EQ(::kill(server, SIGSTOP), 0);
  std::this_thread::sleep_for(3s);  // the stall's length
  ASSERT_EQ(::kill(server, SIGCONT), 0);
  RigRun r = run.get();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json test = read_json(report)["tests"][0];
  EXPECT_EQ(test["status"], "passed") << test["message"];
  EXPECT_GT(test["retries"].get<int64_t>(), 0);
  EXPECT_GT(test["reconnects"].get<int64_t>(), 0);
  EXPECT_EQ(test["records"]["tables_created"], "1") << test["records"];
  EXPECT_EQ(server_number("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_NAME = "
                          "'sbtest1'"),
            0)
      << "the run's cleanup drops the table it made";
}

// A connection lost while the run drops its tables (a nemesis's kill as
// the run ends, once in a proof run) is reopened and the drop retried. A
// session of the test's own holds a read on the table, so the cleanup's
// DROP waits past --read-timeout (2013); once the DROP came again on a new
// connection, the session lets go; the run passes and its table is gone.
TEST_F(FaultInjection, ACleanupThatLosesItsConnectionDropsItsTablesOnARetry) {
  const std::string report = temp_path("cleanup-fault.json");
  auto run = start(outlasting(
      report,
      {"load/read_write", "--load.threads", "2", "--load.time", "3", "--load.table-size", "1000"},
      {"--read-timeout", "1"}));
  ASSERT_TRUE(wait_for_commits(run)) << "the run ended before it ran: " << run.get().out;
  EXPECT_TRUE(hold_until_the_drop_is_retried("sbtest1", "rig_test", run, *directory_))
      << "the cleanup's DROP did not wait on the test's read, or was not retried";
  RigRun r = run.get();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json test = read_json(report)["tests"][0];
  EXPECT_EQ(test["status"], "passed") << test["message"];
  EXPECT_GT(test["retries"].get<int64_t>(), 0) << test["errors"];
  EXPECT_TRUE(has_error_code(test, 2013)) << test["errors"];
  EXPECT_EQ(server_number("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_NAME = "
                          "'sbtest1'"),
            0)
      << "the run's cleanup drops the table it made";
}

// A DROP whose answer a network partition took has run, and the table of
// that name made since is not the run's: the retried cleanup must leave it.
// The test's session holds a read on sbtest1, so the cleanup's DROP waits;
// the link to the server is partitioned, the read let go, the DROP runs
// and its answer is lost; a table of the user's takes the name; then the
// link heals, and the cleanup comes back on a new connection. (The DROP's
// 3 s read timeout only has to outlast the step from seeing it wait to
// the partition.)
TEST_F(FaultInjection, ACleanupRetriedAfterALostAnswerLeavesATableMadeUnderItsNameSince) {
  LossyLink link(static_cast<int>(server_number("SELECT @@port")));
  const std::string report = temp_path("cleanup-lost-answer.json");
  auto run = start(outlasting(
      report,
      {"load/read_write", "--load.threads", "2", "--load.time", "3", "--load.table-size", "1000"},
      {"--host", "127.0.0.1:" + std::to_string(link.port()), "--read-timeout", "3"}));
  ASSERT_TRUE(wait_for_commits(run)) << "the run ended before it ran: " << run.get().out;
  const std::string drop = "DROP TABLE IF EXISTS `sbtest1`";
  HeldSession hold("rig_test", *directory_);
  hold.send("BEGIN; SELECT 1 FROM sbtest1 LIMIT 1;");
  const bool drop_waits = wait_until(
      [&] { return !sessions_waiting_for_lock(drop, "rig_test", *directory_).empty(); }, run);
  link.partition();
  hold.send("COMMIT;");
  ASSERT_TRUE(drop_waits) << "the cleanup's DROP never waited for the test's read: "
                          << run.get().err;
  ASSERT_TRUE(wait_until(
      [] {
        return server_number(
                   "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                   "'rig_test' AND TABLE_NAME = 'sbtest1'") == 0;
      },
      run))
      << "the DROP did not run, or the run ended first";
  sandbox_sql(
      "CREATE TABLE sbtest1 (id INT PRIMARY KEY) COMMENT 'the user''s'; "
      "INSERT INTO sbtest1 VALUES (7)",
      *directory_);
  link.heal();
  RigRun r = run.get();
  const std::string users_rows = sandbox_sql("SELECT id FROM sbtest1", *directory_);
  sandbox_sql("DROP TABLE IF EXISTS sbtest1", *directory_);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json test = read_json(report)["tests"][0];
  EXPECT_EQ(test["status"], "passed") << test["message"];
  EXPECT_TRUE(has_error_code(test, 2013)) << test["errors"];
  EXPECT_EQ(users_rows, "7\n") << "the retried cleanup dropped a table the run did not make";
  EXPECT_NE((r.out + r.err).find("left sbtest1 as it is"), std::string::npos) << r.out << r.err;
}

// Every suite through a server fault in the middle of what it checks: the
// run finishes within its retry budget, recovers and passes or ends as an
// error (exit 3), and never as a failed property -- a lost connection is no
// evidence about the database (issue 16).
enum class Fault { kKillAndRestart, kStopFiveSeconds };

struct SuiteFault {
  const char* name;
  std::vector<std::string> run;  // what follows `run`
  // Strikes once this statement of one number, polled as root, answers
  // other than 0.
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
    // Transactions cut off by the fault are fail (before COMMIT) or info
    // (around it), and the history is checked all the same.
    {"consistency",
     {"consistency/list-append", "--consistency.time", "8", "--consistency.model",
      "read-committed"},
     "SELECT COUNT(*) >= 9 FROM information_schema.PROCESSLIST WHERE USER = 'rig'"},
};

class SuiteFaults : public FaultInjection,
                    public ::testing::WithParamInterface<std::tuple<SuiteFault, Fault>> {};

TEST_P(SuiteFaults, EndInAPassOrAnErrorNeverAFailure) {
  const auto& [suite, fault] = GetParam();
  const std::string report = temp_path("suite-fault.json");
  const auto started = std::chrono::steady_clock::now();
  auto run =
      start(outlasting(report, suite.run,
                       {"--read-timeout", suite.io_timeout, "--write-timeout", suite.io_timeout}));
  const bool struck = wait_until([&] { return server_number(suite.strike_when) != 0; }, run);
  ASSERT_TRUE(struck) << "the run ended before the moment to strike: " << run.get().out;
  if (fault == Fault::kKillAndRestart) {
    ASSERT_NO_FATAL_FAILURE(kill_and_restart());
  } else {
    const pid_t server = server_pid();
    ASSERT_EQ(::kill(server, SIGSTOP), 0);
    std::this_thread::sleep_for(5s);  // the stall's length
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
    // A test that errored before it recorded anything has no details.
    const nlohmann::json details = test.value("details", nlohmann::json::object());
    if (details.contains("load")) expect_accounted(details["load"]["events"]);
    if (details.contains("operations")) expect_accounted(details["operations"]);
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
