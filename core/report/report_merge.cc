#include "core/report/report_merge.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "core/base/decimal_text.h"
#include "core/config/core_options.h"
#include "core/report/metrics.h"
#include "test_rig/sdk/small_file.h"

namespace rig {
namespace {

using nlohmann::json;

// A report file is written by test-rig: large for a long run with many
// tests, never this large.
constexpr std::size_t kMaxReportBytes = std::size_t{256} << 20;

// Options that say where a run connects, logs and writes its output, not
// what it does: shards may differ in them. (The sandbox's options all begin
// "run.sandbox".)
bool describes_the_run(const std::string& key) {
  for (const char* prefix : {"database.", "output.", "logging.", keys::kSandbox}) {
    if (key.rfind(prefix, 0) == 0) return false;
  }
  return key != keys::kShard;
}

// Worst first: the status a merged test takes is the worst of its runs'.
int severity(TestStatus status) {
  switch (status) {
    case TestStatus::kFailed: return 4;
    case TestStatus::kCrashed: return 3;
    case TestStatus::kError: return 2;
    case TestStatus::kPassed: return 1;
    case TestStatus::kSkipped: return 0;
  }
  return 2;
}

// "b.json (shard 1/3)", or "b.json".
std::string label(const ReportFile& file) {
  const json& shard = file.report.run.is_object() ? file.report.run.value("shard", json()) : json();
  if (!shard.is_object()) return file.path;
  return file.path + " (shard " + std::to_string(shard.value("index", 0)) + "/" +
         std::to_string(shard.value("count", 0)) + ")";
}

std::set<std::string> test_names(const RunReport& report) {
  std::set<std::string> names;
  for (const TestResult& result : report.results) names.insert(result.name());
  return names;
}

// The first way `file` differs from `first` as a run: "" when they are
// reports of one run's shards, or of runs alike.
std::string difference(const ReportFile& first, const ReportFile& file) {
  const json& a = first.report.run;
  const json& b = file.report.run;
  for (const ReportFile* f : {&first, &file}) {
    if (!f->report.run.is_object()) {
      return f->path + " does not say what ran (a report of schema version 1, written by a " +
             "test-rig before 0.2)";
    }
  }
  const std::string pair = first.path + " and " + file.path;
  if (a.value("test_rig", "") != b.value("test_rig", "")) {
    return pair + " were written by different test-rig versions (" + a.value("test_rig", "") +
           ", " + b.value("test_rig", "") + ")";
  }
  if (a.value("selected", json()) != b.value("selected", json())) {
    return pair + " ran different selections of tests";
  }
  const json options_a = a.value("options", json::object());
  const json options_b = b.value("options", json::object());
  std::set<std::string> keys;
  for (const auto& [key, value] : options_a.items()) keys.insert(key);
  for (const auto& [key, value] : options_b.items()) keys.insert(key);
  for (const std::string& key : keys) {
    if (!describes_the_run(key)) continue;
    const json va = options_a.value(key, json()), vb = options_b.value(key, json());
    if (va != vb) {
      return pair + " ran with different options: " + key + " is " + va.dump() + " in " +
             first.path + ", " + vb.dump() + " in " + file.path;
    }
  }
  const bool sharded_a = a.value("shard", json()).is_object();
  const bool sharded_b = b.value("shard", json()).is_object();
  if (sharded_a != sharded_b) return pair + ": one is a shard of a run, the other is not";
  if (sharded_a && a["shard"].value("count", 0) != b["shard"].value("count", 0)) {
    return pair + " are shards of runs split differently";
  }
  if (!sharded_a && test_names(first.report) != test_names(file.report)) {
    return pair + " hold different tests";
  }
  return "";
}

// Shards 0..N-1, each once, when the reports are shards.
std::string missing_or_repeated_shard(const std::vector<ReportFile>& files) {
  const json& shard = files.front().report.run.value("shard", json());
  if (!shard.is_object()) return "";
  const int count = shard.value("count", 0);
  std::map<int, std::string> seen;
  for (const ReportFile& file : files) {
    const int index = file.report.run["shard"].value("index", -1);
    auto [it, inserted] = seen.emplace(index, file.path);
    if (!inserted) {
      return "shard " + std::to_string(index) + "/" + std::to_string(count) + " is in both " +
             it->second + " and " + file.path;
    }
  }
  for (int index = 0; index < count; ++index) {
    if (!seen.count(index)) {
      return "shard " + std::to_string(index) + "/" + std::to_string(count) +
             " is missing: its figures would be left out of the totals";
    }
  }
  return "";
}

// Errors by code, [{code, count, ...}], added.
json merge_errors(const std::vector<const TestResult*>& runs) {
  std::map<int64_t, json> by_code;
  for (const TestResult* run : runs) {
    for (const json& error : run->errors) {
      const int64_t code = error.value("code", int64_t{0});
      auto [it, inserted] = by_code.emplace(code, error);
      if (!inserted) {
        it->second["count"] =
            it->second.value("count", int64_t{0}) + error.value("count", int64_t{0});
      }
    }
  }
  json merged = json::array();
  for (auto& [code, error] : by_code) merged.push_back(std::move(error));
  return merged;
}

std::vector<CaseResult> merge_cases(const std::vector<const TestResult*>& runs,
                                    const std::vector<std::string>& labels) {
  std::vector<CaseResult> merged;
  std::map<std::string, std::size_t> index;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    for (const CaseResult& c : runs[r]->cases) {
      auto [it, inserted] = index.emplace(c.name, merged.size());
      if (inserted) {
        merged.push_back(c);
        merged.back().message.clear();
      }
      CaseResult& into = merged[it->second];
      if (severity(c.status) > severity(into.status)) into.status = c.status;
      into.duration_s = std::max(into.duration_s, c.duration_s);
      if (!c.message.empty()) {
        into.message += (into.message.empty() ? "" : "; ") + labels[r] + ": " + c.message;
      }
    }
  }
  return merged;
}

// One test's runs, one per report that has it, as one result; notes what
// a reader of the merged figures should know.
TestResult merge_test(const std::vector<const TestResult*>& runs,
                      const std::vector<std::string>& labels, std::vector<std::string>* notes) {
  std::size_t worst = 0;
  for (std::size_t r = 1; r < runs.size(); ++r) {
    if (severity(runs[r]->status) > severity(runs[worst]->status)) worst = r;
  }
  TestResult merged = *runs[worst];
  merged.records.clear();
  merged.message.clear();
  merged.retries = merged.reconnects = 0;
  merged.duration_s = 0;
  merged.breaker_events = json::array();
  json by_run = json::array();
  std::vector<Metrics> metrics;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const TestResult& run = *runs[r];
    if (!run.message.empty()) {
      merged.message += (merged.message.empty() ? "" : "; ") + labels[r] + ": " + run.message;
    }
    merged.retries += run.retries;
    merged.reconnects += run.reconnects;
    merged.duration_s = std::max(merged.duration_s, run.duration_s);
    for (json event : run.breaker_events) {
      event["report"] = labels[r];
      merged.breaker_events.push_back(std::move(event));
    }
    json details = run.details.is_object() ? run.details : json::object();
    if (details.contains("metrics")) {
      try {
        metrics.push_back(parse_metrics(details["metrics"]));
      } catch (const ReportError& e) {
        throw ReportError(labels[r] + ": " + run.name() + ": " + e.what());
      }
      details.erase("metrics");
    }
    json records = json::object();
    for (const auto& [key, value] : run.records) records[key] = value;
    by_run.push_back({{"report", labels[r]},
                      {"status", status_name(run.status)},
                      {"records", records},
                      {"details", details},
                      {"summary_text", run.summary_text}});
  }
  merged.errors = merge_errors(runs);
  merged.cases = merge_cases(runs, labels);
  merged.details = {{"merged_from", by_run}};
  merged.summary_text.clear();
  if (metrics.size() == runs.size()) {
    const Metrics total = merge_metrics(metrics);
    merged.details["metrics"] = json::parse(total.to_json());
    merged.summary_text = metrics_text(total);
    // The rates assume the runs measured side by side.
    int64_t latest_start = 0, earliest_end = INT64_MAX;
    double shortest = total.seconds;
    for (const Metrics& m : metrics) {
      latest_start = std::max(latest_start, m.start_unix_ms);
      earliest_end =
          std::min(earliest_end, m.start_unix_ms + static_cast<int64_t>(m.seconds * 1000));
      shortest = std::min(shortest, m.seconds);
    }
    const double overlap_s = static_cast<double>(earliest_end - latest_start) / 1000;
    if (metrics.size() > 1 && overlap_s < 0.9 * shortest) {
      notes->push_back(merged.name() + ": the runs measured side by side for " +
                       decimal_text(std::max(0.0, overlap_s), 1) + " s of " +
                       decimal_text(shortest, 1) +
                       " s; the merged rates are over the longest window, as if they had");
    }
  } else if (!metrics.empty()) {
    notes->push_back(merged.name() + ": only some of its runs recorded metrics; none are merged");
  }
  return merged;
}

}  // namespace

