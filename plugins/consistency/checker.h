// plugins/consistency/checker.h -- checks a history: the workload's
// inference rules, the dependency graph with process and real-time order,
// its cycles, every anomaly explained; and the verdict under a model.
// Needs no server: the plugin checks what its run recorded, and
// `test-rig check HISTORY` a history from a file.
//
//   CheckResult result = check(history, {.workload = Workload::kListAppend});
//   Verdict verdict = judge(result, *find_model("snapshot-isolation"));
//   if (!verdict.valid()) ...
//
// Thread safety: none; check() reads the history only.
#ifndef TEST_RIG_PLUGINS_CONSISTENCY_CHECKER_H_
#define TEST_RIG_PLUGINS_CONSISTENCY_CHECKER_H_

#include <array>
#include <cstdint>
#include <vector>

#include "analysis.h"
#include "anomaly.h"
#include "cycle_search.h"
#include "history.h"
#include "models.h"

namespace consistency {

struct CheckSettings {
  Workload workload = Workload::kListAppend;
  BankSettings bank;
  CycleSearchLimits limits;
};

struct CheckResult {
  std::vector<Anomaly> anomalies;  // every one found, each explained
  std::array<uint64_t, kAnomalyClassCount> counts{};
  std::array<uint32_t, kAnomalyClassCount> undecided{};  // components the search gave up on
  uint64_t transactions = 0, ok = 0, failed = 0, indeterminate = 0;
  uint64_t edges = 0;
  uint32_t components = 0;  // strongly connected, of two or more transactions
  uint32_t largest_component = 0;
};

// Throws HistoryError for a history the workload's rules cannot check.
CheckResult check(const History& history, const CheckSettings& settings);

struct Verdict {
  std::vector<AnomalyClass> found;      // forbidden by the model, and found
  std::vector<AnomalyClass> undecided;  // forbidden, and the search gave up
  bool valid() const { return found.empty() && undecided.empty(); }
};

Verdict judge(const CheckResult& result, const Model& model);

}  // namespace consistency

#endif  // TEST_RIG_PLUGINS_CONSISTENCY_CHECKER_H_
