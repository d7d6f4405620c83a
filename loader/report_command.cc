// `test-rig report merge REPORT.json...`: the JSON reports of one run's
// shards (or of runs alike) as one report, written wherever --report-json
// and --junit say, its summary printed. `test-rig report compare BEFORE
// AFTER`: two reports side by side, exit 1 on a regression. `test-rig
// report html REPORT.json`: the report as an HTML page (docs/reports.md).
#include <algorithm>
#include <filesystem>
#include <iostream>

#include "core/db/connect_params.h"
#include "core/plugin/run_context.h"
#include "core/report/html_report.h"
#include "core/report/report_compare.h"
#include "core/report/report_formats.h"
#include "core/report/report_merge.h"
#include "loader/app.h"
#include "test_rig/sdk/small_file.h"

namespace rig {
namespace {

constexpr const char* kUsage =
    "usage: test-rig report merge REPORT.json... | report compare BEFORE AFTER.json | "
    "report html REPORT.json; see test-rig --help";
constexpr const char* kMergeUsage =
    "usage: test-rig report merge REPORT.json... [--force] [--report-json FILE] [--junit FILE]";
constexpr const char* kHtmlUsage = "usage: test-rig report html REPORT.json [--report-html FILE]";
constexpr const char* kCompareUsage =
    "usage: test-rig report compare BEFORE.json|BASELINE AFTER.json [--max-throughput-drop 5%] "
    "[--max-p99-rise 10%] [--max-p999-rise P%] [--max-error-rise P%]";

// The limits of `report compare`, as its options give them.
struct LimitOption {
  const char* name;
  const char* help;
  std::optional<double> CompareLimits::*field;
};
constexpr LimitOption kLimitOptions[] = {
    {"max-throughput-drop", "report compare: exit 1 when throughput drops more (e.g. 5%)",
     &CompareLimits::max_throughput_drop},
    {"max-p99-rise", "report compare: exit 1 when a p99 latency rises more (e.g. 10%)",
     &CompareLimits::max_p99_rise},
    {"max-p999-rise", "report compare: exit 1 when a p99.9 latency rises more",
     &CompareLimits::max_p999_rise},
    {"max-error-rise", "report compare: exit 1 when errors per second rise more",
     &CompareLimits::max_error_rise},
};

int merge_command(App& app) {
  const auto& words = app.command_line.words;
  if (words.size() < 3) throw UsageError(std::string(kMergeUsage) + ": name the reports to merge");
  std::vector<ReportFile> files;
  MergedReport merged;
  try {
    for (std::size_t i = 2; i < words.size(); ++i) files.push_back(read_report_file(words[i]));
    merged = merge_reports(files, std::get<bool>(app.command_options.at("force")));
  } catch (const ReportError& e) {
    std::cerr << "test-rig: report merge: " << e.what() << "\n";
    return kExitUsage;
  }
  for (const std::string& note : merged.notes) std::cerr << "note: " << note << "\n";
  std::cout << "merged " << files.size() << " reports\n";
  for (const TestResult& result : merged.report.results) {
    write_result_line(std::cout, result, false);
  }
  write_summary(std::cout, merged.report);
  if (!app.config.string(report_formats().front().option.config_key())) {
    std::cerr << "note: no --report-json FILE given: the merged report is only printed\n";
  }
  return write_report_files(app.config, merged.report);
}

// A baseline is a small text file (an expectations table); a JSON report
// may be large.
constexpr std::size_t kBaselineLimit = 64u << 20;

// Each test of `after` whose plugin judges baselines (ABI 1.4) judges its
// entry against `baseline`, in a run of no test as a plugin command gets.
// Throws ReportError when no test took the baseline as its own, or when a
// judge could not read it.
Comparison judge_against_baseline(App& app, const std::string& path, const std::string& baseline,
                                  const RunReport& after) {
  const ConnectParams connect = connect_params(app.config, std::nullopt);
  std::vector<BaselineJudgement> judged;
  std::vector<std::string> unjudged;
  for (const TestResult& result : after.results) {
    const LoadedPlugin* plugin = app.registry.find(result.plugin);
    const TestMachine* test = nullptr;
    if (plugin) {
      auto found = std::find_if(plugin->tests.begin(), plugin->tests.end(),
                                [&](const TestMachine& t) { return t.name == result.test; });
      if (found != plugin->tests.end()) test = &*found;
    }
    if (test == nullptr || test->judge_baseline == nullptr) {
      unjudged.push_back(result.name());
      continue;
    }
    std::unique_ptr<rig_run> run =
        make_run_context(plugin->name, result.test, nullptr, connect, app.config);
    const std::string entry =
        nlohmann::json(result).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    const rig_status status =
        test->judge_baseline(test->judge_baseline_user, run.get(), baseline.data(), baseline.size(),
                             entry.data(), entry.size());
    if (status == RIG_SKIPPED) {
      unjudged.push_back(result.name());
    } else if (status != RIG_OK) {
      throw ReportError(result.name() + " could not judge " + path + ": " +
                        (run->message.empty() ? "no reason given" : run->message));
    } else {
      judged.push_back({result.name(), run->cases, run->message});
    }
  }
  if (judged.empty()) {
    throw ReportError(path + " is neither a JSON report nor a baseline that a test of the report " +
                      "after records (such as --isolation.record's table)");
  }
  return compare_to_baseline(judged, unjudged);
}

int compare_command(App& app) {
  const auto& words = app.command_line.words;
  if (words.size() != 4) {
    throw UsageError(std::string(kCompareUsage) + ": name the report before and the report after");
  }
  CompareLimits limits;
  for (const LimitOption& option : kLimitOptions) {
    const auto& value = std::get<std::string>(app.command_options.at(option.name));
    if (value.empty()) continue;
    limits.*option.field = parse_percent(value);
    if (!(limits.*option.field)) {
      throw UsageError("--" + std::string(option.name) + " " + value +
                       ": give a percentage such as 5%");
    }
  }
  std::string before_text, why;
  if (!test_rig::read_small_file(words[2], kBaselineLimit, &before_text, &why)) {
    std::cerr << "test-rig: report compare: " << words[2] << ": " << why << "\n";
    return kExitUsage;
  }
  const std::size_t first = before_text.find_first_not_of(" \t\r\n");
  const bool baseline = first == std::string::npos || before_text[first] != '{';
  Comparison comparison;
  try {
    const ReportFile after = read_report_file(words[3]);
    comparison = baseline
                     ? judge_against_baseline(app, words[2], before_text, after.report)
                     : compare_reports(read_report_file(words[2]).report, after.report, limits);
  } catch (const ReportError& e) {
    std::cerr << "test-rig: report compare: " << e.what() << "\n";
    return kExitUsage;
  }
  std::cout << "before: " << words[2] << (baseline ? " (a baseline)" : "")
            << "\nafter:  " << words[3] << "\n"
            << comparison.text;
  return comparison.regressions.empty() ? kExitPassed : kExitFailed;
}

// Writes the page to --report-html FILE, or beside the report as
// REPORT.html; exits 0 once written, whatever the report's verdict.
int html_command(App& app) {
  const auto& words = app.command_line.words;
  if (words.size() != 3) throw UsageError(std::string(kHtmlUsage) + ": name one JSON report");
  std::string path = app.config.string("output.report_html")
                         .value_or(std::filesystem::path(words[2]).replace_extension(".html"));
  try {
    write_html_report(path, read_report_file(words[2]).report);
  } catch (const ReportError& e) {
    std::cerr << "test-rig: report html: " << e.what() << "\n";
    return kExitUsage;
  }
  std::cout << "wrote " << path << "\n";
  return kExitPassed;
}

}  // namespace

std::vector<OptionSpec> report_command_options() {
  OptionSpec force;
  force.name = force.cli_name = "force";
  force.type = OptionType::kBool;
  force.default_value = "false";
  force.implicit_value = "true";
  force.help =
      "report merge: merge reports of different runs or options anyway (each "
      "difference is printed)";
  std::vector<OptionSpec> options = {force};
  for (const LimitOption& limit : kLimitOptions) {
    OptionSpec spec;
    spec.name = spec.cli_name = limit.name;
    spec.type = OptionType::kString;
    spec.default_value = "";
    spec.help = limit.help;
    options.push_back(spec);
  }
  return options;
}

int report_command(App& app) {
  const auto& words = app.command_line.words;
  if (words.size() >= 2 && words[1] == "merge") return merge_command(app);
  if (words.size() >= 2 && words[1] == "compare") return compare_command(app);
  if (words.size() >= 2 && words[1] == "html") return html_command(app);
  throw UsageError(kUsage);
}

}  // namespace rig
