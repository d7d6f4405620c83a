// The isolation plugin's data formats: scenarios and the expectations table.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "expectations.h"
#include "lock_wait_text.h"
#include "scenario.h"
#include "server_profile.h"
#include "text_file.h"

namespace isolation {
namespace {

TEST(Scenario, EveryShippedScenarioParses) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(SCENARIO_DIR)) {
    Scenario scenario = load_scenario(entry.path().string());
    EXPECT_FALSE(scenario.anomaly.empty()) << entry.path();
    ++count;
  }
  EXPECT_EQ(count, 14);
}

TEST(Scenario, ParsesStepsLabelsAndRules) {
  Scenario s = parse_scenario("p4.scenario",
                              "id: p4\nsessions: T1 T2\n# comment\n"
                              "T1: begin\nT2 [c2]: commit\nafter [final]: select * from {t}\n"
                              "anomaly: c2 ok and final == (1,11)\nanomaly: final has (2,20)\n");
  ASSERT_EQ(s.steps.size(), 3u);
  EXPECT_EQ(s.steps[1].label, "c2");
  EXPECT_EQ(s.steps[2].session, "after");
  ASSERT_EQ(s.anomaly.size(), 2u);
  EXPECT_EQ(s.anomaly[0].size(), 2u);
  EXPECT_EQ(s.anomaly[0][1].kind, Condition::Kind::kEquals);
  EXPECT_EQ(s.anomaly[0][1].rows, (Rows{{"1", "11"}}));
  EXPECT_TRUE(s.setup.empty());
}

