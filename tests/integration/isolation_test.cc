// The isolation plugin against the sandbox MariaDB: the whole Hermitage
// matrix matches the shipped expectations, snapshot isolation changes P4,
// a wrong expectation fails, and runs clean up after themselves.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/integration/rig_process.h"

namespace rig::testing {
namespace {

const char* kShippedExpectations = PLUGIN_DIR "/isolation/expectations.txt";

nlohmann::json cell(const nlohmann::json& report, const std::string& scenario,
                    const std::string& level) {
  for (const auto& c : report["tests"][0]["details"]["isolation"]["cells"]) {
    if (c["scenario"] == scenario && c["level"] == level) return c;
  }
  return nullptr;
}

RigRun run_isolation(const std::vector<std::string>& extra, const std::string& json) {
  std::vector<std::string> args = {"--config",  sandbox_config(), "run",
                                   "isolation", "--report-json",  json};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_rig(args);
}

// Runs one scenario of the test's own, with the shipped expectations plus
// `rows` for it (e.g. "mariadb-si-off read-committed avoid\n"), at `levels`.
RigRun run_own_scenario(const std::string& id, const std::string& scenario, const std::string& rows,
                        const std::string& levels, const std::string& json) {
  std::string dir = temp_path("scenarios");
  std::filesystem::create_directories(dir);
  write_file(dir + "/" + id + ".scenario", scenario);
  std::string expectations = temp_path("expectations.txt");
  write_file(expectations, read_file(kShippedExpectations) + "\nscenarios: " + id + "\n" + rows);
  return run_isolation({"--isolation.scenario-dirs", dir, "--isolation.expectations", expectations,
                        "--isolation.scenarios", id, "--isolation.levels", levels},
                       json);
}

TEST(Isolation, WholeMatrixMatchesTheShippedExpectations) {
  std::string json = temp_path("r.json"), junit = temp_path("j.xml");
  RigRun r = run_isolation({"--junit", junit}, json);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto report = read_json(json);
  auto test = report["tests"][0];
  EXPECT_EQ(test["status"], "passed");
  ASSERT_EQ(test["cases"].size(), 56u);  // 14 scenarios x 4 levels
  for (const auto& c : test["cases"]) EXPECT_EQ(c["status"], "passed") << c.dump();
  EXPECT_EQ(test["records"]["profiles"], "mariadb-si-off");
  // Real concurrency: the dirty write blocks, and the blocked step's result
  // is collected once T1 commits.
  auto g0 = cell(report, "g0", "read-committed");
  EXPECT_EQ(g0["observed"], "rollback");
  EXPECT_TRUE(g0["trace"][3]["blocked"]) << g0.dump();
  EXPECT_EQ(g0["trace"][8]["rows"], "(1,12),(2,22)");
  EXPECT_EQ(cell(report, "g1a", "read-uncommitted")["observed"], "anomaly");
  EXPECT_EQ(cell(report, "g2-item", "serializable")["observed"], "rollback");
  EXPECT_NE(r.out.find("repeatable-read   rollback  avoid"), std::string::npos) << r.out;
  std::string xml = read_file(junit);
  EXPECT_NE(xml.find("tests=\"57\" failures=\"0\""), std::string::npos) << xml.substr(0, 300);
  EXPECT_NE(xml.find("name=\"mariadb-si-off/serializable/g2-item\""), std::string::npos);
}

TEST(Isolation, SnapshotIsolationTurnsLostUpdateIntoRollback) {
  std::string off = temp_path("off.json"), on = temp_path("on.json");
  RigRun r_off = run_isolation(
      {"--isolation.snapshot-isolation", "off", "--isolation.levels", "repeatable-read"}, off);
  RigRun r_on = run_isolation(
      {"--isolation.snapshot-isolation", "on", "--isolation.levels", "repeatable-read"}, on);
  ASSERT_EQ(r_off.exit_code, 0) << r_off.out;
  ASSERT_EQ(r_on.exit_code, 0) << r_on.out;
  EXPECT_EQ(cell(read_json(off), "p4", "repeatable-read")["observed"], "anomaly");
  auto p4_on = cell(read_json(on), "p4", "repeatable-read");
  EXPECT_EQ(p4_on["observed"], "rollback");
  bool saw_1020 = false;
  for (const auto& step : p4_on["trace"]) saw_1020 |= step["error_code"] == 1020;
  EXPECT_TRUE(saw_1020) << p4_on.dump();
  EXPECT_EQ(cell(read_json(on), "gsingle-write", "repeatable-read")["observed"], "rollback");
}

TEST(Isolation, AWrongExpectationFailsWithTheTrace) {
  std::string table = read_file(kShippedExpectations);
  const std::string row =
      "mariadb-si-off repeatable-read  rollback avoid   avoid   avoid   "
      "rollback avoid   rollback anomaly";
  auto at = table.find(row);
  ASSERT_NE(at, std::string::npos) << "shipped row changed; update this test";
  table.replace(at, row.size(),
                "mariadb-si-off repeatable-read  rollback avoid   avoid   "
                "avoid   rollback avoid   rollback avoid  ");
  std::string wrong = temp_path("wrong.txt"), json = temp_path("r.json");
  write_file(wrong, table);
  RigRun r =
      run_isolation({"--isolation.expectations", wrong, "--isolation.scenarios", "p4"}, json);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  auto test = read_json(json)["tests"][0];
  EXPECT_EQ(test["status"], "failed");
  std::string message = test["message"];
  EXPECT_NE(message.find("1 of 4 cells differ from the expectations; first: "
                         "mariadb-si-off/repeatable-read/p4 expected avoid, observed anomaly"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("T2 [c2]: commit  =>  ok"), std::string::npos) << message;
  EXPECT_NE(r.out.find("anomaly!"), std::string::npos) << r.out;
}

TEST(Isolation, UnknownExpectationIsObservedNotPassed) {
  std::string table = temp_path("empty.txt"), json = temp_path("r.json");
  write_file(table, "scenarios: g0 p4\nmysql read-committed rollback anomaly\n");
  RigRun r =
      run_isolation({"--isolation.expectations", table, "--isolation.scenarios", "g0"}, json);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  auto test = read_json(json)["tests"][0];
  EXPECT_EQ(test["status"], "skipped");
  for (const auto& c : test["cases"]) {
    EXPECT_EQ(c["status"], "skipped");
    EXPECT_NE(c["message"].get<std::string>().find("no expectation for mariadb-si-off"),
              std::string::npos);
  }
}

TEST(Isolation, UserScenarioDirectoryAddsScenarios) {
  std::string json = temp_path("r.json");
  RigRun r = run_own_scenario(
      "locked-p4",
      "id: locked-p4\nsessions: A B\n"
      "A: begin\nB: begin\n"
      "A: select value from {t} where id = 1 for update\n"
      "B: select value from {t} where id = 1 for update\n"
      "A: update {t} set value = value + 1 where id = 1\n"
      "A [ca]: commit\nB: update {t} set value = value + 1 where id = 1\n"
      "B [cb]: commit\nafter [final]: select value from {t} where id = 1\n"
      "anomaly: final == (11)\n",
      "mariadb-si-off read-committed rollback\nmariadb-si-off repeatable-read rollback\n",
      "read-committed,repeatable-read", json);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  auto c = cell(read_json(json), "locked-p4", "repeatable-read");
  EXPECT_EQ(c["observed"], "rollback");
  EXPECT_EQ(c["trace"].back()["rows"], "(12)");
}

TEST(Isolation, MalformedScenarioIsAnErrorNamingFileAndLine) {
  std::string dir = temp_path("bad");
  std::filesystem::create_directories(dir);
  write_file(dir + "/broken.scenario", "id: broken\nsessions: T1 T2\nT9: select 1\n");
  std::string json = temp_path("r.json");
  RigRun r = run_isolation({"--isolation.scenario-dirs", dir}, json);
  EXPECT_EQ(r.exit_code, 3) << r.out;
  EXPECT_NE(r.out.find(dir + "/broken.scenario:3: unknown directive or session 'T9'"),
            std::string::npos)
      << r.out;
}

TEST(Isolation, ConcurrentRunsShareAServerAndLeaveNoTables) {
  std::string a = temp_path("a.json"), b = temp_path("b.json");
  RigRun first, second;
  std::thread other([&] { second = run_isolation({}, b); });
  first = run_isolation({}, a);
  other.join();
  EXPECT_EQ(first.exit_code, 0) << first.out;
  EXPECT_EQ(second.exit_code, 0) << second.out;
  // A third run lists leftover tables through a scenario of its own.
  std::string json = temp_path("r.json");
  RigRun probe = run_own_scenario(
      "leftovers",
      "id: leftovers\nsessions: T1 T2\n"
      "T1 [tables]: select count(*) from information_schema.tables where table_schema = "
      "database() and table_name like 'hermitage%' and table_name not like '{t}'\n"
      "T2: select 1\nanomaly: tables == (1)\n",
      "mariadb-si-off read-committed avoid\n", "read-committed", json);
  EXPECT_EQ(probe.exit_code, 0) << probe.out;
  EXPECT_EQ(cell(read_json(json), "leftovers", "read-committed")["trace"][0]["rows"], "(0)");
}

}  // namespace
}  // namespace rig::testing
