// The isolation plugin against the sandbox MariaDB: the whole Hermitage
// matrix matches the shipped expectations, snapshot isolation changes P4,
// a wrong expectation fails, a typo in the table is an error, cells that
// could not run to their end are undecided (one scenario per kind of lock in
// isolation_scenarios/), and runs clean up after themselves.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
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

// A run of a scenario of the test's own counts the tables, other than its
// own, that the runs of `reports` named theirs (other tests' runs may be
// going on beside).
void expect_no_tables_left(const std::vector<std::string>& reports) {
  std::string names;
  for (const auto& report : reports) {
    std::string prefix = read_json(report)["tests"][0]["details"]["isolation"]["table_prefix"];
    ASSERT_EQ(prefix.rfind("hermitage_", 0), 0u) << prefix;
    names += std::string(names.empty() ? "" : " or ") + "table_name like '" + prefix + "\\_%'";
  }
  std::string json = temp_path("leftovers.json");
  RigRun probe = run_own_scenario(
      "leftovers",
      "id: leftovers\nsessions: T1 T2\n"
      "T1 [tables]: select count(*) from information_schema.tables where table_schema = "
      "database() and (" +
          names +
          ")\n"
          "T2: select 1\nanomaly: tables == (1)\n",
      "mariadb-si-off read-committed avoid\n", "read-committed", json);
  EXPECT_EQ(probe.exit_code, 0) << probe.out;
  EXPECT_EQ(cell(read_json(json), "leftovers", "read-committed")["trace"][0]["rows"], "(0)");
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
  EXPECT_EQ(g0["trace"][3]["waited_for"], "row lock") << g0.dump();
  // T1 after its commit sees T2's uncommitted 12 only at READ UNCOMMITTED,
  // as Hermitage's listing shows.
  EXPECT_EQ(g0["trace"][6]["rows"], "(1,11),(2,21)");
  EXPECT_EQ(cell(report, "g0", "read-uncommitted")["trace"][6]["rows"], "(1,12),(2,21)");
  EXPECT_EQ(g0["trace"][9]["rows"], "(1,12),(2,22)");
  // Hermitage's pmp-write: T2 deletes "value = 20" yet still reads 2 => 20.
  auto pmp_write = cell(report, "pmp-write", "repeatable-read");
  EXPECT_EQ(pmp_write["observed"], "anomaly");
  EXPECT_EQ(pmp_write["trace"][6]["rows"], "(2,20)") << pmp_write.dump();
  EXPECT_EQ(cell(report, "pmp-write", "read-committed")["trace"][6]["rows"], "(2,30)");
  EXPECT_EQ(cell(report, "g1a", "read-uncommitted")["observed"], "anomaly");
  EXPECT_EQ(cell(report, "g2-item", "serializable")["observed"], "rollback");
  EXPECT_NE(r.out.find("repeatable-read   rollback  avoid"), std::string::npos) << r.out;
  // Whole ids, in the expectations table's order.
  EXPECT_NE(r.out.find("gsingle-read  gsingle-predicate  gsingle-write  g2-item  "),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("56 cells: 56 as expected, 0 differ, 0 undecided, 0 errors, 0 skipped"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("cases: 56 (56 passed, 0 failed, 0 skipped, 0 errors)"), std::string::npos);
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

TEST(Isolation, ARecordedMatrixIsABaselineLaterRunsAreCheckedAgainst) {
  const std::vector<std::string> cells = {"--isolation.scenarios", "g0,g1a,otv,p4",
                                          "--isolation.levels", "read-committed,repeatable-read"};
  const std::string baseline = temp_path("baseline.txt"), json = temp_path("r.json");
  std::vector<std::string> record = cells;
  record.insert(record.end(), {"--isolation.record", baseline});
  const RigRun recorded = run_isolation(record, json);
  ASSERT_EQ(recorded.exit_code, 0) << recorded.out << recorded.err;
  const std::string table = read_file(baseline);
  EXPECT_NE(table.find("\nscenarios: g0 g1a otv p4\n"), std::string::npos) << table;
  // One row per level, a decided outcome in every cell, as observed.
  const nlohmann::json observed = read_json(json);
  for (const std::string level : {"read-committed", "repeatable-read"}) {
    std::string row = "mariadb-si-off " + level;
    for (const char* id : {"g0", "g1a", "otv", "p4"}) {
      row += " " + cell(observed, id, level)["observed"].get<std::string>();
    }
    EXPECT_NE(table.find(row + "\n"), std::string::npos) << row << "\n" << table;
  }

  std::vector<std::string> check = cells;
  check.insert(check.end(), {"--isolation.expectations", baseline});
  const RigRun same = run_isolation(check, json);
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
  EXPECT_NE(
      read_json(json)["tests"][0]["records"]["cells"].get<std::string>().find("8 as expected"),
      std::string::npos);

  // A baseline that says otherwise fails the run, naming the cell.
  std::string changed = table;
  const std::string rc = "mariadb-si-off read-committed " +
                         cell(observed, "g0", "read-committed")["observed"].get<std::string>();
  changed.replace(changed.find(rc), rc.size(), "mariadb-si-off read-committed anomaly");
  write_file(baseline, changed);
  const RigRun differs = run_isolation(check, json);
  EXPECT_EQ(differs.exit_code, 1) << differs.out << differs.err;
  EXPECT_NE(read_json(json)["tests"][0]["message"].get<std::string>().find(
                "mariadb-si-off/read-committed/g0 expected anomaly"),
            std::string::npos)
      << read_json(json)["tests"][0]["message"];
  EXPECT_EQ(run_isolation({"--isolation.record", "/nonexistent-dir/b.txt", "--isolation.scenarios",
                           "g0", "--isolation.levels", "read-committed"},
                          json)
                .exit_code,
            3);
}

TEST(Isolation, AWrongExpectationFailsWithTheTrace) {
  std::string table = read_file(kShippedExpectations);
  const std::string row =
      "mariadb-si-off repeatable-read  rollback avoid   avoid   avoid   "
      "rollback avoid   anomaly  anomaly";
  auto at = table.find(row);
  ASSERT_NE(at, std::string::npos) << "shipped row changed; update this test";
  table.replace(at, row.size(),
                "mariadb-si-off repeatable-read  rollback avoid   avoid   "
                "avoid   rollback avoid   anomaly  avoid  ");
  std::string wrong = temp_path("wrong.txt"), json = temp_path("r.json");
  write_file(wrong, table);
  RigRun r =
      run_isolation({"--isolation.expectations", wrong, "--isolation.scenarios", "p4"}, json);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  auto test = read_json(json)["tests"][0];
  EXPECT_EQ(test["status"], "failed");
  std::string message = test["message"];
  EXPECT_NE(message.find("4 cells: 3 as expected, 1 differ, 0 undecided, 0 errors, 0 skipped (0 "
                         "without expectation, 0 level rejected by the server); first that "
                         "differs: mariadb-si-off/repeatable-read/p4 expected avoid, observed "
                         "anomaly"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("T2 [c2]: commit  =>  ok"), std::string::npos) << message;
  EXPECT_NE(r.out.find("anomaly!"), std::string::npos) << r.out;
}

TEST(Isolation, ATypoInTheExpectationsIsAUsageErrorNamingFileAndLine) {
  struct Typo {
    std::string from, to, error;
  };
  const std::vector<Typo> typos = {
      {"mariadb-si-off repeatable-read ", "mariadb-si-off repeatable_read ",
       ": unknown level 'repeatable_read'"},
      {" gsingle-read ", " gsingle-reed ", ": unknown scenario 'gsingle-reed'"},
      {"mariadb-si-off serializable ", "mariadb-si-of serializable ",
       ": unknown profile 'mariadb-si-of'"}};
  for (const Typo& typo : typos) {
    std::string table = read_file(kShippedExpectations);
    auto at = table.find(typo.from);
    ASSERT_NE(at, std::string::npos) << typo.from;
    int line = 1 + static_cast<int>(std::count(table.begin(), table.begin() + at, '\n'));
    table.replace(at, typo.from.size(), typo.to);
    std::string path = temp_path("typo.txt"), json = temp_path("r.json");
    write_file(path, table);
    RigRun r = run_isolation({"--isolation.expectations", path}, json);
    // Found before any test runs: nothing ran, so no report.
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find(path + ":" + std::to_string(line) + typo.error), std::string::npos)
        << r.err;
    EXPECT_FALSE(std::filesystem::exists(json)) << r.out;
  }
  std::string json = temp_path("r.json");
  RigRun dir = run_isolation({"--isolation.expectations", temp_path("")}, json);
  EXPECT_EQ(dir.exit_code, 2) << dir.out;
  EXPECT_NE(dir.err.find("cannot read the expectations file: is a directory, not a file"),
            std::string::npos)
      << dir.err;
}

// Every scenario of isolation_scenarios/ but two leaves a step waiting for a
// lock -- row, gap, metadata, table, user -- held by the earlier or by the
// later session, or ends a wait by a lock-wait timeout; the other two
// release their waits and must be judged as on a fresh run.
TEST(Isolation, CellsThatCouldNotRunToTheirEndAreUndecided) {
  const std::map<std::string, std::string> stuck = {
      {"row-lock-earlier", "row lock"},
      {"row-lock-later", "row lock"},
      {"gap-lock-earlier", "row lock"},
      {"gap-lock-later", "row lock"},
      {"metadata-lock-earlier", "table metadata lock"},
      {"metadata-lock-later", "table metadata lock"},
      {"table-lock-earlier", "table metadata lock"},
      {"table-lock-later", "table metadata lock"},
      {"user-lock-earlier", "user lock"},
      {"user-lock-later", "user lock"}};
  std::string ids = "lock-wait-timeout,metadata-lock-released,zz-sessions-still-usable";
  std::string expected =
      "scenarios: lock-wait-timeout metadata-lock-released "
      "zz-sessions-still-usable";
  std::string values = "mariadb-si-off repeatable-read prevented rollback anomaly";
  for (const auto& [id, lock] : stuck) {
    ids += "," + id;
    expected += " " + id;
    values += " prevented";
  }
  std::string table = temp_path("expectations.txt"), json = temp_path("r.json");
  std::string junit = temp_path("j.xml");
  write_file(table, expected + "\n" + values + "\n");
  RigRun r = run_isolation(
      {"--isolation.scenario-dirs", SOURCE_DIR "/tests/integration/isolation_scenarios",
       "--isolation.expectations", table, "--isolation.scenarios", ids, "--isolation.levels",
       "repeatable-read", "--isolation.lock-wait-timeout", "1", "--junit", junit},
      json);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  auto report = read_json(json);
  EXPECT_NE(r.out.find("13 cells: 2 as expected, 0 differ, 11 undecided, 0 errors"),
            std::string::npos)
      << r.out;
  for (const auto& [id, lock] : stuck) {
    auto c = cell(report, id, "repeatable-read");
    EXPECT_EQ(c["observed"], "undecided") << c.dump();
    EXPECT_NE(c["undecided"].get<std::string>().find("was still waiting for a " + lock +
                                                     " when the scenario ended"),
              std::string::npos)
        << c.dump();
    auto waiting =
        std::find_if(c["trace"].begin(), c["trace"].end(),
                     [](const nlohmann::json& step) { return step.contains("still_waiting"); });
    ASSERT_NE(waiting, c["trace"].end()) << c.dump();
    EXPECT_EQ((*waiting)["waited_for"], lock);
    EXPECT_EQ((*waiting)["label"], "wait");
    EXPECT_NE((*waiting)["error_code"], 1205);  // released by the runner, not by a timeout
  }
  auto timeout = cell(report, "lock-wait-timeout", "repeatable-read");
  EXPECT_EQ(timeout["observed"], "undecided");
  EXPECT_NE(timeout["undecided"].get<std::string>().find("ended by a lock-wait timeout (1205)"),
            std::string::npos)
      << timeout.dump();
  auto released = cell(report, "metadata-lock-released", "repeatable-read");
  EXPECT_EQ(released["observed"], "rollback") << released.dump();
  EXPECT_EQ(released["trace"][2]["waited_for"], "table metadata lock");
  EXPECT_EQ(released["trace"].back()["rows"], "(3)");  // the ALTER ran after T1's commit
  EXPECT_EQ(cell(report, "zz-sessions-still-usable", "repeatable-read")["observed"], "anomaly");
  std::string xml = read_file(junit);
  EXPECT_NE(xml.find("name=\"mariadb-si-off/repeatable-read/row-lock-later\""), std::string::npos);
  EXPECT_NE(xml.find("failures=\"12\""), std::string::npos) << xml.substr(0, 400);  // 11 + the test

  // Nothing was left behind: no table, and no session still holding a lock.
  expect_no_tables_left({json});
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

TEST(Isolation, AMalformedScenarioIsAUsageErrorNamingFileAndLine) {
  std::string dir = temp_path("bad");
  std::filesystem::create_directories(dir);
  write_file(dir + "/broken.scenario", "id: broken\nsessions: T1 T2\nT9: select 1\n");
  std::string json = temp_path("r.json");
  RigRun r = run_isolation({"--isolation.scenario-dirs", dir}, json);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.err.find(dir + "/broken.scenario:3: unknown directive or session 'T9'"),
            std::string::npos)
      << r.err;
}

TEST(Isolation, AcrossNodesWithOneServerSaysWhatItNeeds) {
  const std::string json = temp_path("across.json");
  RigRun r = run_isolation({"--isolation.across-nodes"}, json);
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("--isolation.across-nodes needs two servers or more in the --host list"),
            std::string::npos)
      << r.out << r.err;
  EXPECT_EQ(read_json(json)["tests"][0]["status"], "error");
}

TEST(Isolation, ConcurrentRunsShareAServerAndLeaveNoTables) {
  std::string a = temp_path("a.json"), b = temp_path("b.json");
  RigRun first, second;
  std::thread other([&] { second = run_isolation({}, b); });
  first = run_isolation({}, a);
  other.join();
  EXPECT_EQ(first.exit_code, 0) << first.out;
  EXPECT_EQ(second.exit_code, 0) << second.out;
  expect_no_tables_left({a, b});
}

}  // namespace
}  // namespace rig::testing
