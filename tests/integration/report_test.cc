// `test-rig report merge` and `report compare` on the reports of real load
// runs against the sandbox: counts and histogram buckets add up exactly, a
// failed run fails the merged test and is named, reports of different runs
// are refused unless forced; a throughput drop beyond its limit is a
// regression (exit 1); bad input is one line and exit code 2.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <iterator>
#include <set>
#include <sstream>

#include <unistd.h>

#include "plugins/common/shard_meeting.h"
#include "test_rig/sdk/histogram.h"
#include "tests/integration/rig_process.h"

namespace rig::testing {
namespace {

using nlohmann::json;

std::string table_prefix() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  return "rm" + std::to_string(std::hash<std::string>()(info->name()) % 100000000) + "_";
}

// Runs load/read_write briefly; returns its JSON report's path.
std::string load_report(const std::string& name, std::vector<std::string> extra = {}) {
  const std::string report = temp_path(name);
  std::vector<std::string> args = {"--config",
                                   sandbox_config(),
                                   "--report-json",
                                   report,
                                   "run",
                                   "load/read_write",
                                   "--load.table-prefix",
                                   table_prefix(),
                                   "--load.threads",
                                   "2",
                                   "--load.time",
                                   "0.8",
                                   "--load.table-size",
                                   "300",
                                   "--load.report-interval",
                                   "0.2"};
  args.insert(args.end(), extra.begin(), extra.end());
  const RigRun run = run_rig(args);
  EXPECT_NE(run.exit_code, 2) << run.out << run.err;
  return report;
}

// The test oracle for a histogram record: its buckets, read without
// test-rig's reader.
test_rig::Histogram buckets_of(const json& record) {
  test_rig::Histogram h{test_rig::HistogramLayout(record["sub_bucket_bits"].get<int>())};
  for (const json& run : record["buckets"]) {
    for (std::size_t i = 1; i < run.size(); ++i) {
      h.add_count(run[0].get<std::size_t>() + i - 1, run[i].get<uint64_t>());
    }
  }
  return h;
}

const json& metrics_of(const json& report) { return report["tests"][0]["details"]["metrics"]; }

TEST(Reports, TwoLoadRunsMergeIntoTheirSumsBucketByBucket) {
  const std::string a = load_report("a.json"), b = load_report("b.json");
  const std::string all = temp_path("all.json"), junit = temp_path("all.xml");
  const RigRun merge = run_rig({"report", "merge", a, b, "--report-json", all, "--junit", junit});
  ASSERT_EQ(merge.exit_code, 0) << merge.out << merge.err;
  EXPECT_NE(merge.out.find("merged from 2 runs"), std::string::npos) << merge.out;
  // The runs came one after the other, and the merge says so.
  EXPECT_NE(merge.err.find("load/read_write: the runs measured side by side for 0.0 s"),
            std::string::npos)
      << merge.err;
  const json ra = read_json(a), rb = read_json(b), merged = read_json(all);
  const json& m = metrics_of(merged);
  EXPECT_EQ(m["shards"], 2);
  EXPECT_EQ(m["threads"], 4);
  ASSERT_GT(metrics_of(ra)["counters"]["events.succeeded"].get<int64_t>(), 0);
  for (const auto& [name, value] : m["counters"].items()) {
    EXPECT_EQ(value.get<int64_t>(), metrics_of(ra)["counters"][name].get<int64_t>() +
                                        metrics_of(rb)["counters"][name].get<int64_t>())
        << name;
  }
  ASSERT_EQ(m["histograms"].size(), 12u);  // the event and 11 statements
  for (const auto& [name, record] : m["histograms"].items()) {
    test_rig::Histogram expected = buckets_of(metrics_of(ra)["histograms"][name]);
    expected += buckets_of(metrics_of(rb)["histograms"][name]);
    const test_rig::Histogram got = buckets_of(record);
    EXPECT_EQ(got.counts(), expected.counts()) << name;
    EXPECT_EQ(record["count"].get<uint64_t>(), expected.count()) << name;
  }
  // Both runs' intervals, one after the other on the wall clock.
  EXPECT_EQ(m["intervals"]["start_unix_ms"].size(),
            metrics_of(ra)["intervals"]["start_unix_ms"].size() +
                metrics_of(rb)["intervals"]["start_unix_ms"].size());
  EXPECT_EQ(merged["tests"][0]["status"], "passed");
  EXPECT_EQ(merged["run"]["merged_from"].size(), 2u);
  EXPECT_NE(read_file(junit).find("name=\"read_write\""), std::string::npos) << read_file(junit);
}

TEST(Reports, AFailedRunFailsTheMergeAndDifferentOptionsNeedForce) {
  const std::string good = load_report("good.json");
  const std::string broken = load_report("broken.json", {"--load.sabotage"});
  ASSERT_EQ(read_json(broken)["tests"][0]["status"], "failed");
  const RigRun refused = run_rig({"report", "merge", good, broken});
  EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("ran with different options: plugins.load.sabotage is false in " +
                             good + ", true in " + broken),
            std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("or give --force"), std::string::npos) << refused.err;

