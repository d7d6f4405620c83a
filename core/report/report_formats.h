// core/report/report_formats.h -- the files a run's report can be written
// to: one row per format, with the option that names its file and its
// writer. Adding a format is adding a row; the option, --help, `config
// show` and the writing after a run all come from this table.
//
// Thread tags: [main-thread].
#ifndef TEST_RIG_CORE_REPORT_REPORT_FORMATS_H_
#define TEST_RIG_CORE_REPORT_REPORT_FORMATS_H_

#include <string>
#include <vector>

#include "core/config/configuration.h"
#include "core/config/option_spec.h"
#include "core/report/run_report.h"

namespace rig {

struct ReportFormat {
  OptionSpec option;  // in [output]: the file to write, unset for none
  void (*write)(const std::string& path, const RunReport& report);  // throws ReportError
};

const std::vector<ReportFormat>& report_formats();

// The option of every format, for the core options.
std::vector<OptionSpec> report_format_options();

// Writes `report` to every file the configuration names and returns the
// exit code: the report's own, or 3 when one of them could not be written
// (said on stderr; the others are still written).
int write_report_files(const Configuration& config, const RunReport& report);

}  // namespace rig

#endif  // TEST_RIG_CORE_REPORT_REPORT_FORMATS_H_
