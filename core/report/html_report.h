// core/report/html_report.h -- a run's report as one self-contained HTML
// page (`--report-html FILE`, `test-rig report html REPORT.json`): the
// summary; per test its throughput and latency percentiles over time with
// the nemesis's faults shaded, its latency histogram and its errors by
// code; the isolation matrix coloured by outcome, each cell's trace a
// click away; and the consistency anomalies explained, each with its
// cycle drawn. Charts are inline SVG (svg_chart.h); the page fetches
// nothing and runs no script.
//
//   write_html_report("report.html", report);   // throws ReportError
//
// Thread tags: [main-thread].
#ifndef TEST_RIG_CORE_REPORT_HTML_REPORT_H_
#define TEST_RIG_CORE_REPORT_HTML_REPORT_H_

#include <string>

#include "core/report/run_report.h"

namespace rig {

std::string html_report(const RunReport& report);
void write_html_report(const std::string& path, const RunReport& report);

}  // namespace rig

#endif  // TEST_RIG_CORE_REPORT_HTML_REPORT_H_
