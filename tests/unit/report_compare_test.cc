// `report compare`: figures side by side with their change, changes inside
// the runs' interval-to-interval spread marked as noise and never a
// regression, limits that make a regression, status changes listed.
#include "core/report/report_compare.h"

#include <gtest/gtest.h>

#include "core/report/metrics.h"

namespace rig {
namespace {

using nlohmann::json;

// A load test's report whose intervals ran `per_interval` events each
// (one interval a second), every event taking `latency_ns`.
RunReport report(const std::vector<int64_t>& per_interval, uint64_t latency_ns,
                 TestStatus status = TestStatus::kPassed) {
  Metrics m;
  m.start_unix_ms = 1'796'000'000'000;
  m.seconds = static_cast<double>(per_interval.size());
  m.threads = 4;
  m.throughput = "events.succeeded";
  m.histograms["event"].unit = "ns";
  for (std::size_t i = 0; i < per_interval.size(); ++i) {
    test_rig::MetricsInterval interval;
    interval.start_unix_ms = m.start_unix_ms + 1000 * static_cast<int64_t>(i);
    interval.seconds = 1;
    interval.threads = 4;
    interval.counters["events.succeeded"] = per_interval[i];
    interval.counters["errors"] = 0;
    test_rig::Histogram fine, coarse(test_rig::kCoarse);
    for (int64_t e = 0; e < per_interval[i]; ++e) {
      const uint64_t v = latency_ns + static_cast<uint64_t>(e % 7) * latency_ns / 100;
      fine.record(v);
      coarse.record(v);
    }
    interval.histograms["event"] = {"ns", coarse};
    m.histograms["event"].histogram += fine;
    m.counters["events.succeeded"] += per_interval[i];
    m.intervals.push_back(std::move(interval));
  }
  TestResult result;
  result.plugin = "load";
  result.test = "read_write";
  result.status = status;
  result.details = {{"metrics", json::parse(m.to_json())}};
  RunReport r;
  r.results.push_back(std::move(result));
  return r;
}

TEST(ReportCompare, AThroughputDropBeyondItsLimitAndTheNoiseIsARegression) {
  CompareLimits limits;
  limits.max_throughput_drop = 0.05;
  // Steady runs: 1000/s before, 900/s after, intervals within 1 % of it.
  const Comparison c = compare_reports(report({1000, 1005, 995, 1000}, 2'000'000),
                                       report({900, 905, 895, 900}, 2'000'000), limits);
  ASSERT_EQ(c.regressions.size(), 1u) << c.text;
  EXPECT_NE(c.regressions[0].find("throughput (events.succeeded/s) 1000.000 -> 900.000 (-10.0 %)"),
            std::string::npos)
      << c.regressions[0];
  EXPECT_NE(c.text.find("REGRESSION (--max-throughput-drop 5.0 %)"), std::string::npos) << c.text;
  // Without a limit the drop is shown, and is no regression.
  EXPECT_TRUE(compare_reports(report({1000, 1000}, 2'000'000), report({900, 900}, 2'000'000), {})
                  .regressions.empty());
}

TEST(ReportCompare, AChangeInsideTheIntervalSpreadIsWithinNoise) {
  CompareLimits limits;
  limits.max_throughput_drop = 0.05;
  // Runs that swing by hundreds a second: a 10 % lower mean says nothing.
  const Comparison c = compare_reports(report({1400, 600, 1300, 700}, 2'000'000),
                                       report({1300, 500, 1200, 600}, 2'000'000), limits);
  EXPECT_TRUE(c.regressions.empty()) << c.text;
  EXPECT_NE(c.text.find("-10.0 %  within noise"), std::string::npos) << c.text;
}

TEST(ReportCompare, AP99RiseBeyondItsLimitIsARegression) {
  CompareLimits limits;
  limits.max_p99_rise = 0.10;
  const Comparison c = compare_reports(report({500, 500, 500}, 2'000'000),
                                       report({500, 500, 500}, 3'000'000), limits);
  ASSERT_EQ(c.regressions.size(), 1u) << c.text;
  EXPECT_NE(c.regressions[0].find("event p99 (ms)"), std::string::npos) << c.regressions[0];
}

TEST(ReportCompare, StatusChangesAreListedAndABreakIsARegression) {
  RunReport before = report({10}, 1000), after = report({10}, 1000, TestStatus::kFailed);
  after.results[0].message = "table check: 3 rows missing";
  before.results[0].cases = {{"G1c/read-committed", TestStatus::kPassed, "", 0},
                             {"G2/serializable", TestStatus::kSkipped, "", 0}};
  after.results[0].cases = {{"G1c/read-committed", TestStatus::kFailed, "cycle", 0},
                            {"G2/serializable", TestStatus::kPassed, "", 0}};
  const Comparison c = compare_reports(before, after, {});
  EXPECT_NE(c.text.find("load/read_write: passed -> failed  CHANGED"), std::string::npos) << c.text;
  EXPECT_NE(c.text.find("case G1c/read-committed: passed -> failed"), std::string::npos) << c.text;
  EXPECT_NE(c.text.find("case G2/serializable: skipped -> passed"), std::string::npos) << c.text;
  ASSERT_EQ(c.regressions.size(), 2u) << c.text;
  EXPECT_EQ(c.regressions[0], "load/read_write: passed -> failed: table check: 3 rows missing");
  EXPECT_EQ(c.regressions[1], "load/read_write: case G1c/read-committed: passed -> failed");
  // A report compared with itself has nothing to say against it.
  EXPECT_TRUE(compare_reports(after, after, {}).regressions.empty());
}

TEST(ReportCompare, ABaselinesChangedCasesAreRegressionsAndUnjudgedTestsAreNamed) {
  const std::vector<BaselineJudgement> judged = {
      {"isolation/hermitage",
       {{"p/read-committed/g0", TestStatus::kPassed, "recorded rollback, observed rollback", 0},
        {"p/read-committed/g1c", TestStatus::kFailed, "recorded avoid, observed anomaly", 0}},
       ""},
      {"consistency/bank",
       {{"p/serializable", TestStatus::kPassed, "recorded serializable", 0}},
       "a note from the judge"}};
  const Comparison c = compare_to_baseline(judged, {"load/insert"});
  EXPECT_NE(c.text.find("isolation/hermitage: 1 of 2 case(s) as the baseline recorded\n"
                        "  case p/read-committed/g1c: recorded avoid, observed anomaly\n"),
            std::string::npos)
      << c.text;
  EXPECT_NE(c.text.find("consistency/bank: 1 of 1 case(s) as the baseline recorded\n"
                        "  a note from the judge\n"),
            std::string::npos)
      << c.text;
  EXPECT_NE(c.text.find("not judged (they record no such baseline): load/insert"),
            std::string::npos)
      << c.text;
  ASSERT_EQ(c.regressions.size(), 1u) << c.text;
  EXPECT_EQ(c.regressions[0],
            "isolation/hermitage: case p/read-committed/g1c: recorded avoid, observed anomaly");
  // A judge's error in one case is news of its own status, also a regression.
  const Comparison errored =
      compare_to_baseline({{"t/x", {{"a", TestStatus::kError, "unreadable cell", 0}}, ""}}, {});
  ASSERT_EQ(errored.regressions.size(), 1u);
  EXPECT_EQ(errored.regressions[0], "t/x: case a: error: unreadable cell");
}

TEST(ReportCompare, LimitsReadAsPercentages) {
  EXPECT_DOUBLE_EQ(*parse_percent("5%"), 0.05);
  EXPECT_DOUBLE_EQ(*parse_percent("12.5 %"), 0.125);
  EXPECT_DOUBLE_EQ(*parse_percent("10"), 0.10);
  EXPECT_FALSE(parse_percent("abc"));
  EXPECT_FALSE(parse_percent("-5%"));
  EXPECT_FALSE(parse_percent("%"));
}

}  // namespace
}  // namespace rig
