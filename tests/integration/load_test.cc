// The load plugin against the sandbox: every workload runs briefly, its
// events add up and the tables are consistent afterwards; prepared
// statements, --load.events, --load.rate, the dry run, CSV and histogram
// output, and 512 sessions at once.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>

#include "tests/integration/rig_process.h"

namespace rig::testing {
namespace {

struct LoadRun {
  RigRun process;
  nlohmann::json test;       // the test's entry in the JSON report
  nlohmann::json load;       // its details.load
  nlohmann::json intervals;  // its details.metrics.intervals, by column
};

// Tables named after the running test, so that tests running in parallel
// against the one sandbox never share them.
std::string table_prefix() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  // A hash keeps the name within MySQL's 64 characters.
  return "lt" + std::to_string(std::hash<std::string>()(info->name()) % 100000000) + "_";
}

LoadRun run_load(const std::string& test, std::vector<std::string> options,
                 std::vector<std::string> before = {"--config", sandbox_config()}) {
  std::string report = temp_path("load.json");
  std::vector<std::string> args = before;
  args.insert(args.end(),
              {"--report-json", report, "run", test, "--load.table-prefix", table_prefix()});
  args.insert(args.end(), options.begin(), options.end());
  LoadRun run{run_rig(args), {}, {}, {}};
  nlohmann::json document = read_json(report);
  run.test = document["tests"][0];
  run.load = run.test["details"]["load"];
  run.intervals = run.test["details"]["metrics"]["intervals"];
  return run;
}

// The client's CPU as the run reports it: the per-query and per-event
// figures and the busy CPUs are derived from the same user and system time.
void expect_client_cpu_consistent(const nlohmann::json& load) {
  const auto& cpu = load["client_cpu"];
  const double total = cpu["user_s"].get<double>() + cpu["system_s"].get<double>();
  EXPECT_GT(total, 0) << cpu;
  EXPECT_NEAR(cpu["busy_cpus"].get<double>(), total / load["seconds"].get<double>(), 1e-9) << cpu;
  EXPECT_GE(cpu["cpus"].get<int>(), 1) << cpu;
  EXPECT_NEAR(cpu["us_per_event"].get<double>(),
              total * 1e6 / load["events"]["attempted"].get<double>(), 1e-6)
      << cpu;
  const double queries = load["queries"]["total"].get<double>();
  if (queries > 0) {
    EXPECT_NEAR(cpu["us_per_query"].get<double>(), total * 1e6 / queries, 1e-6) << cpu;
  } else {
    EXPECT_TRUE(cpu["us_per_query"].is_null()) << cpu;
  }
}

void expect_accounted(const nlohmann::json& load) {
  const auto& e = load["events"];
  EXPECT_GT(e["attempted"].get<int64_t>(), 0) << load;
  EXPECT_EQ(e["succeeded"].get<int64_t>() + e["failed"].get<int64_t>() +
                e["ignored"].get<int64_t>() + e["indeterminate"].get<int64_t>(),
            e["attempted"].get<int64_t>())
      << e;
}

class Workloads : public ::testing::TestWithParam<std::pair<const char*, bool>> {};

TEST_P(Workloads, RunBrieflyAddUpAndLeaveConsistentTables) {
  auto [workload, prepared] = GetParam();
  std::vector<std::string> options = {
      "--load.threads",         "2",  "--load.time", "0.6", "--load.table-size", "500",
      "--load.report-interval", "0.2"};
  if (prepared) options.push_back("--load.prepared");
  LoadRun r = run_load(std::string("load/") + workload, options);
  EXPECT_EQ(r.process.exit_code, 0) << r.process.out << r.process.err;
  EXPECT_EQ(r.test["status"], "passed") << r.test["message"];
  EXPECT_EQ(r.test["states"], nlohmann::json({"prepare", "run", "cleanup", "completed"}));
  expect_accounted(r.load);
  EXPECT_EQ(r.load["workload"], workload);
  EXPECT_EQ(r.load["prepared"], prepared);
  const auto& q = r.load["queries"];
  const int64_t events = r.load["events"]["succeeded"];
  EXPECT_GT(events, 0);
  const std::string w = workload;
  if (w == "point_select") {
    EXPECT_EQ(q["read"], events);
  }
  if (w == "read_only") {
    EXPECT_EQ(q["read"].get<int64_t>(), 14 * events);  // 10 point + 4 range selects
    EXPECT_EQ(q["other"].get<int64_t>(), 2 * events);  // BEGIN, COMMIT
    EXPECT_EQ(q["write"], 0);
  }
  if (w == "write_only") {
    // A deadlock's retry runs the event's writes again: only the attempts
    // that succeeded did what `events` says.
    EXPECT_EQ(q["write"].get<int64_t>() - q["in_failed_attempts"]["write"].get<int64_t>(),
              4 * events);
  }
  if (w == "update_non_index" || w == "delete") {
    EXPECT_EQ(q["write"], events);
    EXPECT_EQ(q["other"], 0);  // autocommit: no BEGIN, no COMMIT
  }
  if (w == "delete") {
    // Each committed delete removed at most one row (the plugin checks it too).
    const int64_t rows = std::stoll(r.test["records"]["rows_after"].get<std::string>());
    EXPECT_LE(rows, 500);
    EXPECT_GE(rows, 500 - events);
  }
  if (w == "insert") {
    // The table grew by exactly the committed inserts (the plugin checks it too).
    EXPECT_EQ(std::stoll(r.test["records"]["rows_after"].get<std::string>()), 500 + events);
  }
  EXPECT_GE(r.intervals["seconds"].size(), 2u);  // progress lines every 0.2 s
  EXPECT_GT(r.load["latency"]["p99_ms"].get<double>(), 0);
  EXPECT_LE(r.load["latency"]["p50_ms"].get<double>(), r.load["latency"]["max_ms"].get<double>());
  EXPECT_NE(r.process.err.find("tps:"), std::string::npos);  // the progress lines
  expect_client_cpu_consistent(r.load);
  EXPECT_NE(r.test["summary_text"].get<std::string>().find(" us per query, "), std::string::npos)
      << r.test["summary_text"];
}

INSTANTIATE_TEST_SUITE_P(
    Load, Workloads,
    ::testing::Values(std::pair{"point_select", false}, std::pair{"read_only", false},
                      std::pair{"read_write", false}, std::pair{"write_only", false},
                      std::pair{"insert", false}, std::pair{"update_index", false},
                      std::pair{"update_non_index", false}, std::pair{"delete", true},
                      std::pair{"point_select", true}, std::pair{"read_write", true},
                      std::pair{"update_index", true}),
    [](const auto& info) {
      return std::string(info.param.first) + (info.param.second ? "_prepared" : "_text");
    });

// A table prefix is an identifier, never SQL: one that would reach the
// user's `accounts` table or another database is a usage error before
// any test runs, and the decoy keeps its rows.
TEST(Load, ATablePrefixThatIsSqlIsRefusedAndTouchesNothing) {
  const std::string decoy = "accounts_" + std::to_string(::getpid());
  ASSERT_EQ(sandbox_sql("CREATE TABLE " + decoy + " (v INT); INSERT INTO " + decoy + " VALUES (7)"),
            "");
  for (const std::string& prefix : {decoy + ", sbtest", std::string("mysql.sbtest")}) {
    std::string json = temp_path("r.json");
    RigRun r =
        run_rig({"--config", sandbox_config(), "run", "load/point_select", "--load.table-prefix",
                 prefix, "--load.time", "0.2", "--report-json", json});
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("load/point_select: --load.table-prefix '" + prefix +
                         "' is not a table name prefix"),
              std::string::npos)
        << r.err;
    EXPECT_FALSE(std::filesystem::exists(json)) << "a test ran: " << r.out;
  }
  EXPECT_EQ(sandbox_sql("SELECT v FROM " + decoy), "7\n");
  EXPECT_EQ(sandbox_sql("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_NAME LIKE "
                        "'%sbtest%' AND TABLE_SCHEMA = 'mysql'"),
            "0\n");
  sandbox_sql("DROP TABLE " + decoy);
}

