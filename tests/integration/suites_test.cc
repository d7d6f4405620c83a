// The txn, ddl and import suites against the sandbox MariaDB: every
// applicable test passes, the TiDB-only ones are skipped with the reason,
// and each suite can fail, showing expected versus actual.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "tests/integration/rig_process.h"

namespace rig::testing {
namespace {

std::map<std::string, nlohmann::json> run_suite(const std::vector<std::string>& args,
                                                int expected_exit) {
  std::string json = temp_path("r.json");
  std::vector<std::string> all = {"--config", sandbox_config(), "--report-json", json, "run"};
  all.insert(all.end(), args.begin(), args.end());
  RigRun r = run_rig(all);
  EXPECT_EQ(r.exit_code, expected_exit) << r.out << r.err;
  std::map<std::string, nlohmann::json> tests;
  nlohmann::json report = read_json(json);
  for (const auto& test : report["tests"]) tests[test["name"].get<std::string>()] = test;
  return tests;
}

void expect_all_pass_except_tidb(const std::map<std::string, nlohmann::json>& tests) {
  for (const auto& [name, test] : tests) {
    if (name.find("tidb") != std::string::npos || name == "import/job-monitor") {
      EXPECT_EQ(test["status"], "skipped") << name;
      EXPECT_NE(test["message"].get<std::string>().find("TiDB-only; this server is mariadb"),
                std::string::npos)
          << test["message"];
    } else {
      EXPECT_EQ(test["status"], "passed") << name << ": " << test["message"];
    }
  }
}

// A decoy under the exact name each test would choose (the run token fixed
// by TEST_RIG_RUN_TOKEN): the test refuses it, errors, and the decoy keeps
// its rows. A guard that dropped first, or one armed before its CREATE,
// would have destroyed it.
TEST(Suites, ATestLeavesAnObjectUnderItsNameAloneAndSaysSo) {
  const std::string token = "decoy" + std::to_string(::getpid() % 10000000);
  struct Decoy {
    std::string test;
    std::vector<std::string> options;
    std::string create, check, remove;
  };
  const std::string trunc = "ddl_trunc_" + token, soak = "txn_soak_" + token,
                    database = "rig_ddl_" + token, view = "ddl_view_" + token,
                    cell = "hermitage_" + token + "_0";
  const std::vector<Decoy> decoys = {
      {"ddl/truncate",
       {},
       "CREATE TABLE " + trunc + " (v INT); INSERT INTO " + trunc + " VALUES (7)",
       "SELECT v FROM " + trunc,
       "DROP TABLE " + trunc},
      {"txn/soak",
       {"--txn.soak-seconds", "0.2"},
       "CREATE TABLE " + soak + " (v INT); INSERT INTO " + soak + " VALUES (7)",
       "SELECT v FROM " + soak,
       "DROP TABLE " + soak},
      {"ddl/databases",
       {},
       "CREATE DATABASE " + database + "; CREATE TABLE " + database + ".t (v INT); INSERT INTO " +
           database + ".t VALUES (7)",
       "SELECT v FROM " + database + ".t",
       "DROP DATABASE " + database},
      // The view the test renames its own view to.
      {"ddl/views",
       {},
       "CREATE VIEW " + view + " AS SELECT 7 AS v",
       "SELECT v FROM " + view,
       "DROP VIEW " + view},
      // The first cell's table of the isolation matrix.
      {"isolation/hermitage",
       {"--isolation.scenarios", "g0", "--isolation.levels", "read-committed"},
       "CREATE TABLE " + cell + " (v INT); INSERT INTO " + cell + " VALUES (7)",
       "SELECT v FROM " + cell,
       "DROP TABLE " + cell}};
  RigOptions fixed_token;
  fixed_token.env = {{"TEST_RIG_RUN_TOKEN", token}};
  for (const Decoy& decoy : decoys) {
    ASSERT_EQ(sandbox_sql(decoy.create), "") << decoy.test;
    std::string json = temp_path("r.json");
    std::vector<std::string> args = {"--config", sandbox_config(), "run",
                                     decoy.test, "--report-json",  json};
    args.insert(args.end(), decoy.options.begin(), decoy.options.end());
    RigRun r = run_rig(args, fixed_token);
    EXPECT_NE(r.exit_code, 0) << decoy.test << r.out;
    EXPECT_NE(read_json(json)["tests"][0]["status"], "passed") << decoy.test;
    EXPECT_NE(r.out.find("already exists"), std::string::npos) << decoy.test << r.out;
    EXPECT_EQ(sandbox_sql(decoy.check), "7\n") << decoy.test << r.out;
    sandbox_sql(decoy.remove);
  }
}

TEST(Suites, TxnPassesAndSkipsWhatNeedsTidbOrACluster) {
  auto tests = run_suite({"txn", "--txn.large-rows", "20000"}, 0);
  EXPECT_EQ(tests.size(), 14u);
  // Conflicts at COMMIT need TiDB's optimistic mode or two Galera nodes.
  const nlohmann::json conflict = tests["txn/optimistic-conflict"];
  EXPECT_EQ(conflict["status"], "skipped");
  EXPECT_NE(conflict["message"].get<std::string>().find(
                "conflicts at COMMIT need TiDB (optimistic mode) or a Galera cluster; this "
                "server is mariadb"),
            std::string::npos)
      << conflict["message"];
  tests.erase("txn/optimistic-conflict");
  expect_all_pass_except_tidb(tests);
  EXPECT_GE(tests["txn/retry-deadlock"]["retries"].get<int>(), 1);  // the deadlock was retried
  EXPECT_EQ(tests["txn/large-transaction"]["records"]["rows"], "20000");
  std::string victim = tests["txn/deadlock"]["records"]["deadlock_victim"];
  EXPECT_TRUE(victim == "a" || victim == "b") << victim;
  EXPECT_GE(std::stod(tests["txn/lock-wait-timeout"]["records"]["lock_wait_s"].get<std::string>()),
            0.9);
}

TEST(Suites, RetryGivesUpAfterMaxAttempts) {
  // One attempt in all: the deadlock victim's error reaches the test.
  auto tests = run_suite({"txn/retry-deadlock", "--retry-max-attempts", "1"}, 3);
  std::string message = tests["txn/retry-deadlock"]["message"];
  EXPECT_NE(message.find("error 1213"), std::string::npos) << message;
  EXPECT_EQ(tests["txn/retry-deadlock"]["retries"], 0);
  EXPECT_EQ(tests["txn/retry-deadlock"]["error_context"]["last_db_error"]["attempt"], 1);
}

TEST(Suites, TxnVisibilityFailsAtReadUncommitted) {
  auto tests = run_suite({"txn/visibility", "--txn.isolation", "read-uncommitted"}, 1);
  EXPECT_EQ(tests["txn/visibility"]["status"], "failed");
  EXPECT_EQ(tests["txn/visibility"]["message"],
            "state 'run' execute: rows another session sees before COMMIT: expected 0, got 1");
  EXPECT_EQ(tests["txn/visibility"]["error_context"]["state"], "run");
  EXPECT_FALSE(tests["txn/visibility"]["error_context"].contains("last_db_error"));
}

TEST(Suites, DdlPassesIncludingOnlineChangesUnderLoad) {
  auto tests = run_suite({"ddl", "--ddl.load-ms", "800"}, 0);
  EXPECT_EQ(tests.size(), 8u);
  expect_all_pass_except_tidb(tests);
  auto online = tests["ddl/online"]["records"];
  EXPECT_GT(std::stoll(online["writer_inserts"].get<std::string>()), 0);
  EXPECT_GT(std::stoll(online["writer_updates"].get<std::string>()), 0);
  EXPECT_TRUE(online.contains("ddl_ms_modify_column"));
}

TEST(Suites, DdlOnlineFailsWhenARowGoesMissing) {
  auto tests = run_suite({"ddl/online", "--ddl.load-ms", "300", "--ddl.sabotage"}, 1);
  std::string message = tests["ddl/online"]["message"];
  EXPECT_NE(message.find("rows after the load (seed + successful inserts): expected "),
            std::string::npos)
      << message;
}

TEST(Suites, ImportPassesAndCleansUpItsFiles) {
  std::string tmp = temp_path("tmp");
  std::filesystem::create_directories(tmp);
  std::string json = temp_path("r.json");
  RigRun r = run_rig({"--config", sandbox_config(), "--report-json", json, "run", "import",
                      "--import.rows", "5000"},
                     {{{"TMPDIR", tmp}}});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::map<std::string, nlohmann::json> tests;
  nlohmann::json report = read_json(json);
  for (const auto& test : report["tests"]) tests[test["name"].get<std::string>()] = test;
  EXPECT_EQ(tests.size(), 7u);
  expect_all_pass_except_tidb(tests);
  EXPECT_TRUE(std::filesystem::is_empty(tmp)) << "generated files left behind";
}

TEST(Suites, ImportChecksumCatchesAChangedRow) {
  auto tests = run_suite({"import/tsv", "--import.rows", "1000", "--import.sabotage"}, 1);
  std::string message = tests["import/tsv"]["message"];
  EXPECT_NE(message.find("checksum of the loaded rows against the generated file: expected "),
            std::string::npos)
      << message;
}

TEST(Suites, GeneratorIsDeterministicForASeed) {
  auto first = run_suite({"import/csv", "--import.rows", "500", "--import.seed", "7"}, 0);
  auto again = run_suite({"import/csv", "--import.rows", "500", "--import.seed", "7"}, 0);
  EXPECT_EQ(first["import/csv"]["status"], "passed");
  EXPECT_EQ(again["import/csv"]["status"], "passed");
}

}  // namespace
}  // namespace rig::testing