ReportFile read_report_file(const std::string& path) {
  std::string text, why;
  if (!test_rig::read_small_file(path, kMaxReportBytes, &text, &why)) {
    throw ReportError(path + ": " + why);
  }
  json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) throw ReportError(path + ": not JSON");
  try {
    return {path, parse_json_report(document)};
  } catch (const ReportError& e) {
    throw ReportError(path + ": " + e.what());
  }
}

MergedReport merge_reports(const std::vector<ReportFile>& files, bool force) {
  if (files.empty()) throw ReportError("no reports to merge");
  MergedReport merged;
  std::vector<std::string> problems;
  for (std::size_t i = 1; i < files.size(); ++i) {
    std::string problem = difference(files.front(), files[i]);
    if (!problem.empty()) problems.push_back(std::move(problem));
  }
  if (problems.empty()) {
    std::string problem = missing_or_repeated_shard(files);
    if (!problem.empty()) problems.push_back(std::move(problem));
  }
  if (!problems.empty() && !force) {
    throw ReportError(problems.front() +
                      "; merge the reports of one run's shards, or give --force to merge anyway");
  }
  for (const std::string& problem : problems) merged.notes.push_back("--force: " + problem);

  RunReport& report = merged.report;
  std::vector<std::string> labels;
  std::set<std::string> targets;
  std::set<std::pair<std::string, std::string>> problems_seen;
  json merged_from = json::array();
  json nemeses = json::array();
  report.started_at = files.front().report.started_at;
  for (const ReportFile& file : files) {
    const RunReport& part = file.report;
    labels.push_back(label(file));
    report.started_at = std::min(report.started_at, part.started_at);
    report.duration_s = std::max(report.duration_s, part.duration_s);
    if (!part.target.empty()) targets.insert(part.target);
    for (const LoadProblem& problem : part.load_problems) {
      if (problems_seen.insert({problem.path, problem.message}).second) {
        report.load_problems.push_back(problem);
      }
    }
    if (!part.aborted.empty()) {
      report.aborted += (report.aborted.empty() ? "" : "; ") + labels.back() + ": " + part.aborted;
    }
    for (const std::string& line : part.leftovers.removed) report.leftovers.removed.push_back(line);
    for (const std::string& line : part.leftovers.unjudged) {
      report.leftovers.unjudged.push_back(line);
    }
    if (!part.nemesis.is_null()) {
      nemeses.push_back({{"report", labels.back()}, {"nemesis", part.nemesis}});
    }
    merged_from.push_back(
        {{"report", file.path},
         {"shard", part.run.is_object() ? part.run.value("shard", json()) : json()}});
  }
  for (const std::string& target : targets) {
    report.target += (report.target.empty() ? "" : ", ") + target;
  }
  if (nemeses.size() == 1) report.nemesis = nemeses[0]["nemesis"];
  if (nemeses.size() > 1) report.nemesis = {{"by_report", nemeses}};
  report.run = files.front().report.run.is_object() ? files.front().report.run : json::object();
  report.run["shard"] = nullptr;
  report.run["merged_from"] = merged_from;

  // Tests in the order they first appear.
  std::vector<std::string> order;
  std::map<std::string, std::vector<std::pair<const TestResult*, std::string>>> runs;
  for (std::size_t f = 0; f < files.size(); ++f) {
    for (const TestResult& result : files[f].report.results) {
      auto& list = runs[result.name()];
      if (list.empty()) order.push_back(result.name());
      list.emplace_back(&result, labels[f]);
    }
  }
  for (const std::string& name : order) {
    std::vector<const TestResult*> results;
    std::vector<std::string> result_labels;
    for (const auto& [result, file_label] : runs[name]) {
      results.push_back(result);
      result_labels.push_back(file_label);
    }
    report.results.push_back(merge_test(results, result_labels, &merged.notes));
  }
  return merged;
}

}  // namespace rig