TEST(Load, SysbenchsEventOptionsAndDefaultDistributionShapeTheRun) {
  // One thread: without transactions, two threads deleting and inserting the
  // same id can collide on the insert (1062), as they would in sysbench.
  LoadRun r = run_load("load/read_write",
                       {"--load.time", "0.5", "--load.table-size", "300", "--load.point-selects",
                        "3", "--load.range-selects=false", "--load.index-updates", "2",
                        "--load.non-index-updates", "0", "--load.delete-inserts", "2",
                        "--load.skip-trx", "--load.prepared", "--load.rand-type", "special"});
  EXPECT_EQ(r.process.exit_code, 0) << r.process.out << r.process.err;
  EXPECT_EQ(r.test["status"], "passed") << r.test["message"];
  expect_accounted(r.load);
  const int64_t events = r.load["events"]["succeeded"];
  EXPECT_GT(events, 0);
  const auto& q = r.load["queries"];
  EXPECT_EQ(q["read"].get<int64_t>(), 3 * events) << q;
  EXPECT_EQ(q["write"].get<int64_t>(), (2 + 2 * 2) * events) << q;
  EXPECT_EQ(q["other"].get<int64_t>(), 0) << q;  // no BEGIN, no COMMIT
  std::vector<std::string> statements;
  for (const auto& [name, latency] : r.load["statements"].items()) statements.push_back(name);
  EXPECT_EQ(statements,
            (std::vector<std::string>{"delete", "index_update", "insert", "point_select"}));
  // The table check ran and found the row count unchanged.
  EXPECT_EQ(r.test["records"]["rows_after"], "300");
}

