// A load run's figures in their three forms -- the JSON record, the text
// under the test's line, the CSV -- written from one LoadSummary.
#include "load_summary.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace rig_load {
namespace {

LoadSummary example() {
  LoadSummary s;
  s.workload = "read_write";
  s.threads = 2;
  s.seconds = 2;
  s.events = {100, 90, 5, 4, 1};
  s.queries = {700, 200, 180};
  s.retries = 6;
  s.reconnects = 1;
  s.errors = {{1213, 3}, {1205, 2}};
  s.latency.count = 90;
  s.latency.p99_ms = 12.5;
  s.statements = {{"point_selects", {}}, {"commit", {}}};
  s.fairness = fairness_of({40, 50});
  s.client_cpu.cpus = 2;
  s.client_cpu.busy_cpus = 0.5;
  s.client_cpu.us_per_event = 80;
  IntervalRow row;
  row.time_s = 1;
  row.threads = 2;
  row.tps = 45;
  row.latency.p99_ms = 12.5;
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
  ASSERT_EQ(json["intervals"].size(), 1u);
  EXPECT_EQ(json["intervals"][0]["threads"], 2);
  EXPECT_DOUBLE_EQ(json["intervals"][0]["tps"].get<double>(), 45);
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

}  // namespace
}  // namespace rig_load
