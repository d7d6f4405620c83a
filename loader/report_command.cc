// `test-rig report merge REPORT.json...`: the JSON reports of one run's
// shards (or of runs alike) as one report, written wherever --report-json
// and --junit say, its summary printed (docs/reports.md).
#include <iostream>

#include "core/report/report_formats.h"
#include "core/report/report_merge.h"
#include "loader/app.h"

namespace rig {
namespace {

constexpr const char* kUsage =
    "usage: test-rig report merge REPORT.json... [--force] [--report-json FILE] [--junit FILE]";

int merge_command(App& app) {
  const auto& words = app.command_line.words;
  if (words.size() < 3) throw UsageError(std::string(kUsage) + ": name the reports to merge");
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
  return {force};
}

int report_command(App& app) {
  const auto& words = app.command_line.words;
  if (words.size() < 2 || words[1] != "merge") throw UsageError(kUsage);
  return merge_command(app);
}

}  // namespace rig