TEST(Load, EventsBudgetIsExact) {
  LoadRun r = run_load("load/update_index", {"--load.threads", "3", "--load.time", "0",
                                             "--load.events", "500", "--load.table-size", "200"});
  EXPECT_EQ(r.process.exit_code, 0) << r.process.out << r.process.err;
  EXPECT_EQ(r.load["events"]["attempted"], 500);
  expect_accounted(r.load);
}

TEST(Load, WarmUpRunsFirstAndIsNotCounted) {
  const auto began = std::chrono::steady_clock::now();
  LoadRun r = run_load("load/point_select",
                       {"--load.threads", "2", "--load.warmup", "0.6", "--load.time", "0.6",
                        "--load.table-size", "200", "--load.report-interval", "0.2"});
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - began;
  EXPECT_EQ(r.process.exit_code, 0) << r.process.out << r.process.err;
  EXPECT_NE(r.process.err.find("warming up for 0.6 s"), std::string::npos) << r.process.err;
  // The measured window is the run alone: the process lasted the warm-up
  // besides. (No upper bound on the window itself: a machine starved of
  // CPU may end the last events late, which is no error of the warm-up.)
  EXPECT_GE(r.load["seconds"].get<double>(), 0.6);
  EXPECT_GE(wall.count() - r.load["seconds"].get<double>(), 0.6)
      << "the warm-up's 0.6 s were counted in the measured " << r.load["seconds"] << " s";
  // Intervals are timed from the end of the warm-up.
  const auto& intervals = r.intervals;
  ASSERT_GE(intervals["seconds"].size(), 3u) << intervals;
  EXPECT_EQ(intervals["start_unix_ms"][0], r.test["details"]["metrics"]["start_unix_ms"]);
  EXPECT_NEAR(intervals["seconds"][0].get<double>(), 0.2, 0.01) << intervals;
  expect_accounted(r.load);
}

TEST(Load, OpenLoopRateIsHeld) {
  LoadRun r = run_load("load/point_select", {"--load.threads", "2", "--load.time", "2",
                                             "--load.rate", "200", "--load.table-size", "200"});
  EXPECT_EQ(r.process.exit_code, 0) << r.process.out << r.process.err;
  // Over the run the limiter never exceeds the rate (a thread that fell
  // behind catches up in a burst, but never runs ahead of its schedule);
  // reaching it depends on the machine -- tests running in parallel may
  // starve this one of CPU -- so the floor is loose.
  EXPECT_LE(r.load["tps"].get<double>(), 210);
  EXPECT_GE(r.load["tps"].get<double>(), 60);
}

TEST(Load, DryRunNeedsNoServer) {
  LoadRun r =
      run_load("load/read_write", {"--load.threads", "2", "--load.time", "0.3", "--load.dry-run"},
               {"-H", "127.0.0.1:1", "--connect-timeout", "1"});
  EXPECT_EQ(r.process.exit_code, 0) << r.process.out << r.process.err;
  EXPECT_EQ(r.load["dry_run"], true);
  EXPECT_GT(r.load["events"]["succeeded"].get<int64_t>(), 1000);
  expect_accounted(r.load);
  // With no server the client is all there is: its CPU is the rig's own
  // cost, and never a reason to warn that the client was short of CPU.
  expect_client_cpu_consistent(r.load);
  EXPECT_EQ(r.load["client_cpu"]["client_bound"], false);
  EXPECT_EQ(r.process.err.find("busy: these figures"), std::string::npos) << r.process.err;
}

