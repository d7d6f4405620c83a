// core/report/report_compare.h -- two reports side by side, as before and
// after an upgrade: `test-rig report compare BEFORE.json AFTER.json`.
//
//   CompareLimits limits;
//   limits.max_p99_rise = 0.10;
//   Comparison c = compare_reports(before, after, limits);
//   std::cout << c.text;
//   return c.regressions.empty() ? 0 : 1;
//
// Per test with metrics: throughput, and per histogram its rate and
// p50/p95/p99/p99.9, with the change in per cent; errors per second. A
// change no larger than the runs' own interval-to-interval spread (the
// standard deviation of the per-interval figure, the larger of the two
// runs') is marked "within noise" and is never a regression. Status
// changes of tests and of their cases (isolation cells, anomaly classes)
// are always listed; a test or case that passed before and does not now
// is a regression. docs/reports.md has the rules. A baseline a test
// recorded (an isolation matrix, a consistency model) stands in for the
// report before through compare_to_baseline.
//
// Thread tags: [thread-safe] (functions of their arguments).
#ifndef TEST_RIG_CORE_REPORT_REPORT_COMPARE_H_
#define TEST_RIG_CORE_REPORT_REPORT_COMPARE_H_

#include <optional>
#include <string>
#include <vector>

#include "core/report/run_report.h"

namespace rig {

// The largest changes allowed, as fractions (0.05 for 5 %); unset: any.
struct CompareLimits {
  std::optional<double> max_throughput_drop;
  std::optional<double> max_p99_rise;    // of each histogram with intervals
  std::optional<double> max_p999_rise;   // likewise
  std::optional<double> max_error_rise;  // errors per second, relative
};

struct Comparison {
  std::string text;                      // the side-by-side table
  std::vector<std::string> regressions;  // one line each; empty: none
};

// Throws ReportError for a metrics record that cannot be read.
Comparison compare_reports(const RunReport& before, const RunReport& after,
                           const CompareLimits& limits);

// A test of the report after, as its plugin judged it against a baseline
// the test recorded (`report compare BASELINE AFTER.json`, ABI 1.4).
struct BaselineJudgement {
  std::string test;               // "plugin/test"
  std::vector<CaseResult> cases;  // one per item of the baseline
  std::string message;            // what the judge said besides, or ""
};

// The judged tests' cases that changed, and the tests of the report that
// record no such baseline (`unjudged`). A case that did not pass is a
// regression.
Comparison compare_to_baseline(const std::vector<BaselineJudgement>& judged,
                               const std::vector<std::string>& unjudged);

// "5%", "5 %" or "5" as 0.05; nullopt for text that is no such number.
std::optional<double> parse_percent(const std::string& text);

}  // namespace rig

#endif  // TEST_RIG_CORE_REPORT_REPORT_COMPARE_H_
