#include "core/report/report_formats.h"

#include "core/config/core_options.h"

namespace rig {

const std::vector<ReportFormat>& report_formats() {
  static const std::vector<ReportFormat> formats = {
      {core_option("output", "report_json", OptionType::kString, std::nullopt,
                   "write the JSON report to this file", "report-json"),
       &write_json_report},
      {core_option("output", "junit", OptionType::kString, std::nullopt,
                   "write a JUnit XML report to this file", "junit"),
       &write_junit_report},
  };
  return formats;
}

std::vector<OptionSpec> report_format_options() {
  std::vector<OptionSpec> options;
  for (const ReportFormat& format : report_formats()) options.push_back(format.option);
  return options;
}

}  // namespace rig
