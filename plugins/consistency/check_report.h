// plugins/consistency/check_report.h -- what a check tells a person and a
// machine: the files (the history, every anomaly explained, a Graphviz
// graph per anomaly), the text under the test's line, and the JSON
// report's record. A run's check and `test-rig check HISTORY` both use it.
//
//   CheckReport report{history, result, verdict, model, Workload::kListAppend};
//   report.files = write_check_files(dir, history, result, /*with_history=*/true);
//   ctx.add_summary_text(report.summary(3));
//   ctx.record_json("consistency", report.details().dump());
#ifndef TEST_RIG_PLUGINS_CONSISTENCY_CHECK_REPORT_H_
#define TEST_RIG_PLUGINS_CONSISTENCY_CHECK_REPORT_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "checker.h"

namespace consistency {

struct CheckFiles {
  std::string directory;
  std::string history;       // empty when the history came from a file
  std::string explanations;  // every anomaly, as text
  std::vector<std::string> graphs;
};

// A new directory `parent`/`name` (or `name`-2, -3, ... when taken), made
// with its parents; throws std::runtime_error saying why it cannot be.
std::string fresh_directory(const std::string& parent, const std::string& name);

// Writes into `directory`: history.jsonl (with `with_history`),
// anomalies.txt, and graphs/<class>-<n>.dot for every anomaly.
CheckFiles write_check_files(const std::string& directory, const History& history,
                             const CheckResult& result, bool with_history);

struct CheckReport {
  const History& history;
  const CheckResult& result;
  const Verdict& verdict;
  const Model& model;
  Workload workload;
  std::string model_source;  // where the model came from, for the reader
  CheckFiles files;

  // Counts per class (forbidden or not), the first `explain` anomalies
  // explained, and the files.
  std::string summary(int explain) const;
  // Every class checked with its count, the model, the verdict, the graph's
  // size, the first `explain` explanations and the files.
  nlohmann::json details(int explain) const;
};

}  // namespace consistency

#endif  // TEST_RIG_PLUGINS_CONSISTENCY_CHECK_REPORT_H_
