// `test-rig report merge REPORT.json...`: the JSON reports of one run's
// shards (or of runs alike) as one report, written wherever --report-json
// and --junit say, its summary printed. `test-rig report compare BEFORE
// AFTER`: two reports side by side, exit 1 on a regression. `test-rig
// report html REPORT.json`: the report as an HTML page (docs/reports.md).
#include <filesystem>
#include <iostream>

#include "core/report/html_report.h"
#include "core/report/report_compare.h"
#include "core/report/report_formats.h"
#include "core/report/report_merge.h"
#include "loader/app.h"

namespace rig {
namespace {

constexpr const char* kUsage =
    "usage: test-rig report merge REPORT.json... | report compare BEFORE.json AFTER.json | "
    "report html REPORT.json; see test-rig --help";
constexpr const char* kMergeUsage =
    "usage: test-rig report merge REPORT.json... [--force] [--report-json FILE] [--junit FILE]";
constexpr const char* kHtmlUsage = "usage: test-rig report html REPORT.json [--report-html FILE]";
constexpr const char* kCompareUsage =
    "usage: test-rig report compare BEFORE.json AFTER.json [--max-throughput-drop 5%] "
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
  Comparison comparison;
  try {
    const ReportFile before = read_report_file(words[2]);
    const ReportFile after = read_report_file(words[3]);
    comparison = compare_reports(before.report, after.report, limits);
  } catch (const ReportError& e) {
    std::cerr << "test-rig: report compare: " << e.what() << "\n";
    return kExitUsage;
  }
  std::cout << "before: " << words[2] << "\nafter:  " << words[3] << "\n" << comparison.text;
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