  const std::string all = temp_path("all.json");
  const RigRun forced = run_rig({"report", "merge", good, broken, "--force", "--report-json", all});
  EXPECT_EQ(forced.exit_code, 1) << forced.out << forced.err;
  const json test = read_json(all)["tests"][0];
  EXPECT_EQ(test["status"], "failed");
  EXPECT_EQ(test["message"].get<std::string>().rfind(broken + ": ", 0), 0u) << test["message"];
}

TEST(Reports, CompareFindsAThroughputDropAndNothingAgainstTheSameRun) {
  const std::string before = load_report("before.json", {"--load.time", "1.6"});
  const std::string after = load_report("after.json", {"--load.time", "1.6", "--load.rate", "20"});
  const RigRun dropped =
      run_rig({"report", "compare", before, after, "--max-throughput-drop", "5%"});
  EXPECT_EQ(dropped.exit_code, 1) << dropped.out << dropped.err;
  EXPECT_NE(dropped.out.find("load/read_write: passed -> passed"), std::string::npos)
      << dropped.out;
  EXPECT_NE(dropped.out.find("REGRESSION (--max-throughput-drop 5.0 %)"), std::string::npos)
      << dropped.out;
  EXPECT_NE(dropped.out.find("1 regression(s):"), std::string::npos) << dropped.out;
  const RigRun same = run_rig({"report", "compare", before, before, "--max-throughput-drop", "5%",
                               "--max-p99-rise", "10%"});
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
  EXPECT_NE(same.out.find("no regressions"), std::string::npos) << same.out;
}

// The words of each line of `text`.
std::vector<std::vector<std::string>> rows_of(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    rows.emplace_back(std::istream_iterator<std::string>(words),
                      std::istream_iterator<std::string>());
  }
  return rows;
}

TEST(Reports, CompareJudgesAReportAgainstARecordedBaseline) {
  // The isolation matrix, recorded, and the same run judged against it.
  const std::string matrix = temp_path("matrix.txt"), isolation = temp_path("isolation.json");
  RigRun r = run_rig({"--config", sandbox_config(), "--report-json", isolation, "run",
                      "isolation/hermitage", "--isolation.record", matrix});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = run_rig({"report", "compare", matrix, isolation});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("isolation/hermitage: 56 of 56 case(s) as the baseline recorded"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("no regressions"), std::string::npos) << r.out;

  // One recorded cell changed by hand: that cell, and only it, is named.
  std::string text = read_file(matrix), profile, was, now;
  std::size_t column = 0;
  std::string changed;
  for (std::vector<std::string> row : rows_of(text)) {
    if (!row.empty() && row[0] == "scenarios:") {
      column = std::find(row.begin(), row.end(), "g1c") - row.begin() + 1;
    } else if (row.size() > 2 && row[1] == "read-committed" && column > 1) {
      profile = row[0];
      was = row[column];
      now = row[column] == "anomaly" ? "avoid" : "anomaly";
      row[column] = now;
    }
    for (const std::string& word : row) changed += word + " ";
    changed += "\n";
  }
  ASSERT_FALSE(profile.empty()) << text;
  write_file(matrix, changed);
  r = run_rig({"report", "compare", matrix, isolation});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const std::string line =
      "case " + profile + "/read-committed/g1c: recorded " + now + ", observed " + was + "\n";
  EXPECT_NE(r.out.find("isolation/hermitage: 55 of 56 case(s)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  " + line), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 regression(s):"), std::string::npos) << r.out;

  // A consistency model, recorded; then a run with dirty reads judged by a
  // row that says read committed was kept.
  const std::string models = temp_path("models.txt"), dirty = temp_path("dirty.json");
  const std::string out_dir = temp_path("out");
  r = run_rig({"--config", sandbox_config(), "--report-json", dirty, "run",
               "consistency/list-append", "--consistency.isolation", "read-uncommitted",
               "--consistency.transactions", "2000", "--consistency.out-dir", out_dir,
               "--consistency.record-model", models});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  r = run_rig({"report", "compare", models, dirty});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("consistency/list-append: 1 of 1 case(s) as the baseline recorded"),
            std::string::npos)
      << r.out;
  const std::string recorded = read_file(models);
  const std::string row = rows_of(recorded).back()[0] + " read-uncommitted read-committed\n";
  write_file(models, row);
  r = run_rig({"report", "compare", models, dirty});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("read-uncommitted: recorded read-committed; found "), std::string::npos)
      << r.out;
  EXPECT_TRUE(r.out.find("G1a (") != std::string::npos || r.out.find("G1b (") != std::string::npos)
      << r.out;

  // A baseline of another test's kind, and a file that is neither.
  r = run_rig({"report", "compare", models, isolation});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("is neither a JSON report nor a baseline that a test of the report after "
                       "records"),
            std::string::npos)
      << r.err;
}

