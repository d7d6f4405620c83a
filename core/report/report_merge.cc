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
// "run.sandbox".) The shard and its run id are checked on their own.
bool describes_the_run(const std::string& key) {
  for (const char* prefix : {"database.", "output.", "logging.", keys::kSandbox}) {
    if (key.rfind(prefix, 0) == 0) return false;
  }
  return key != keys::kShard && key != keys::kRunId;
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

// The report's {"index", "count"}, or null when it is no shard's.
json shard_of(const RunReport& report) {
  return report.run.is_object() ? report.run.value("shard", json()) : json();
}

// Appends "LABEL: TEXT" to a "; "-separated list.
void append_named(std::string* list, const std::string& label, const std::string& text) {
  *list += (list->empty() ? "" : "; ") + label + ": " + text;
}

// A test's run in one report, and that report's label.
struct LabelledRun {
  const TestResult* result;
  std::string label;
};

// "b.json (shard 1/3)", or "b.json".
std::string label(const ReportFile& file) {
  const json shard = shard_of(file.report);
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
  const bool sharded_a = shard_of(first.report).is_object();
  const bool sharded_b = shard_of(file.report).is_object();
  if (sharded_a != sharded_b) return pair + ": one is a shard of a run, the other is not";
  if (sharded_a && shard_of(first.report)["count"] != shard_of(file.report)["count"]) {
    return pair + " are shards of runs split differently";
  }
  if (sharded_a && shard_of(first.report)["run_id"] != shard_of(file.report)["run_id"]) {
    return pair + " are shards of different runs (--run-id " +
           shard_of(first.report).value("run_id", json()).dump() + " and " +
           shard_of(file.report).value("run_id", json()).dump() + ")";
  }
  if (!sharded_a && test_names(first.report) != test_names(file.report)) {
    return pair + " hold different tests";
  }
  return "";
}

// Shards 0..N-1, each once, when the reports are shards.
std::string missing_or_repeated_shard(const std::vector<ReportFile>& files) {
  const json shard = shard_of(files.front().report);
  if (!shard.is_object()) return "";
  const int count = shard.value("count", 0);
  std::map<int, std::string> seen;
  for (const ReportFile& file : files) {
    const int index = shard_of(file.report).value("index", -1);
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
json merge_errors(const std::vector<LabelledRun>& runs) {
  std::map<int64_t, json> by_code;
  for (const LabelledRun& run : runs) {
    for (const json& error : run.result->errors) {
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

std::vector<CaseResult> merge_cases(const std::vector<LabelledRun>& runs) {
  std::vector<CaseResult> merged;
  std::map<std::string, std::size_t> index;
  for (const LabelledRun& run : runs) {
    for (const CaseResult& c : run.result->cases) {
      auto [it, inserted] = index.emplace(c.name, merged.size());
      if (inserted) {
        merged.push_back(c);
        merged.back().message.clear();
      }
      CaseResult& into = merged[it->second];
      if (severity(c.status) > severity(into.status)) into.status = c.status;
      into.duration_s = std::max(into.duration_s, c.duration_s);
      if (!c.message.empty()) append_named(&into.message, run.label, c.message);
    }
  }
  return merged;
}

// One test's runs, one per report that has it, as one result; notes what
// a reader of the merged figures should know.
TestResult merge_test(const std::vector<LabelledRun>& runs, std::vector<std::string>* notes) {
  const LabelledRun* worst = &runs.front();
  for (const LabelledRun& run : runs) {
    if (severity(run.result->status) > severity(worst->result->status)) worst = &run;
  }
  TestResult merged = *worst->result;
  merged.records.clear();
  merged.message.clear();
  merged.retries = merged.reconnects = 0;
  merged.duration_s = 0;
  merged.breaker_events = json::array();
  json by_run = json::array();
  std::vector<Metrics> metrics;
  for (const auto& [result, run_label] : runs) {
    const TestResult& run = *result;
    if (!run.message.empty()) append_named(&merged.message, run_label, run.message);
    merged.retries += run.retries;
    merged.reconnects += run.reconnects;
    merged.duration_s = std::max(merged.duration_s, run.duration_s);
    for (json event : run.breaker_events) {
      event["report"] = run_label;
      merged.breaker_events.push_back(std::move(event));
    }
    json details = run.details.is_object() ? run.details : json::object();
    if (details.contains("metrics")) {
      try {
        metrics.push_back(parse_metrics(details["metrics"]));
      } catch (const ReportError& e) {
        throw ReportError(run_label + ": " + run.name() + ": " + e.what());
      }
      details.erase("metrics");
    }
    json records = json::object();
    for (const auto& [key, value] : run.records) records[key] = value;
    by_run.push_back({{"report", run_label},
                      {"status", status_name(run.status)},
                      {"records", records},
                      {"details", details},
                      {"summary_text", run.summary_text}});
  }
  merged.errors = merge_errors(runs);
  merged.cases = merge_cases(runs);
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
    if (!part.aborted.empty()) append_named(&report.aborted, labels.back(), part.aborted);
    for (const std::string& line : part.leftovers.removed) report.leftovers.removed.push_back(line);
    for (const std::string& line : part.leftovers.unjudged) {
      report.leftovers.unjudged.push_back(line);
    }
    if (!part.nemesis.is_null()) {
      nemeses.push_back({{"report", labels.back()}, {"nemesis", part.nemesis}});
    }
    merged_from.push_back({{"report", file.path}, {"shard", shard_of(part)}});
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
  std::map<std::string, std::vector<LabelledRun>> runs;
  for (std::size_t f = 0; f < files.size(); ++f) {
    for (const TestResult& result : files[f].report.results) {
      auto& list = runs[result.name()];
      if (list.empty()) order.push_back(result.name());
      list.push_back({&result, labels[f]});
    }
  }
  for (const std::string& name : order)
    report.results.push_back(merge_test(runs[name], &merged.notes));
  return merged;
}

}  // namespace rig
