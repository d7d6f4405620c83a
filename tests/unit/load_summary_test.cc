// A load run's figures in their four forms -- the JSON record, the metrics
// record, the text under the test's line, the CSV -- written from one
// LoadSummary.
#include "load_summary.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "core/report/run_report.h"
#include "latency_histogram.h"

namespace rig_load {
namespace {

LoadSummary example() {
  LoadSummary s;
  s.workload = "read_write";
  s.threads = 2;
  s.seconds = 2;
  s.start_unix_ms = 1'765'000'000'000;
  s.counts.events = {100, 90, 5, 4, 1};
  s.counts.queries = {700, 200, 180};
  s.counts.retries = 6;
  s.counts.reconnects = 1;
  s.counts.errors = 5;
  s.errors = {{1213, 3}, {1205, 2}};
  for (int i = 0; i < 89; ++i) s.latency.record(1'000'000);
  s.latency.record(12'500'000);
  s.statements = {{"point_selects", {}}, {"commit", {}}};
  s.statements[1].second.record(300'000);
  s.fairness = fairness_of({40, 50});
  s.client_cpu.cpus = 2;
  s.client_cpu.busy_cpus = 0.5;
  s.client_cpu.us_per_event = 80;
  IntervalRow row;
  row.time_s = 1;
  row.seconds = 1;
  row.start_unix_ms = s.start_unix_ms;
  row.threads = 2;
  row.counts.events.succeeded = 45;
  row.latency.p99_ms = 12.5;
  row.histogram.record(12'500'000);
  s.intervals = {row};
  return s;
}

TEST(LoadSummary, TheJsonRecordCarriesEveryFigure) {
  const nlohmann::json json = to_json(example());
  EXPECT_EQ(json["events"]["succeeded"], 90);
  EXPECT_EQ(json["events"]["indeterminate"], 1);
  EXPECT_DOUBLE_EQ(json["tps"].get<double>(), 45);   // succeeded per second
  EXPECT_DOUBLE_EQ(json["qps"].get<double>(), 540);  // (700 + 200 + 180) / 2
  EXPECT_EQ(json["queries"]["total"], 1080);
  EXPECT_EQ(json["errors"], nlohmann::json::parse(R"({"1205": 2, "1213": 3})"));
  EXPECT_DOUBLE_EQ(json["latency"]["p99_ms"].get<double>(), 12.5);
  EXPECT_TRUE(json["statements"].contains("commit"));
  EXPECT_DOUBLE_EQ(json["fairness"]["events_avg"].get<double>(), 45);
  EXPECT_DOUBLE_EQ(json["fairness"]["events_stddev"].get<double>(), 5);
  EXPECT_TRUE(json["client_cpu"]["us_per_query"].is_null());  // none measured
  EXPECT_DOUBLE_EQ(json["client_cpu"]["us_per_event"].get<double>(), 80);
  EXPECT_FALSE(json.contains("intervals"));  // the metrics record has them
}

TEST(LoadSummary, TheMetricsRecordHoldsCountsAndHistogramsInFull) {
  const LoadSummary s = example();
  const nlohmann::json json = nlohmann::json::parse(metrics_of(s).to_json());
  EXPECT_EQ(json["version"], 1);
  EXPECT_EQ(json["start_unix_ms"], s.start_unix_ms);
  EXPECT_EQ(json["throughput"], "events.succeeded");
  EXPECT_EQ(json["counters"]["events.succeeded"], 90);
  EXPECT_EQ(json["counters"]["queries.other"], 180);
  EXPECT_EQ(json["counters"]["errors"], 5);
  EXPECT_EQ(json["errors"], nlohmann::json::parse(R"({"1205": 2, "1213": 3})"));
  EXPECT_EQ(json["histograms"]["event"], nlohmann::json::parse(s.latency.to_json("ns")));
  EXPECT_EQ(json["histograms"]["statement.commit"]["count"], 1);
  EXPECT_EQ(json["histograms"]["statement.point_selects"]["count"], 0);
  const nlohmann::json& intervals = json["intervals"];  // by column
  ASSERT_EQ(intervals["start_unix_ms"].size(), 1u);
  EXPECT_EQ(intervals["start_unix_ms"][0], s.start_unix_ms);
  EXPECT_EQ(intervals["counters"]["events.succeeded"][0], 45);
  EXPECT_EQ(intervals["histograms"]["event"][0]["sub_bucket_bits"], 5);
  EXPECT_EQ(intervals["histograms"]["event"][0]["count"], 1);
}

TEST(LoadSummary, CountsAddAndSubtractEveryField) {
  Counts a = example().counts;
  a.queries_in_failed_attempts = {1, 2, 3};
  Counts twice = a;
  twice += a;
  EXPECT_EQ(twice.events.indeterminate, 2);
  EXPECT_EQ(twice.queries_in_failed_attempts.other, 6);
  EXPECT_EQ(twice.errors, 10);
  const auto counters = [](const Counts& counts) {
    LoadSummary s;
    s.counts = counts;
    return metrics_of(s).counters;
  };
  EXPECT_EQ(counters(twice - a), counters(a));
  EXPECT_NE(counters(twice), counters(a));
}

TEST(LoadSummary, TheTextSaysWhatTheJsonSays) {
  const std::string text = summary_text(example());
  EXPECT_NE(text.find("read_write, 2 thread(s), 2.00 s\n"), std::string::npos) << text;
  EXPECT_NE(text.find("events: 90 succeeded (45.00/s), 5 failed, 4 ignored, 1 indeterminate, "
                      "of 100 attempted"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("errors 5 {\"1205\":2,\"1213\":3}"), std::string::npos) << text;
  // Statements in the workload's order, not alphabetical.
  EXPECT_LT(text.find("point_selects"), text.find("commit")) << text;
  EXPECT_NE(text.find("client: 0.50 of 2 CPUs busy; CPU - per query, 80.00 us per event"),
            std::string::npos)
      << text;
}

TEST(LoadSummary, TheCsvHasAHeaderAndALinePerInterval) {
  const std::string path = ::testing::TempDir() + "load_summary_test.csv";
  write_csv(path, example().intervals);
  std::ifstream in(path);
  std::stringstream csv;
  csv << in.rdbuf();
  std::remove(path.c_str());
  EXPECT_EQ(csv.str(),
            "time_s,threads,tps,qps,reads_per_s,writes_per_s,other_per_s,p50_ms,p90_ms,p95_ms,"
            "p99_ms,p999_ms,max_ms,errors_per_s,reconnects_per_s\n"
            "1.0,2,45.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,12.5,0.0,0.0,0.0,0.0\n");
  EXPECT_THROW(write_csv("/nonexistent-dir/x.csv", {}), std::runtime_error);
}

// The JSON report of a 10-minute run at 64 threads: 600 one-second
// intervals of 2000 events each, latencies log-normal around 20 ms (as
// against a busy TiDB), the event's histogram at three digits and eleven
// statements' at two. The issue's bound is "well under 1 MB".
TEST(LoadSummary, ATenMinuteSixtyFourThreadReportStaysWellUnderOneMegabyte) {
  std::mt19937_64 random(23);
  std::lognormal_distribution<double> event_latency(std::log(20e6), 0.5);
  std::lognormal_distribution<double> statement_latency(std::log(1e6), 0.8);
  LoadSummary s;
  s.workload = "read_write";
  s.threads = 64;
  s.seconds = 600;
  s.start_unix_ms = 1'796'000'000'000;
  const char* kinds[] = {
      "point_selects", "simple_ranges",     "sum_ranges", "order_ranges", "distinct_ranges",
      "index_updates", "non_index_updates", "deletes",    "inserts",      "begin",
      "commit"};
  for (const char* kind : kinds) {
    s.statements.emplace_back(kind, test_rig::Histogram(kStatementLayout));
  }
  for (int second = 0; second < 600; ++second) {
    IntervalRow row;
    row.time_s = second + 1;
    row.seconds = 1;
    row.start_unix_ms = s.start_unix_ms + 1000 * second;
    row.threads = 64;
    test_rig::Histogram fine;
    for (int event = 0; event < 2000; ++event) {
      const uint64_t latency = static_cast<uint64_t>(event_latency(random));
      fine.record(latency);
      for (auto& [kind, histogram] : s.statements) {
        histogram.record(static_cast<uint64_t>(statement_latency(random)));
      }
    }
    row.counts.events = {2000, 2000, 0, 0, 0};
    row.counts.queries = {28000, 8000, 4000};
    row.latency = latency_summary(fine);
    row.histogram = fine.coarsened(test_rig::kCoarse);
    s.latency += fine;
    s.counts += row.counts;
    s.intervals.push_back(std::move(row));
  }
  rig::TestResult result;
  result.plugin = "load";
  result.test = "read_write";
  result.status = rig::TestStatus::kPassed;
  result.details = {{"load", to_json(s)},
                    {"metrics", nlohmann::json::parse(metrics_of(s).to_json())}};
  rig::RunReport report;
  report.results.push_back(result);
  const std::string path = ::testing::TempDir() + "ten_minute_report.json";
  rig::write_json_report(path, report);
  const auto bytes = std::filesystem::file_size(path);
  std::remove(path.c_str());
  EXPECT_LT(bytes, 500'000u);
  std::printf("a 10-minute, 64-thread load report: %ju bytes\n", static_cast<uintmax_t>(bytes));
}

}  // namespace
}  // namespace rig_load