TEST(Scenario, ErrorsNameFileAndLine) {
  auto error_of = [](const std::string& text) {
    try {
      parse_scenario("x.scenario", text);
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error_of("id: x\nsessions: T1\n"), "x.scenario:2: a scenario has 2 or 3 sessions");
  EXPECT_EQ(error_of("id: x\nsessions: T1 T2\nT3: select 1\n"),
            "x.scenario:3: unknown directive or session 'T3'");
  EXPECT_EQ(error_of("id: x\nsessions: T1 T2\nT1: select 1\nanomaly: nope ok\n"),
            "x.scenario:4: the anomaly rule names label 'nope', which no step has");
  EXPECT_EQ(error_of("id: x\nsessions: T1 T2\nT1 [a]: select 1\nanomaly: a maybe\n"),
            "x.scenario:4: unknown condition 'maybe'; use ok, failed, ==, has or before");
  EXPECT_EQ(error_of("id: x\nsessions: T1 T2\nT1 [a]: select 1\n"),
            "x.scenario:3: missing 'anomaly:' rule");
}

TEST(Scenario, RowsCompareAsSets) {
  EXPECT_EQ(parse_rows("(2,20),(1,10)"), parse_rows("(1,10), (2,20)"));
  EXPECT_TRUE(parse_rows("empty").empty());
  EXPECT_EQ(format_rows(parse_rows("(2,20),(1,10)")), "(1,10),(2,20)");
  EXPECT_THROW(parse_rows("1,10"), ScenarioError);
}

const std::set<std::string> kScenarioIds = {"g0", "p4", "pmp-write"};

// The error text of parsing `text` as an expectations table, or "no error".
std::string expectations_error(const std::string& text) {
  try {
    Expectations::parse("e.txt", text, kScenarioIds);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Expectations, LooksUpCellsAndJudges) {
  Expectations table = Expectations::parse(
      "e.txt", "# c\nscenarios: g0 p4\nmariadb-si-off repeatable-read rollback anomaly\n",
      kScenarioIds);
  EXPECT_EQ(table.find("mariadb-si-off", "repeatable-read", "p4"), Expected::kAnomaly);
  EXPECT_EQ(table.find("mariadb-si-on", "repeatable-read", "p4"), Expected::kUnknown);
  EXPECT_TRUE(satisfies(Outcome::kAvoid, Expected::kPrevented));
  EXPECT_TRUE(satisfies(Outcome::kRollback, Expected::kPrevented));
  EXPECT_FALSE(satisfies(Outcome::kAnomaly, Expected::kPrevented));
  EXPECT_FALSE(satisfies(Outcome::kAnomaly, Expected::kUnknown));
}

TEST(Expectations, AnUndecidedCellSatisfiesNoExpectation) {
  for (Expected expected : {Expected::kAvoid, Expected::kRollback, Expected::kAnomaly,
                            Expected::kPrevented, Expected::kUnknown}) {
    EXPECT_FALSE(satisfies(Outcome::kUndecided, expected)) << expected_name(expected);
  }
}

TEST(Expectations, TyposAreErrorsNamingFileAndLine) {
  EXPECT_EQ(expectations_error("scenarios: g0\nmysql repeatable_read avoid\n"),
            "e.txt:2: unknown level 'repeatable_read'; use one of read-uncommitted, "
            "read-committed, repeatable-read, serializable");
  EXPECT_EQ(expectations_error("\nscenarios: g0 gsingle-reed\n"),
            "e.txt:2: unknown scenario 'gsingle-reed'");
  EXPECT_EQ(expectations_error("scenarios: g0\nmaria-si-off read-committed avoid\n"),
            "e.txt:2: unknown profile 'maria-si-off'; use one of mysql, mariadb-si-off, "
            "mariadb-si-on, mariadb-galera, tidb-pessimistic, tidb-optimistic");
  EXPECT_EQ(expectations_error("scenarios: g0 p4\nmysql read-committed avoid anomally\n"),
            "e.txt:2: unknown outcome 'anomally' for p4; use avoid, rollback, anomaly, "
            "prevented or ?");
  EXPECT_EQ(expectations_error("scenarios: g0 p4\nmysql read-committed avoid\n"),
            "e.txt:2: expected a profile, a level and 2 outcomes, got 3 fields");
  EXPECT_EQ(expectations_error("mysql read-committed avoid\n"),
            "e.txt:1: a 'scenarios:' line must come before the rows");
  EXPECT_EQ(expectations_error("scenarios: g0 g0\n"), "e.txt:1: scenario 'g0' named twice");
  EXPECT_EQ(expectations_error("scenarios:\n"), "e.txt:1: 'scenarios:' names no scenario");
  EXPECT_EQ(expectations_error("scenarios: g0\nmysql serializable avoid\n"
                               "scenarios: p4 g0\nmysql serializable avoid rollback\n"),
            "e.txt:4: mysql serializable g0 is already given on line 2");
}

TEST(Expectations, ScenarioOrderIsTheTablesFirstMention) {
  Expectations table =
      Expectations::parse("e.txt", "scenarios: pmp-write g0\nscenarios: p4 g0\n", kScenarioIds);
  EXPECT_EQ(table.scenario_order(), (std::vector<std::string>{"pmp-write", "g0", "p4"}));
}

TEST(Expectations, ShippedTableCoversEveryServerProfile) {
  std::set<std::string> ids;
  for (const auto& entry : std::filesystem::directory_iterator(SCENARIO_DIR)) {
    ids.insert(load_scenario(entry.path().string()).id);
  }
  Expectations table = Expectations::load(EXPECTATIONS_FILE, ids);
  EXPECT_EQ(std::set<std::string>(table.scenario_order().begin(), table.scenario_order().end()),
            ids);
  for (const char* profile : {"mysql", "mariadb-si-off", "mariadb-si-on"}) {
    for (const std::string& level : rig_plugins::isolation_levels()) {
      for (const std::string& id : ids) {
        EXPECT_NE(table.find(profile, level, id), Expected::kUnknown)
            << profile << " " << level << " " << id;
      }
    }
  }
  EXPECT_EQ(table.find("mariadb-si-on", "repeatable-read", "p4"), Expected::kRollback);
  EXPECT_EQ(table.find("mariadb-si-off", "repeatable-read", "p4"), Expected::kAnomaly);
  EXPECT_EQ(table.find("mariadb-si-off", "repeatable-read", "pmp-write"), Expected::kAnomaly);
  EXPECT_NE(table.find("tidb-optimistic", "repeatable-read", "g0"), Expected::kUnknown);
}

TEST(TextFile, RefusesWhatIsNotASmallRegularFile) {
  auto error_of = [](const std::string& path) {
    try {
      read_text_file(path, "expectations file");
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error_of("/dev/zero"),
            "/dev/zero: cannot read the expectations file: not a regular file");
  EXPECT_EQ(error_of(SCENARIO_DIR),
            std::string(SCENARIO_DIR) +
                ": cannot read the expectations file: is a directory, not a file");
  EXPECT_EQ(error_of("/nonexistent/e.txt"),
            "/nonexistent/e.txt: cannot read the expectations file: No such file or directory");
  std::string big = ::testing::TempDir() + "/big.txt";
  {
    std::ofstream out(big);
    out << std::string(kMaxDataFileBytes + 1, '#');
  }
  EXPECT_EQ(error_of(big), big + ": cannot read the expectations file: larger than 1 MiB");
  EXPECT_EQ(read_text_file(EXPECTATIONS_FILE, "x").substr(0, 1), "#");
}

TEST(LockWaitText, ProcessStatesNameTheLockWaitedFor) {
  EXPECT_EQ(lock_wait_of_process_state("Waiting for table metadata lock"), "table metadata lock");
  EXPECT_EQ(lock_wait_of_process_state("Waiting for table level lock"), "table level lock");
  EXPECT_EQ(lock_wait_of_process_state("Waiting for global read lock"), "global read lock");
  EXPECT_EQ(lock_wait_of_process_state("User lock"), "user lock");
  EXPECT_EQ(lock_wait_of_process_state("Updating"), "");
  EXPECT_EQ(lock_wait_of_process_state("Sending data"), "");
  EXPECT_EQ(lock_wait_of_process_state("Waiting for table flush"), "");
  EXPECT_EQ(lock_wait_of_process_state(""), "");
}

TEST(LockWaitText, InnodbStatusCountsOnlyTheListOfTransactions) {
  const std::string status =
      "------------------------\nLATEST DETECTED DEADLOCK\n------------------------\n"
      "*** (1) TRANSACTION:\nTRANSACTION 90, ACTIVE 0 sec starting index read\n"
      "LOCK WAIT 3 lock struct(s)\nMariaDB thread id 13, OS thread handle 1, query id 7\n"
      "------------\nTRANSACTIONS\n------------\nLIST OF TRANSACTIONS FOR EACH SESSION:\n"
      "---TRANSACTION 95, ACTIVE 1 sec starting index read\n"
      "mysql tables in use 1, locked 1\nLOCK WAIT 2 lock struct(s), heap size 1128\n"
      "MariaDB thread id 21, OS thread handle 2, query id 40 localhost rig Updating\n"
      "---TRANSACTION 94, ACTIVE 1 sec\n2 lock struct(s), heap size 1128\n"
      "MariaDB thread id 13, OS thread handle 3, query id 38 localhost rig\n";
  EXPECT_TRUE(innodb_status_shows_lock_wait(status, 21));
  EXPECT_FALSE(innodb_status_shows_lock_wait(status, 13));  // waited only in the deadlock
  EXPECT_FALSE(innodb_status_shows_lock_wait(status, 2));   // "thread id 21" is not 2
  EXPECT_FALSE(innodb_status_shows_lock_wait(status, 99));
  EXPECT_FALSE(innodb_status_shows_lock_wait("no list here", 21));
}

}  // namespace
}  // namespace isolation