TEST(Reports, ShardsRunDisjointTestsAndMergeIntoTheWholeSelection) {
  std::vector<std::string> reports;
  std::set<std::string> seen;
  for (const char* shard : {"0/3", "1/3", "2/3"}) {
    reports.push_back(temp_path(std::string("shard-") + shard[0] + ".json"));
    const RigRun run =
        run_rig({"--config", sandbox_config(), "--report-json", reports.back(), "run", "connection",
                 "txn/select-for-update", "--shard", shard, "--run-id", "disjoint"});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    const json report = read_json(reports.back());
    EXPECT_EQ(report["run"]["shard"]["count"], 3);
    EXPECT_EQ(report["run"]["selected"].size(), 3u);
    ASSERT_EQ(report["tests"].size(), 1u) << shard;  // three tests over three shards
    EXPECT_TRUE(seen.insert(report["tests"][0]["name"].get<std::string>()).second) << shard;
  }
  const std::string all = temp_path("all.json");
  const RigRun merge = run_rig({"report", "merge", reports[0], reports[1], "--report-json", all});
  EXPECT_EQ(merge.exit_code, 2) << merge.out << merge.err;
  EXPECT_NE(merge.err.find("shard 2/3 is missing"), std::string::npos) << merge.err;
  const RigRun whole =
      run_rig({"report", "merge", reports[0], reports[1], reports[2], "--report-json", all});
  ASSERT_EQ(whole.exit_code, 0) << whole.out << whole.err;
  const json merged = read_json(all);
  std::set<std::string> names;
  for (const json& test : merged["tests"]) names.insert(test["name"].get<std::string>());
  EXPECT_EQ(names, seen);
  EXPECT_EQ(names.size(), 3u);
  const RigRun bad = run_rig({"run", "connection", "--shard", "3/3", "--run-id", "x"});
  EXPECT_EQ(bad.exit_code, 2) << bad.out << bad.err;
  EXPECT_NE(bad.err.find("--shard 3/3: give I/N with 0 <= I < N"), std::string::npos) << bad.err;
  const RigRun no_id = run_rig({"run", "connection", "--shard", "0/3"});
  EXPECT_EQ(no_id.exit_code, 2) << no_id.out << no_id.err;
  EXPECT_NE(no_id.err.find("--shard needs --run-id ID"), std::string::npos) << no_id.err;

  // Shards of another run (another --run-id) are not this run's to merge.
  const std::string other = temp_path("other-run.json");
  ASSERT_EQ(run_rig({"--config", sandbox_config(), "--report-json", other, "run", "connection",
                     "txn/select-for-update", "--shard", "2/3", "--run-id", "another"})
                .exit_code,
            0);
  const RigRun mixed =
      run_rig({"report", "merge", reports[0], reports[1], other, "--report-json", all});
  EXPECT_EQ(mixed.exit_code, 2) << mixed.out << mixed.err;
  EXPECT_NE(mixed.err.find("are shards of different runs (--run-id \"disjoint\" and \"another\")"),
            std::string::npos)
      << mixed.err;
}

// A table of the meeting's name that this run did not make -- a user's, or
// another tool's -- is refused, and neither used nor dropped.
TEST(Reports, AShardMeetingTableThatExistsIsLeftAloneAndTheShardErrs) {
  const std::string run_id = "decoy-" + std::to_string(::getpid());
  const std::string table = rig_plugins::ShardMeeting::table_for(run_id, "load/read_write");
  ASSERT_EQ(sandbox_sql("CREATE TABLE " + table + " (note TEXT); INSERT INTO " + table +
                        " VALUES ('the user''s')"),
            "");
  const std::string report = temp_path("decoy-meeting.json");
  const RigRun r =
      run_rig({"--config", sandbox_config(), "--report-json", report, "run", "load/read_write",
               "--shard", "0/2", "--run-id", run_id, "--load.threads", "2", "--load.time", "1",
               "--load.table-prefix", "decoy_meeting"});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(read_json(report)["tests"][0]["message"].get<std::string>().find(
                "table " + table + ", where the shards of --run-id '" + run_id +
                "' meet, exists already"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(sandbox_sql("SELECT note FROM " + table), "the user's\n");
  sandbox_sql("DROP TABLE " + table);  // this test's decoy
}

TEST(Reports, BadInputToMergeIsOneLineAndExitCodeTwo) {
  const std::string not_json = temp_path("not.json");
  write_file(not_json, "{ half");
  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  for (const Case& c : std::vector<Case>{
           {{"report", "merge", temp_path("missing.json")}, "missing.json: No such file"},
           {{"report", "merge", not_json}, "not.json: not JSON"},
           {{"report", "merge", "/dev/zero"}, "/dev/zero: not a regular file"},
           {{"report", "merge"}, "name the reports to merge"},
           {{"report", "squash", not_json}, "usage: test-rig report merge"},
           {{"report", "compare", not_json}, "name the report before and the report after"},
           {{"report", "compare", not_json, not_json, "--max-p99-rise", "abc"},
            "--max-p99-rise abc: give a percentage such as 5%"},
           {{"report", "compare", not_json, not_json}, "not.json: not JSON"},
           {{"report", "html", not_json}, "report html: " + not_json + ": not JSON"},
           {{"report", "html"}, "usage: test-rig report html REPORT.json"},
       }) {
    const RigRun r = run_rig(c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args[1] << r.out << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

}  // namespace
}  // namespace rig::testing
