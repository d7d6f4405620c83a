// Metrics records and `report merge`: what the SDK writes is read back
// whole; shards add up exactly (counts, buckets, percentiles from the
// added buckets, intervals by wall-clock); statuses combine naming the
// shard; reports of different runs are refused unless forced.
#include "core/report/report_merge.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "core/report/metrics.h"
#include "core/run/shard.h"

namespace rig {
namespace {

using nlohmann::json;
using test_rig::Histogram;

constexpr int64_t kStart = 1'796'000'000'000;

// A shard's metrics: `values` latencies, one interval a second from
// `start_ms`.
Metrics shard_metrics(int64_t start_ms, const std::vector<uint64_t>& values, int intervals) {
  Metrics m;
  m.start_unix_ms = start_ms;
  m.seconds = intervals;
  m.threads = 2;
  m.throughput = "events.succeeded";
  m.counters["events.succeeded"] = static_cast<int64_t>(values.size());
  m.errors["1213"] = 1;
  Histogram& h = m.histograms["event"].histogram;
  m.histograms["event"].unit = "ns";
  for (uint64_t v : values) h.record(v);
  for (int i = 0; i < intervals; ++i) {
    test_rig::MetricsInterval interval;
    interval.start_unix_ms = start_ms + 1000 * i;
    interval.seconds = 1;
    interval.threads = 2;
    interval.counters["events.succeeded"] = static_cast<int64_t>(values.size()) / intervals;
    Histogram coarse(test_rig::kCoarse);
    coarse.record(values[static_cast<std::size_t>(i)]);
    interval.histograms["event"] = {"ns", coarse};
    m.intervals.push_back(std::move(interval));
  }
  return m;
}

TEST(Metrics, WhatTheSdkWritesIsReadBackWhole) {
  const Metrics m = shard_metrics(kStart, {1500, 2'000'000, 3'000'000, 70'000'000}, 3);
  const Metrics read = parse_metrics(json::parse(m.to_json()));
  EXPECT_EQ(read.to_json(), m.to_json());
  EXPECT_EQ(read.histograms.at("event").histogram.percentile(99), 70'000'000u);
  ASSERT_EQ(read.intervals.size(), 3u);
  EXPECT_EQ(read.intervals[2].start_unix_ms, kStart + 2000);
  EXPECT_EQ(read.intervals[1].histograms.at("event").histogram.layout(), test_rig::kCoarse);
}

TEST(Metrics, AMalformedRecordIsRefusedSayingWhatIsWrong) {
  const json good = json::parse(shard_metrics(kStart, {1, 2, 3}, 2).to_json());
  const auto refusal = [](json record) {
    try {
      parse_metrics(record);
    } catch (const ReportError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  json later = good;
  later["version"] = 2;
  EXPECT_NE(refusal(later).find("version 2; this test-rig reads version 1"), std::string::npos);
  json miscounted = good;
  miscounted["histograms"]["event"]["count"] = 4;
  EXPECT_NE(refusal(miscounted).find("\"count\" is not the sum of the buckets"), std::string::npos);
  json odd_unit = good;
  odd_unit["histograms"]["event"]["unit"] = "furlongs";
  EXPECT_NE(refusal(odd_unit).find("not one of ns, us, ms, s"), std::string::npos);
  json short_column = good;
  short_column["intervals"]["seconds"] = json::array({1.0});
  EXPECT_NE(refusal(short_column).find("\"seconds\" is not an array of 2 values"),
            std::string::npos);
  json past_the_end = good;
  past_the_end["histograms"]["event"]["buckets"] = json::parse("[[99999999, 1]]");
  EXPECT_NE(refusal(past_the_end).find("past the last bucket"), std::string::npos);
  past_the_end["histograms"]["event"]["buckets"] = json::parse("[[18446744073709551615, 1]]");
  EXPECT_NE(refusal(past_the_end).find("past the last bucket"), std::string::npos);
  EXPECT_EQ(refusal(good), "accepted");
}

TEST(Metrics, ShardsAddUpAndPercentilesComeFromTheAddedBuckets) {
  std::mt19937_64 random(17);
  std::lognormal_distribution<double> latency(std::log(4e6), 0.7);
  std::vector<uint64_t> all;
  std::vector<Metrics> shards;
  for (int s = 0; s < 3; ++s) {
    std::vector<uint64_t> values;
    for (int i = 0; i < 5000 * (s + 1); ++i)
      values.push_back(static_cast<uint64_t>(latency(random)));
    all.insert(all.end(), values.begin(), values.end());
    shards.push_back(shard_metrics(kStart + 40 * s, values, 3));
  }
  const Metrics merged = merge_metrics(shards);
  EXPECT_EQ(merged.shards, 3);
  EXPECT_EQ(merged.threads, 6);
  EXPECT_EQ(merged.counters.at("events.succeeded"), 30000);
  EXPECT_EQ(merged.errors.at("1213"), 3);
  EXPECT_EQ(merged.start_unix_ms, kStart);
  Histogram expected;
  for (uint64_t v : all) expected.record(v);
  const Histogram& got = merged.histograms.at("event").histogram;
  EXPECT_EQ(got.counts(), expected.counts());
  for (double p : {50.0, 95.0, 99.0, 99.9}) EXPECT_EQ(got.percentile(p), expected.percentile(p));
  // The p99 of the raw values is within the bucket the merged p99 tops.
  std::sort(all.begin(), all.end());
  const uint64_t raw_p99 = all[static_cast<std::size_t>(std::ceil(0.99 * all.size())) - 1];
  EXPECT_GE(got.percentile(99), raw_p99);
  EXPECT_LE(static_cast<double>(got.percentile(99) - raw_p99), raw_p99 / 1024.0 + 1);
}

TEST(Metrics, IntervalsLineUpByWallClockTime) {
  // Shards 0 and 1 started 480 ms apart: their intervals share slots. Shard
  // 2 started 1 s after shard 0: its intervals are one slot later.
  const Metrics merged =
      merge_metrics({shard_metrics(kStart, {1, 2}, 2), shard_metrics(kStart + 480, {3, 4}, 2),
                     shard_metrics(kStart + 1000, {5, 6}, 2)});
  ASSERT_EQ(merged.intervals.size(), 3u);
  EXPECT_EQ(merged.intervals[0].start_unix_ms, kStart);
  EXPECT_EQ(merged.intervals[0].threads, 4);
  EXPECT_EQ(merged.intervals[1].threads, 6);
  EXPECT_EQ(merged.intervals[2].threads, 2);
  EXPECT_EQ(merged.intervals[1].histograms.at("event").histogram.count(), 3u);
  EXPECT_EQ(merged.intervals[1].counters.at("events.succeeded"), 3);
}

// A report of one load test, as `test-rig run` writes it.
ReportFile report(const std::string& path, TestStatus status, const Metrics& metrics,
                  json shard = nullptr) {
  ReportFile file;
  file.path = path;
  file.report.started_at = "2026-12-06T10:00:0" + std::to_string(path.size() % 10) + "Z";
  file.report.target = "rig@db:4000";
  file.report.run = {{"test_rig", "0.1.0"},
                     {"selected", {"load/read_write"}},
                     {"options", {{"plugins.load.threads", 2}, {"output.report_json", path}}},
                     {"shard", shard}};
  TestResult result;
  result.plugin = "load";
  result.test = "read_write";
  result.status = status;
  result.message = status == TestStatus::kFailed ? "table check: 3 rows missing" : "";
  result.details = {{"metrics", json::parse(metrics.to_json())}, {"load", {{"tps", 1}}}};
  result.errors = json::array({{{"code", 1213}, {"count", 2}}});
  file.report.results.push_back(std::move(result));
  return file;
}

json shard(int index, int count) { return {{"index", index}, {"count", count}}; }

TEST(ReportMerge, AFailedShardFailsTheTestAndIsNamed) {
  const Metrics m = shard_metrics(kStart, {1000, 2000}, 2);
  const MergedReport merged = merge_reports({report("a.json", TestStatus::kPassed, m, shard(0, 2)),
                                             report("b.json", TestStatus::kFailed, m, shard(1, 2))},
                                            false);
  ASSERT_EQ(merged.report.results.size(), 1u);
  const TestResult& test = merged.report.results[0];
  EXPECT_EQ(test.status, TestStatus::kFailed);
  EXPECT_EQ(test.message, "b.json (shard 1/2): table check: 3 rows missing");
  EXPECT_EQ(merged.report.exit_code(), kExitFailed);
  EXPECT_EQ(test.errors[0]["count"], 4);
  EXPECT_EQ(test.details["metrics"]["counters"]["events.succeeded"], 4);
  EXPECT_EQ(test.details["metrics"]["shards"], 2);
  // What cannot be added is kept by report.
  EXPECT_EQ(test.details["merged_from"][1]["details"]["load"]["tps"], 1);
  EXPECT_EQ(merged.report.run["merged_from"].size(), 2u);
  EXPECT_TRUE(merged.notes.empty());
}

TEST(ReportMerge, ReportsOfDifferentRunsAreRefusedUnlessForced) {
  const Metrics m = shard_metrics(kStart, {1000, 2000}, 2);
  ReportFile other = report("b.json", TestStatus::kPassed, m);
  other.report.run["options"]["plugins.load.threads"] = 8;
  const std::vector<ReportFile> files = {report("a.json", TestStatus::kPassed, m), other};
  try {
    merge_reports(files, false);
    FAIL() << "merged reports of different runs";
  } catch (const ReportError& e) {
    EXPECT_EQ(std::string(e.what()),
              "a.json and b.json ran with different options: plugins.load.threads is 2 in "
              "a.json, 8 in b.json; merge the reports of one run's shards, or give --force to "
              "merge anyway");
  }
  const MergedReport forced = merge_reports(files, true);
  ASSERT_EQ(forced.notes.size(), 1u);
  EXPECT_EQ(forced.notes[0].rfind("--force: a.json and b.json ran with different options", 0), 0u);
  EXPECT_EQ(forced.report.results[0].details["metrics"]["counters"]["events.succeeded"], 4);
}

TEST(ReportMerge, WhereARunConnectedOrWroteIsNoDifference) {
  const Metrics m = shard_metrics(kStart, {1000}, 1);
  ReportFile b = report("b.json", TestStatus::kPassed, m);
  b.report.run["options"]["database.host"] = "tidb-2:4000";
  b.report.run["options"]["logging.level"] = "debug";
  b.report.run["options"]["run.sandbox"] = "mariadb";
  b.report.run["options"]["run.sandbox_nodes"] = 3;
  EXPECT_NO_THROW(merge_reports({report("a.json", TestStatus::kPassed, m), b}, false));
  b.report.run["options"]["run.state_timeout"] = 60;  // what the run does
  EXPECT_THROW(merge_reports({report("a.json", TestStatus::kPassed, m), b}, false), ReportError);
}

TEST(ReportMerge, EveryShardOnceOrNothing) {
  const Metrics m = shard_metrics(kStart, {1000}, 1);
  const auto why = [&](std::vector<ReportFile> files) {
    try {
      merge_reports(files, false);
    } catch (const ReportError& e) {
      return std::string(e.what());
    }
    return std::string("merged");
  };
  EXPECT_NE(why({report("a.json", TestStatus::kPassed, m, shard(0, 3)),
                 report("b.json", TestStatus::kPassed, m, shard(2, 3))})
                .find("shard 1/3 is missing"),
            std::string::npos);
  EXPECT_NE(why({report("a.json", TestStatus::kPassed, m, shard(0, 2)),
                 report("b.json", TestStatus::kPassed, m, shard(0, 2))})
                .find("shard 0/2 is in both a.json and b.json"),
            std::string::npos);
  EXPECT_NE(why({report("a.json", TestStatus::kPassed, m, shard(0, 2)),
                 report("b.json", TestStatus::kPassed, m)})
                .find("one is a shard of a run, the other is not"),
            std::string::npos);
  ReportFile old = report("old.json", TestStatus::kPassed, m);
  old.report.run = nullptr;
  EXPECT_NE(why({report("a.json", TestStatus::kPassed, m), old}).find("schema version 1"),
            std::string::npos);
  EXPECT_EQ(why({report("a.json", TestStatus::kPassed, m, shard(1, 2)),
                 report("b.json", TestStatus::kPassed, m, shard(0, 2))}),
            "merged");
}

TEST(ReportMerge, AWrittenReportReadsBackAsItWas) {
  const std::string path = ::testing::TempDir() + "report_merge_test.json";
  const ReportFile original =
      report(path, TestStatus::kFailed, shard_metrics(kStart, {1000, 5000}, 2), shard(0, 1));
  write_json_report(path, original.report);
  const ReportFile read = read_report_file(path);
  EXPECT_EQ(read.report.run, original.report.run);
  ASSERT_EQ(read.report.results.size(), 1u);
  EXPECT_EQ(json(read.report.results[0]), json(original.report.results[0]));
  // A histogram's buckets take one line, not one per number.
  std::ifstream in(path);
  std::string line;
  bool one_line = false;
  while (std::getline(in, line)) {
    one_line = one_line || line.find("\"buckets\":[[1000,1],[") != std::string::npos;
  }
  EXPECT_TRUE(one_line);
  std::remove(path.c_str());
  EXPECT_THROW(read_report_file(path), ReportError);
}

TEST(Shard, ShardsDealTheSelectionOutDisjointlyAndWholeAndEveryShardRunsADividingTest) {
  for (const char* bad : {"", "1", "3/3", "-1/3", "0/0", "1/2x", "a/2", "0/10001", "1/ 2"}) {
    EXPECT_FALSE(parse_shard(bad)) << bad;
  }
  const std::vector<Shard> shards = {*parse_shard("0/3"), *parse_shard("1/3"), *parse_shard("2/3")};
  // Tests 2 and 5 divide their own work; the other eight are dealt out.
  std::vector<bool> divides(10, false);
  divides[2] = divides[5] = true;
  std::vector<int> runs(10, 0);
  std::vector<std::size_t> dealt_per_shard;
  for (const Shard& shard : shards) {
    std::size_t dealt = 0;
    for (std::size_t test : shard_tests(shard, divides)) {
      ++runs[test];
      dealt += !divides[test];
    }
    dealt_per_shard.push_back(dealt);
  }
  for (std::size_t test = 0; test < 10; ++test) {
    EXPECT_EQ(runs[test], divides[test] ? 3 : 1) << test;
  }
  // Eight dealt tests over three shards: 3, 3, 2, not skewed by the two.
  EXPECT_EQ(dealt_per_shard, (std::vector<std::size_t>{3, 3, 2}));
  EXPECT_EQ(shard_tests(*parse_shard("0/1"), divides).size(), 10u);
}

}  // namespace
}  // namespace rig
