// The isolation plugin's data formats: scenarios and the expectations table.
#include <gtest/gtest.h>

#include <filesystem>

#include "expectations.h"
#include "scenario.h"

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

TEST(Expectations, LooksUpCellsAndJudges) {
  Expectations table = Expectations::parse(
      "e.txt", "# c\nscenarios: g0 p4\nmariadb-si-off repeatable-read rollback anomaly\n");
  EXPECT_EQ(table.find("mariadb-si-off", "repeatable-read", "p4"), Expected::kAnomaly);
  EXPECT_EQ(table.find("mariadb-si-on", "repeatable-read", "p4"), Expected::kUnknown);
  EXPECT_TRUE(satisfies(Outcome::kAvoid, Expected::kPrevented));
  EXPECT_TRUE(satisfies(Outcome::kRollback, Expected::kPrevented));
  EXPECT_FALSE(satisfies(Outcome::kAnomaly, Expected::kPrevented));
  EXPECT_FALSE(satisfies(Outcome::kAnomaly, Expected::kUnknown));
  EXPECT_THROW(Expectations::parse("e.txt", "scenarios: g0\nmysql read-committed maybe\n"),
               ScenarioError);
  EXPECT_THROW(Expectations::parse("e.txt", "mysql read-committed avoid\n"), ScenarioError);
}

TEST(Expectations, ShippedTableCoversEveryServerProfile) {
  Expectations table = Expectations::load(EXPECTATIONS_FILE);
  for (const char* profile : {"mysql", "mariadb-si-off", "mariadb-si-on"}) {
    for (const char* level :
         {"read-uncommitted", "read-committed", "repeatable-read", "serializable"}) {
      EXPECT_NE(table.find(profile, level, "g2-fekete"), Expected::kUnknown)
          << profile << " " << level;
    }
  }
  EXPECT_EQ(table.find("mariadb-si-on", "repeatable-read", "p4"), Expected::kRollback);
  EXPECT_EQ(table.find("mariadb-si-off", "repeatable-read", "p4"), Expected::kAnomaly);
  EXPECT_NE(table.find("tidb-optimistic", "repeatable-read", "g0"), Expected::kUnknown);
}

}  // namespace
}  // namespace isolation