TEST(Load, CsvAndAsciiHistogram) {
  std::string csv = temp_path("intervals.csv");
  LoadRun r = run_load("load/point_select",
                       {"--load.time", "0.5", "--load.report-interval", "0.1", "--load.csv", csv,
                        "--load.histogram", "--load.table-size", "200"});
  EXPECT_EQ(r.process.exit_code, 0) << r.process.out << r.process.err;
  std::ifstream in(csv);
  std::string header, row;
  std::getline(in, header);
  EXPECT_EQ(header.rfind("time_s,threads,tps,qps,", 0), 0u) << header;
  int rows = 0;
  while (std::getline(in, row)) ++rows;
  EXPECT_GE(rows, 3);
  EXPECT_NE(r.test["summary_text"].get<std::string>().find("distribution"), std::string::npos);
  EXPECT_NE(r.process.out.find("distribution"), std::string::npos);
}

TEST(Load, FiveHundredTwelveSessions) {
  LoadRun r = run_load("load/point_select",
                       {"--load.threads", "512", "--load.time", "1", "--load.table-size", "1000"});
  EXPECT_EQ(r.process.exit_code, 0) << r.process.out << r.process.err;
  EXPECT_EQ(r.load["threads"], 512);
  expect_accounted(r.load);
  EXPECT_GT(r.load["events"]["succeeded"].get<int64_t>(), 512);
  EXPECT_GT(r.load["client_memory_mib"]["peak"].get<double>(), 0);
  EXPECT_EQ(r.load["errors"].size(), 0u) << r.load["errors"];
}

// The sandbox's host:port, from its config file.
std::string sandbox_host() {
  std::string text = read_file(sandbox_config());
  auto at = text.find("host = \"") + 8;
  return text.substr(at, text.find('"', at) - at);
}

TEST(Load, SessionsTakeTheHostsInTurn) {
  // Both entries name the sandbox: four sessions, two on each, all work.
  const std::string host = sandbox_host();
  LoadRun both = run_load("load/point_select",
                          {"--load.threads", "4", "--load.time", "0.3", "--load.table-size", "200"},
                          {"--config", sandbox_config(), "-H", host + "," + host});
  EXPECT_EQ(both.process.exit_code, 0) << both.process.out << both.process.err;
  // A dead second host: the main session and load-0 get the sandbox, load-1
  // the dead one -- and the run says so.
  LoadRun dead = run_load(
      "load/point_select",
      {"--load.threads", "2", "--load.time", "0.3", "--load.table-size", "200"},
      {"--config", sandbox_config(), "-H", host + ",127.0.0.1:1", "--connect-timeout", "1"});
  EXPECT_EQ(dead.process.exit_code, 3) << dead.process.out;
  EXPECT_NE(dead.test["message"].get<std::string>().find("127.0.0.1:1"), std::string::npos)
      << dead.test["message"];
}

TEST(Load, TheTableCheckCanFail) {
  LoadRun r = run_load("load/read_write",
                       {"--load.time", "0.3", "--load.table-size", "200", "--load.sabotage"});
  EXPECT_EQ(r.process.exit_code, 1) << r.process.out << r.process.err;
  EXPECT_EQ(r.test["status"], "failed");
  EXPECT_NE(r.test["message"].get<std::string>().find("row count changed by -1, but 0 committed"),
            std::string::npos)
      << r.test["message"];
}

TEST(Load, APythonHandlerIsTheWorkloadOnEveryThread) {
  const std::string samples = std::string(SOURCE_DIR) + "/samples/python";
  LoadRun r = run_load("load/python",
                       {"--load.threads", "3", "--load.time", "0.5", "--load.table-size", "300"},
                       {"--config", sandbox_config(), "--python-tests", samples});
  EXPECT_EQ(r.process.exit_code, 0) << r.process.out << r.process.err;
  expect_accounted(r.load);
  EXPECT_EQ(r.load["workload"], "python");
  EXPECT_GT(r.load["events"]["succeeded"].get<int64_t>(), 100);
  EXPECT_GT(r.load["fairness"]["events_min"].get<double>(), 0);  // every thread ran events
  EXPECT_GT(r.load["latency"]["p50_ms"].get<double>(), 0);
  expect_client_cpu_consistent(r.load);  // per event: a Python event counts no queries

  LoadRun unbound = run_load("load/python", {"--load.time", "0.2", "--load.table-size", "100"});
  EXPECT_EQ(unbound.process.exit_code, 0);
  EXPECT_EQ(unbound.test["status"], "skipped");
  EXPECT_NE(unbound.test["message"].get<std::string>().find("no Python handler is bound"),
            std::string::npos)
      << unbound.test["message"];
}

