#include "core/report/report_formats.h"

#include <iostream>

#include "core/config/core_options.h"
#include "core/report/html_report.h"

namespace rig {

const std::vector<ReportFormat>& report_formats() {
  static const std::vector<ReportFormat> formats = {
      {core_option("output", "report_json", OptionType::kString, std::nullopt,
                   "write the JSON report to this file", "report-json"),
       &write_json_report},
      {core_option("output", "junit", OptionType::kString, std::nullopt,
                   "write a JUnit XML report to this file", "junit"),
       &write_junit_report},
      {core_option("output", "report_html", OptionType::kString, std::nullopt,
                   "write a self-contained HTML page with charts to this file (opens offline)",
                   "report-html"),
       &write_html_report},
  };
  return formats;
}

std::vector<OptionSpec> report_format_options() {
  std::vector<OptionSpec> options;
  for (const ReportFormat& format : report_formats()) options.push_back(format.option);
  return options;
}

int write_report_files(const Configuration& config, const RunReport& report) {
  int exit_code = report.exit_code();
  for (const ReportFormat& format : report_formats()) {
    auto path = config.string(format.option.config_key());
    if (!path) continue;
    try {
      format.write(*path, report);
    } catch (const ReportError& e) {
      std::cerr << "test-rig: " << e.what() << "\n";
      if (exit_code == kExitPassed) exit_code = kExitInfrastructure;
    }
  }
  return exit_code;
}

}  // namespace rig
