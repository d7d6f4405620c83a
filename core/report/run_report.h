// core/report/run_report.h -- everything one invocation of `test-rig run`
// produced, and the writers for its three forms: the human summary, the JSON
// report and JUnit XML.
//
//   RunReport report;
//   report.results.push_back(result);
//   write_summary(std::cout, report);
//   write_json_report("out.json", report);    // throws ReportError
//   write_junit_report("junit.xml", report);
//
// Exit codes (exit_code()): 0 every test passed or was skipped; 1 a test
// failed (a real finding about the server wins over infrastructure noise);
// 3 a test errored or crashed, or nothing could run. 2 (usage, config,
// plugin load) is decided before a report exists.
#ifndef TEST_RIG_CORE_REPORT_RUN_REPORT_H_
#define TEST_RIG_CORE_REPORT_RUN_REPORT_H_

#include <map>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/plugin/load_problem.h"
#include "core/run/leftovers.h"
#include "core/run/result.h"

namespace rig {

inline constexpr int kExitPassed = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInfrastructure = 3;

// The JSON report's "schema_version" (docs/reports.md): 2 added "run" and
// the tests' "metrics" records.
inline constexpr int kReportSchemaVersion = 2;

class ReportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RunReport {
  std::string started_at;  // ISO 8601, UTC
  double duration_s = 0;
  std::string target;  // "user@host:port", never the password
  std::vector<TestResult> results;
  std::vector<LoadProblem> load_problems;
  std::string aborted;     // why the run stopped early, if it did
  Leftovers leftovers;     // of killed runs, found at the start and the end
  nlohmann::json nemesis;  // the faults injected (Nemesis::report()), or null
  // What ran, for merging and comparing reports: {"test_rig": version,
  // "selected": [test names], "options": {config key: value, no secrets},
  // "shard": null}, plus "merged_from" in a merged report. Null: unknown.
  nlohmann::json run;

  // Counts by status name, all five present: of the tests, and of the cases
  // the tests reported (a parametrised test's cells, say).
  std::map<std::string, int> counts() const;
  std::map<std::string, int> case_counts() const;
  // The first server any test connected to.
  std::optional<ServerSummary> server() const;
  int exit_code() const;
};

// The line before the first test: how many run, against what.
void write_run_header(std::ostream& out, std::size_t tests, const std::string& target,
                      bool sandbox);
// One test's lines as it ends: its status, name and time, then why it did
// not pass, the last database error, with `verbose` a crash's stack, and
// the text the test added for the summary.
void write_result_line(std::ostream& out, const TestResult& result, bool verbose);
void write_summary(std::ostream& out, const RunReport& report);
void write_json_report(const std::string& path, const RunReport& report);
// The report a JSON report holds, as write_json_report wrote it; throws
// ReportError saying what is missing.
RunReport parse_json_report(const nlohmann::json& document);
void write_junit_report(const std::string& path, const RunReport& report);
// Writes a report's `text` to `path`, or throws ReportError naming the
// report (`kind`, "JSON") and the file; the flush is checked, since a full
// disk shows only when the buffer goes out.
void write_report_text(const std::string& path, const std::string& kind, const std::string& text);

}  // namespace rig

#endif  // TEST_RIG_CORE_REPORT_RUN_REPORT_H_