TEST(Load, BadOptionsAreUsageErrors) {
  // Checked by the test before any test runs (ABI 1.5): a usage error.
  RigRun r = run_rig({"--config", sandbox_config(), "run", "load/point_select", "--load.time", "0",
                      "--load.events", "0"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("load/point_select: give --load.time or --load.events"), std::string::npos)
      << r.err;
  // Checked by the host before anything runs: a usage error.
  for (const char* code : {"abc", "12abc", "99999999999", "0", "-1"}) {
    RigRun bad = run_rig(
        {"--config", sandbox_config(), "run", "load/point_select", "--load.ignore-errors", code});
    EXPECT_EQ(bad.exit_code, 2) << code << bad.out << bad.err;
    EXPECT_NE(bad.err.find("--load.ignore-errors: "), std::string::npos) << code << bad.err;
  }
}

// A run told to stop -- by a signal, or because its state overran its
// timeout -- ends as an error at once, never after --load.time, with the
// accounting of what it did and without the tables it made.
void expect_stopped_with_accounting(const RigRun& r, const std::string& report,
                                    const std::string& message) {
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  const nlohmann::json document = read_json(report);
  const nlohmann::json& test = document["tests"][0];
  EXPECT_EQ(test["status"], "error");
  EXPECT_EQ(test["message"], message);
  const nlohmann::json& load = test["details"]["load"];
  expect_accounted(load);
  EXPECT_LT(load["seconds"].get<double>(), 30.0) << "ran on after being told to stop";
  EXPECT_EQ(sandbox_sql("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_NAME LIKE '" +
                        table_prefix() + "%'"),
            "0\n")
      << document["leftovers"];
}

TEST(Load, ASignalStopsTheRunWithItsAccountingWritten) {
  for (const std::string isolation : {"process", "none"}) {
    SCOPED_TRACE("--isolation " + isolation);
    const std::string report = temp_path("interrupted.json");
    // Interrupted once a worker reads the run's table (read_write's point
    // select): the run is under way, however long prepare took. The main
    // session's own read of the table before the workers start
    // (SELECT COUNT(*), SUM(k)) is not yet the run.
    const std::string running =
        "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND "
        "INFO LIKE 'SELECT c FROM `" +
        table_prefix() + "%'";
    RigOptions options;
    options.signal_when = [&] { return sandbox_sql(running) != "0\n"; };
    options.signal_to_send = SIGINT;
    options.signal_process_group = false;
    RigRun r = run_rig({"--config", sandbox_config(), "--isolation", isolation, "--report-json",
                        report, "run", "load/read_write", "--load.table-prefix", table_prefix(),
                        "--load.threads", "2", "--load.time", "120"},
                       options);
    expect_stopped_with_accounting(r, report,
                                   "interrupted by a signal; the test stopped in state 'run'");
  }
}

// --state-timeout bounds what a state does beyond the work it was asked
// for: a 4 s load (1 s warm-up + 3 s) is no timeout at 1.5 s.
TEST(Load, TheStateTimeoutCountsBeyondTheAskedForTime) {
  LoadRun r = run_load("load/point_select",
                       {"--load.warmup", "1", "--load.time", "3", "--load.threads", "1"},
                       {"--config", sandbox_config(), "--state-timeout", "1.5"});
  EXPECT_EQ(r.process.exit_code, 0) << r.process.out << r.process.err;
  EXPECT_EQ(r.test["status"], "passed") << r.test["message"];
  EXPECT_GE(r.load["seconds"].get<double>(), 3.0);
  for (const std::string isolation : {"process", "none"}) {
    RigRun soak = run_rig({"--config", sandbox_config(), "--state-timeout", "1", "--isolation",
                           isolation, "run", "txn/soak", "--txn.soak-seconds", "2.5"});
    EXPECT_EQ(soak.exit_code, 0) << isolation << ": " << soak.out << soak.err;
  }
}

// With --load.events the run has no asked-for time: --state-timeout is
// all it gets.
TEST(Load, AStateOverItsTimeoutStopsWithItsAccountingWritten) {
  const std::string report = temp_path("timed-out.json");
  RigRun r = run_rig({"--config", sandbox_config(), "--state-timeout", "2", "--report-json", report,
                      "run", "load/read_write", "--load.table-prefix", table_prefix(),
                      "--load.threads", "2", "--load.time", "0", "--load.events", "1000000000"});
  expect_stopped_with_accounting(
      r, report, "state 'run' exceeded its timeout of 2 s; the test stopped in state 'run'");
}

}  // namespace
}  // namespace rig::testing
